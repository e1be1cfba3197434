/**
 * Wording shared by the online commands' text output (epochs, algorithms, times), so `node status`, `pq status`,
 * `epoch-info` and `block-info` describe the same things the same way.
 */
import type { Epoch } from "../lib/consensus/epochs";
import { ruleVersionRules, type FieldPolicy } from "../lib/consensus/rule-versions";

/** An algorithm id as the spec writes it: 0x01. */
export function hexId(id: number): string {
  return `0x${id.toString(16).padStart(2, "0")}`;
}

/** "blocks 0-199" or "blocks 200 onwards". */
export function epochSpan(epoch: Pick<Epoch, "start_block" | "end_block">): string {
  return epoch.end_block === null ? `blocks ${epoch.start_block} onwards` : `blocks ${epoch.start_block}-${epoch.end_block}`;
}

/** The epoch fields the wording needs (stored summaries carry the rule version as a plain string). */
export type EpochFacts = Pick<Epoch, "start_block" | "end_block" | "algorithm_name" | "algorithm_id"> & { rule_version: string };

/** "v2-dual-required, SHA3-256 (0x01), blocks 200 onwards". */
export function epochLine(epoch: EpochFacts): string {
  return `${epoch.rule_version}, ${epoch.algorithm_name} (${hexId(epoch.algorithm_id)}), ${epochSpan(epoch)}`;
}

/** Unix seconds as ISO 8601 UTC without milliseconds: 2025-06-15T14:40:00Z. */
export function isoTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(unixSeconds) : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A duration in seconds for a person: "40 ms", "2.4 s", "42 s", "3 min 5 s", "2 h 10 min". */
export function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "1 block", "2 blocks". */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : pluralNoun}`;
}

/** Aligned "label  value" lines, indented by two spaces. */
export function table(rows: ReadonlyArray<readonly [string, string]>, indent = "  "): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}${value}`);
}

/** What a rule version requires of each part of a block, as policies (docs/spec/consensus.md §5). */
export interface RuleRequirements {
  rule_version: string;
  legacy_chain: FieldPolicy;
  pq_chain: FieldPolicy;
  dual_commitment: FieldPolicy;
  primary_chain: "legacy" | "pq";
  summary: string;
}

/** The requirements of `epoch`'s rule version. The dual commitment exists exactly when both chains do. */
export function ruleRequirements(epoch: { rule_version: string }): RuleRequirements {
  const rules = ruleVersionRules(epoch.rule_version);
  const dual: FieldPolicy = rules.legacy === "required" && rules.pq !== "forbidden" ? rules.pq : "forbidden";
  return { rule_version: rules.version, legacy_chain: rules.legacy, pq_chain: rules.pq, dual_commitment: dual, primary_chain: rules.primaryChain, summary: rules.summary };
}

/** The requirements in words, one row per part of the block, with the epoch's algorithm filled in. */
export function ruleRequirementRows(epoch: Pick<EpochFacts, "rule_version" | "algorithm_id" | "algorithm_name">): Array<[string, string]> {
  const r = ruleRequirements(epoch);
  const pq = `${epoch.algorithm_name}`;
  const legacy =
    r.legacy_chain === "forbidden"
      ? "forbidden: prev_hash and merkle_root must be absent (the legacy chain has ended)"
      : "required: prev_hash = SHA-256 hash of the predecessor, merkle_root = SHA-256 Merkle root of the statements";
  const pqFields = `pq_algorithm = ${hexId(epoch.algorithm_id)} (${pq}), pq_prev_hash = ${pq} hash of the predecessor, pq_merkle_root = ${pq} Merkle root of the statements`;
  const pqChain =
    r.pq_chain === "forbidden"
      ? "forbidden: pq_algorithm, pq_prev_hash and pq_merkle_root must be absent"
      : r.pq_chain === "optional"
        ? `optional, all or none; when present: ${pqFields}`
        : `required: ${pqFields}`;
  const formula = `${pq}(0x03 || 0x00 || merkle_root || ${hexId(epoch.algorithm_id)} || pq_merkle_root)`;
  const dual =
    r.dual_commitment === "forbidden"
      ? r.legacy_chain === "forbidden"
        ? "forbidden: there is no legacy root left to bind"
        : "forbidden: there is no PQ chain yet"
      : r.dual_commitment === "optional"
        ? `with the PQ fields: ${formula}`
        : `required: ${formula}`;
  return [
    ["legacy chain", legacy],
    ["PQ chain", pqChain],
    ["dual commitment", dual],
    ["primary chain", `${r.primary_chain === "legacy" ? "legacy (SHA-256)" : `PQ (${pq})`}: its hashes decide fork choice and finality`],
  ];
}
