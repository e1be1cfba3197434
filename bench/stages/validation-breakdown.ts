/**
 * Where validateBlock's time goes: each step it takes for a v2 block, timed on its own with the same inputs, beside
 * the bare hashing of the same trees, and a per-call probe of the hash suite.
 *
 * The steps mirror lib/consensus/validate-block.ts (parseBlock, encodeLeaves, one Merkle root per chain, the dual
 * commitment computed twice, the predecessor's hash under both algorithms); what they do not account for is reported
 * as the rest (violation bookkeeping, epoch lookup, hex, garbage collection). All of it is one interleaved group, so
 * the stock and variant timings are comparable even on a noisy machine. The probe compares a hash call on a
 * long-lived 32-byte array with one on a freshly allocated array (such as a digest fed straight back in).
 */
import { SHA256_ID, SHA3_256_ID } from "../../lib/crypto/hash-algorithms";
import { toHex } from "../../lib/encoding/hex";
import { blockHash, dualCommitment, encodeLeaves } from "../../lib/consensus/block";
import { merkleRootOfLeafInputs } from "../../lib/consensus/merkle";
import { parseBlock } from "../../lib/consensus/parse-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import type { Measurement, Metric } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { measureGroup, type SamplingPlan, type TimedCase } from "../harness/measure";
import { formatNumber } from "../harness/number-format";
import type { ConsensusScenario } from "./consensus-scenario";

export interface ValidationBreakdown {
  measurements: Measurement[];
  metrics: Record<string, Metric>;
  tables: ReportTable[];
  notes: string[];
}

/** The steps validateBlock takes for a valid v2 block, in its order. */
const STEPS = [
  ["parse_block", "parseBlock (form checks, isWellFormedText per statement)"],
  ["encode_statements", "encodeLeaves (encodeInto one buffer, with the offsets whole-tree routines take)"],
  ["merkle_root_sha256", "merkleRootOfLeafInputs SHA-256 (lib/consensus/merkle.ts; one WebAssembly call with merkle-wasm)"],
  ["merkle_root_sha3", "merkleRootOfLeafInputs SHA3-256 (the same)"],
  ["dual_commitment_x2", "dualCommitment, twice (over declared and recomputed roots)"],
  ["prev_block_hashes", "blockHash(prev) under SHA-256 and SHA3-256 (encodeHeader twice)"],
] as const;
type StepKey = (typeof STEPS)[number][0];

type CaseKey = StepKey | "validate_v2" | "bare_tree_sha256" | "bare_tree_sha3";

const LABELS: Record<CaseKey, string> = {
  ...(Object.fromEntries(STEPS) as Record<StepKey, string>),
  validate_v2: "validateBlock(v2 block, prev)",
  bare_tree_sha256: "bare hashing of the SHA-256 tree",
  bare_tree_sha3: "bare hashing of the SHA3-256 tree",
};

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`validation breakdown: ${what}`);
}

export function measureValidationBreakdown(scenario: ConsensusScenario, plan: SamplingPlan): ValidationBreakdown {
  const { suite, dualBlock, dualPrev, dualEpochs, statements, bareDual } = scenario;
  const n = statements.length;
  const sha256 = suite.get(SHA256_ID);
  const sha3 = suite.get(SHA3_256_ID);
  const leaves = encodeLeaves(statements);
  const root = dualBlock.merkle_root!;
  const pqRoot = dualBlock.pq_merkle_root!;
  check(toHex(merkleRootOfLeafInputs(sha3, leaves)) === pqRoot, "the SHA3-256 root of the statements is not the block's");

  const runs: Record<CaseKey, () => unknown> = {
    validate_v2: () => validateBlock(dualBlock, { epochs: dualEpochs, prev: dualPrev, suite }),
    parse_block: () => parseBlock(dualBlock),
    encode_statements: () => encodeLeaves(statements),
    merkle_root_sha256: () => merkleRootOfLeafInputs(sha256, leaves),
    merkle_root_sha3: () => merkleRootOfLeafInputs(sha3, leaves),
    dual_commitment_x2: () => [dualCommitment(sha3, root, pqRoot), dualCommitment(sha3, root, pqRoot)],
    prev_block_hashes: () => [blockHash(dualPrev, sha256), blockHash(dualPrev, sha3)],
    bare_tree_sha256: () => bareDual.merkleRoot(sha256),
    bare_tree_sha3: () => bareDual.merkleRoot(sha3),
  };
  const cases: TimedCase[] = (Object.keys(runs) as CaseKey[]).map((key) => ({
    id: `breakdown/${suite.implementation}/${n}/${key}`,
    label: LABELS[key],
    params: { suite: suite.implementation, statements: n, step: key },
    run: runs[key],
  }));
  const results = measureGroup(cases, plan);
  const byKey = (key: CaseKey) => results.find((m) => m.params.step === key)!;
  const wallMs = (key: CaseKey) => byKey(key).us.median / 1000;
  // Main-thread CPU time per call, where the platform reports it: it leaves out the moments a neighbour held the
  // core, so the attribution below holds up on a busy machine. Wall time is shown beside it.
  const hasCpu = results.every((m) => m.cpu_us_per_call !== null);
  const cpuMs = (key: CaseKey) => (hasCpu ? byKey(key).cpu_us_per_call! / 1000 : wallMs(key));

  // The per-call probe: same algorithm, same 32 bytes, only the input array's age differs.
  const reused = new Uint8Array(32).fill(7);
  const probeCases: TimedCase[] = [
    { id: `probe/${suite.implementation}/sha256_32_reused`, label: "SHA-256 digest of a long-lived 32-byte array", params: { suite: suite.implementation, probe: "reused" }, bytesPerCall: 32, run: () => sha256.digest(reused) },
    { id: `probe/${suite.implementation}/sha256_32_fresh`, label: "SHA-256 digest of a new 32-byte array (allocation included)", params: { suite: suite.implementation, probe: "fresh" }, bytesPerCall: 32, run: () => sha256.digest(new Uint8Array(32).fill(7)) },
    { id: `probe/${suite.implementation}/alloc_32`, label: "allocating a new 32-byte array alone", params: { suite: suite.implementation, probe: "allocation" }, run: () => new Uint8Array(32).fill(7) },
  ];
  const probeResults = measureGroup(probeCases, { ...plan, minSampleMs: Math.min(plan.minSampleMs, 2), maxMs: Math.min(plan.maxMs, 1500) });
  const probeUs = (probe: string) => probeResults.find((m) => m.params.probe === probe)!.us.median;

  /** The derived figures, from either clock. */
  const derive = (ms: (key: CaseKey) => number) => {
    const total = ms("validate_v2");
    const stepSum = STEPS.reduce((sum, [key]) => sum + ms(key), 0);
    const treeExcess = ms("merkle_root_sha256") - ms("bare_tree_sha256") + (ms("merkle_root_sha3") - ms("bare_tree_sha3"));
    return { total, rest: total - stepSum, treeExcess, atBare: total - treeExcess };
  };
  const wall = derive(wallMs);
  const cpu = derive(cpuMs);
  const penaltyUs = probeUs("fresh") - probeUs("reused") - probeUs("allocation");

  const prefix = `breakdown.${suite.implementation}.${n}`;
  const metrics: Record<string, Metric> = {};
  for (const m of results) {
    metrics[`${prefix}.${m.params.step}_ms`] = { value: m.us.median / 1000, unit: "ms", description: `${m.label}, ${n} statements, median wall time` };
    if (m.cpu_us_per_call !== null) metrics[`${prefix}.${m.params.step}_cpu_ms`] = { value: m.cpu_us_per_call / 1000, unit: "ms", description: `${m.label}, ${n} statements, main-thread CPU time per call (mean)` };
  }
  for (const [clock, f] of [["", wall], ["_cpu", cpu]] as const) {
    if (clock === "_cpu" && !hasCpu) continue;
    metrics[`${prefix}.rest${clock}_ms`] = { value: f.rest, unit: "ms", description: "validateBlock time not spent in the listed steps" };
    metrics[`${prefix}.merkle_excess_over_bare${clock}_ms`] = { value: f.treeExcess, unit: "ms", description: "both lib Merkle root calls minus the bare hashing of the same trees" };
  }
  metrics[`probe.${suite.implementation}.sha256_32_reused_us`] = { value: probeUs("reused"), unit: "µs", description: probeCases[0].label };
  metrics[`probe.${suite.implementation}.sha256_32_fresh_us`] = { value: probeUs("fresh"), unit: "µs", description: probeCases[1].label };
  metrics[`probe.${suite.implementation}.alloc_32_us`] = { value: probeUs("allocation"), unit: "µs", description: probeCases[2].label };
  metrics[`probe.${suite.implementation}.fresh_input_penalty_us`] = { value: penaltyUs, unit: "µs", description: "extra cost per hash call when the input array is new (fresh - reused - allocation)" };

  const share = (value: number) => `${formatNumber((value / cpu.total) * 100)}%`;
  const row = (step: string, w: number, c: number, note = "") => ({ step, wall: formatNumber(w), cpu: hasCpu ? formatNumber(c) : "n/a", share: share(c), note });
  const caseRow = (step: string, key: CaseKey, note = "") => row(step, wallMs(key), cpuMs(key), note);
  const columns = [
    { key: "step", label: "step" },
    { key: "wall", label: "wall ms", align: "right" as const },
    { key: "cpu", label: "CPU ms", align: "right" as const },
    { key: "share", label: hasCpu ? "of whole (CPU)" : "of whole", align: "right" as const },
    { key: "note", label: "note" },
  ];
  const clockNote = hasCpu
    ? "wall ms = median; CPU ms = the main thread's time on a CPU per call, mean over all samples (Linux schedstat): it leaves out time a neighbour held the core. Shares and notes use it."
    : "No per-thread CPU time here (not Linux, or samples too short for its 4 ms ticks, e.g. --quick): shares use wall time.";
  const stepsTable: ReportTable = {
    id: `validation-breakdown-${suite.implementation}-${n}`,
    title: `Where validateBlock's time goes: v2 block, ${n} statements, ${suite.implementation} (medians, each step timed alone)`,
    columns,
    rows: [
      caseRow("validateBlock, whole", "validate_v2"),
      ...STEPS.map(([key, label]) => {
        const bare: CaseKey | null = key === "merkle_root_sha256" ? "bare_tree_sha256" : key === "merkle_root_sha3" ? "bare_tree_sha3" : null;
        return caseRow(`  ${label}`, key, bare ? `bare hashing of this tree: ${formatNumber(cpuMs(bare))} ms (lib takes ${formatNumber(cpuMs(key) / cpuMs(bare))}×)` : "");
      }),
      row("  rest (violations, epoch lookup, hex, GC)", wall.rest, cpu.rest, "whole minus the steps; noise can make it slightly negative"),
    ],
    notes: [clockNote],
  };
  const probeTable: ReportTable = {
    id: `hash-call-probe-${suite.implementation}`,
    title: `${suite.implementation} SHA-256 of 32 bytes: µs per call by the age of the input array`,
    columns: [
      { key: "case", label: "case" },
      { key: "us", label: "µs", align: "right" },
    ],
    rows: [
      { case: "long-lived array (as bare hashing feeds it)", us: formatNumber(probeUs("reused")) },
      { case: "new array each call (a digest fed straight back in)", us: formatNumber(probeUs("fresh")) },
      { case: "allocating the new array alone", us: formatNumber(probeUs("allocation")) },
      { case: "penalty per call for a new input array", us: formatNumber(penaltyUs) },
    ],
  };
  const notes = [
    `validateBlock(v2, ${n} statements, ${suite.implementation}): ${formatNumber(wall.total)} ms wall, ${formatNumber(cpu.total)} ms CPU; Merkle roots SHA-256 ${formatNumber(cpuMs("merkle_root_sha256"))} ms + SHA3-256 ` +
      `${formatNumber(cpuMs("merkle_root_sha3"))} ms CPU (${share(cpuMs("merkle_root_sha256") + cpuMs("merkle_root_sha3"))}), against ${formatNumber(cpuMs("bare_tree_sha256"))} + ${formatNumber(cpuMs("bare_tree_sha3"))} ms to hash the same trees directly; ` +
      `if both trees cost only bare hashing, validation would take ${formatNumber(cpu.atBare)} ms.`,
    `encodeLeaves takes ${formatNumber(cpuMs("encode_statements"))} ms (${share(cpuMs("encode_statements"))}); parseBlock ${formatNumber(cpuMs("parse_block"))} ms; ` +
      `the duplicate dualCommitment and the two prev-hash encodings cost ${formatNumber(cpuMs("dual_commitment_x2") + cpuMs("prev_block_hashes"))} ms together (negligible).`,
    `A single hash call of the suite costs ${formatNumber(probeUs("reused"))} µs on a long-lived 32-byte array and ${formatNumber(probeUs("fresh"))} µs on a new one: what every hash outside the trees still pays.`,
  ];
  return { measurements: [...results, ...probeResults], metrics, tables: [stepsTable, probeTable], notes };
}
