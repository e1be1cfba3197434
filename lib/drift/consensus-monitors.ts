/**
 * The four consensus-level monitors (algorithm_mismatch, consistency, lineage, commitment). Each reads the
 * validator's violations for one block and, when any of them is evidence of its category, returns one finding with
 * the expected and actual values. They re-check nothing: the validator's verdict is the truth.
 *
 * Severity: CRITICAL for a blocking violation (the plan fixes algorithm_mismatch and consistency at CRITICAL and
 * the issue extends that to lineage and commitment); LOW when the only evidence is advisory (a timestamp ahead of
 * the clock), which is informational.
 */
import type { Violation } from "../consensus/violations";
import { isBlocking } from "../consensus/violations";
import type { BlockObservation } from "./block-observation";
import type { DriftCategory, DriftFinding } from "./drift-event";
import { categoryOfViolation } from "./violation-categories";

export type ConsensusMonitor = (obs: BlockObservation) => DriftFinding | null;

function violationsOf(obs: BlockObservation, category: DriftCategory): Violation[] {
  return obs.violations.filter((v) => categoryOfViolation(v) === category);
}

function finding(obs: BlockObservation, category: DriftCategory, found: Violation[], message: string, details: Record<string, unknown>): DriftFinding {
  const blocking = found.some(isBlocking);
  return {
    // One event per block and category; all of a category's open events clear together.
    // A payload whose header cannot be hashed is told apart by its observation.
    condition: `${category}:${obs.block_number ?? "?"}:${obs.block_hash ?? `observation-${obs.observation_id ?? "?"}`}`,
    group: category,
    drift_category: category,
    severity: blocking ? "CRITICAL" : "LOW",
    block_number: obs.block_number,
    block_hash: obs.block_hash,
    // The plan's messages stay as the plan writes them; whether the block was refused is in details.outcome.
    message,
    details: {
      ...details,
      outcome: obs.outcome,
      verdict: obs.verdict,
      source: obs.source,
      violations: found.map((v) => ({ code: v.code, severity: v.severity, field: v.field, expected: v.expected, actual: v.actual, message: v.message })),
    },
  };
}

const hex2 = (id: number) => id.toString(16).padStart(2, "0");
const byCode = (found: Violation[], ...codes: string[]) => found.find((v) => codes.includes(v.code));
const byField = (found: Violation[], field: string) => found.find((v) => v.field === field);

/** The plan's AlgorithmMonitor: pq_algorithm against the block's epoch (unknown ids and absent epochs included). */
export const algorithmMonitor: ConsensusMonitor = (obs) => {
  const found = violationsOf(obs, "algorithm_mismatch");
  if (found.length === 0) return null;
  const expected = obs.epoch?.algorithm_id ?? null;
  const actual = obs.pq_algorithm;
  const message =
    expected !== null && actual !== null
      ? `Algorithm mismatch: expected ${hex2(expected)}, got ${hex2(actual)}`
      : `Algorithm drift: ${found[0].message}`;
  return finding(obs, "algorithm_mismatch", found, message, {
    expected_algorithm: expected,
    actual_algorithm: actual,
    epoch_start_block: obs.epoch?.start_block ?? null,
    rule_version: obs.epoch?.rule_version ?? null,
  });
};

/** The plan's ConsistencyMonitor, with its ConsistencyAlert fields in `details`. */
export const consistencyMonitor: ConsensusMonitor = (obs) => {
  const found = violationsOf(obs, "consistency");
  if (found.length === 0) return null;
  const legacy = byCode(found, "LEGACY_MERKLE_ROOT_MISMATCH") ?? byField(found, "merkle_root");
  const pq = byCode(found, "PQ_MERKLE_ROOT_MISMATCH") ?? byField(found, "pq_merkle_root");
  const statements = found.find((v) => v.field?.startsWith("statements") || v.field === "block");
  const rootOf = (v: Violation | undefined, side: "expected" | "actual") =>
    v && v.code.endsWith("MERKLE_ROOT_MISMATCH") ? v[side] : v ? (side === "actual" ? v.actual : null) : null;
  return finding(obs, "consistency", found, "Merkle root inconsistency detected", {
    legacy_valid: !legacy && !statements,
    pq_valid: !pq && !statements,
    expected_legacy_root: rootOf(legacy, "expected"),
    actual_legacy_root: rootOf(legacy, "actual"),
    expected_pq_root: rootOf(pq, "expected"),
    actual_pq_root: rootOf(pq, "actual"),
  });
};

/** Prev-hash lineage on both chains (and the block-number and timestamp links that come with it). */
export const lineageMonitor: ConsensusMonitor = (obs) => {
  const found = violationsOf(obs, "lineage");
  if (found.length === 0) return null;
  const legacy = byField(found, "prev_hash");
  const pq = byField(found, "pq_prev_hash");
  const blocking = found.some(isBlocking);
  return finding(obs, "lineage", found, blocking ? `Lineage drift: ${found[0].message}` : `Lineage notice: ${found[0].message}`, {
    legacy_chain_valid: !legacy,
    pq_chain_valid: !pq,
    expected_prev_hash: legacy?.expected ?? null,
    actual_prev_hash: legacy?.actual ?? null,
    expected_pq_prev_hash: pq?.expected ?? null,
    actual_pq_prev_hash: pq?.actual ?? null,
  });
};

/** The dual commitment that binds the two chains' roots. */
export const commitmentMonitor: ConsensusMonitor = (obs) => {
  const found = violationsOf(obs, "commitment");
  if (found.length === 0) return null;
  const v = found[0];
  return finding(obs, "commitment", found, `Dual commitment inconsistency: ${v.message}`, {
    expected_dual_commitment: v.code === "DUAL_COMMITMENT_MISMATCH" ? v.expected : null,
    actual_dual_commitment: v.actual,
  });
};

export const CONSENSUS_MONITORS: readonly ConsensusMonitor[] = [algorithmMonitor, consistencyMonitor, lineageMonitor, commitmentMonitor];
