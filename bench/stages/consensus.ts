/**
 * Stage "consensus": what the hash migration costs a node, per block (issue 2, "What must be shown").
 *
 * For blocks of 10, 100 and 1000 statements, with the server suite (merkle-wasm: whole trees in one WebAssembly call),
 * its fallback (hash-wasm: one call per hash) and the reference suite (noble, what browsers run):
 *   - sealing time under v1-legacy and under v2-dual-required (SHA3-256), and the dual sealing overhead;
 *   - validation time of the v2 block against its predecessor (and of the v1 block, for comparison);
 *   - the bare hashing cost of the same data, measured in the same run, as the floor under both, and node:crypto
 *     streaming the same byte counts in one buffer per algorithm (the floor under any per-call design);
 *   - storage: encoded block and header sizes, legacy against dual (encodeBlock / encodeHeader);
 *   - for the smallest block, where dual sealing's extra time goes (sealing-breakdown.ts);
 *   - for the largest block, where validation time goes, step by step, what two candidate lib/ changes would save,
 *     and what it allocates (validation-breakdown.ts, single-buffer-suite.ts, validation-memory.ts).
 * Every ratio compares medians of cases sampled interleaved in the same group (bench/harness/measure.ts).
 */
import { nobleHashSuite, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { loadPerCallWasmHashSuite, loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { overheadPercent, ratio } from "../../lib/bench/statistics";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { measureGroup, type SamplingPlan } from "../harness/measure";
import { formatBytes, formatMsFromUs, formatNumber, formatPercent, formatRatio } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { buildScenario, CASE_KEYS, storageFigures, type CaseKey, type ConsensusScenario } from "./consensus-scenario";
import { loadSingleBufferWasmSuite } from "./single-buffer-suite";
import { measureSealingBreakdown } from "./sealing-breakdown";
import { measureValidationBreakdown } from "./validation-breakdown";
import { measureValidationMemory } from "./validation-memory";

export const STATEMENT_COUNTS = [10, 100, 1000] as const;

/**
 * Samples of at least 20 ms: a 1000-statement validation allocates megabytes, so young-generation collections come
 * every few calls; a sample spanning several calls carries its fair share of them instead of all or none, which
 * would make the median jump between "with GC" and "without". The server suite gets the most samples: the targets
 * are judged on it.
 */
const FULL_PLAN: SamplingPlan = { warmupMs: 250, minSampleMs: 20, samples: 41, minSamples: 15, maxMs: 12_000 };
/** Noble is reported for comparison (it is what browsers run) and is several times slower: fewer samples. */
const FULL_REFERENCE_PLAN: SamplingPlan = { warmupMs: 250, minSampleMs: 20, samples: 21, minSamples: 9, maxMs: 8_000 };
const QUICK_PLAN: SamplingPlan = { warmupMs: 20, minSampleMs: 2, samples: 5, minSamples: 3, maxMs: 300 };
/** How long the GC probe validates back to back. */
const GC_WINDOW_MS = { full: 2_000, quick: 200 };

const SUITE_ROLES: Record<string, string> = {
  "merkle-wasm": "server suite",
  "hash-wasm": "server fallback, one call per hash",
  noble: "reference suite, browsers",
};

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

/** Derives the per-block metrics of one (suite, size) group from its measurements. */
function blockMetrics(suite: string, n: number, byCase: Record<CaseKey, Measurement>): Record<string, Metric> {
  const med = (key: CaseKey) => byCase[key].us.median;
  const ms = (key: CaseKey) => med(key) / 1000;
  const p = `${suite}.${n}`;
  return {
    [`${p}.seal_legacy_ms`]: metric(ms("seal_legacy"), "ms", `sealBlock v1-legacy, ${n} statements, median`),
    [`${p}.seal_dual_ms`]: metric(ms("seal_dual"), "ms", `sealBlock v2-dual-required SHA3-256, ${n} statements, median`),
    [`${p}.dual_sealing_overhead_pct`]: metric(overheadPercent(med("seal_legacy"), med("seal_dual")), "%", "dual over legacy sealing time (medians)"),
    [`${p}.validate_v2_ms`]: metric(ms("validate_v2"), "ms", `validateBlock of the v2 block against its predecessor, ${n} statements, median`),
    [`${p}.validate_v2_p95_ms`]: metric(byCase.validate_v2.us.p95 / 1000, "ms", "the same, 95th percentile of samples"),
    [`${p}.validate_legacy_ms`]: metric(ms("validate_legacy"), "ms", `validateBlock of the v1 block against its predecessor, ${n} statements, median`),
    [`${p}.dual_validation_overhead_pct`]: metric(overheadPercent(med("validate_legacy"), med("validate_v2")), "%", "v2 over v1 validation time (medians)"),
    [`${p}.bare_legacy_ms`]: metric(ms("bare_legacy"), "ms", "bare hashing a legacy block needs (SHA-256 tree + prev hash), median"),
    [`${p}.bare_dual_ms`]: metric(ms("bare_dual"), "ms", "bare hashing a dual block needs (both trees, both prev hashes, dual commitment), median"),
    [`${p}.bare_dual_overhead_pct`]: metric(overheadPercent(med("bare_legacy"), med("bare_dual")), "%", "dual over legacy bare hashing: the overhead the algorithms alone impose"),
    [`${p}.validate_v2_over_bare_dual`]: metric(ratio(med("validate_v2"), med("bare_dual")), "ratio", "validation time over the bare hashing of the same data"),
    [`${p}.floor_dual_ms`]: metric(ms("floor_dual"), "ms", "node:crypto streaming the dual block's byte counts in one buffer per algorithm, median"),
    [`${p}.validate_v2_over_floor`]: metric(ratio(med("validate_v2"), med("floor_dual")), "ratio", "validation time over node:crypto streaming the same bytes (the floor)"),
    [`${p}.bare_dual_over_floor`]: metric(ratio(med("bare_dual"), med("floor_dual")), "ratio", "bare hashing over node:crypto streaming the same bytes"),
    [`${p}.seal_dual_over_bare_dual`]: metric(ratio(med("seal_dual"), med("bare_dual")), "ratio", "dual sealing time over its bare hashing"),
    [`${p}.seal_legacy_over_bare_legacy`]: metric(ratio(med("seal_legacy"), med("bare_legacy")), "ratio", "legacy sealing time over its bare hashing"),
    ...cpuMetrics(p, byCase),
  };
}

/** The same figures from the main thread's CPU clock, where the platform has one (see bench/harness/thread-clock.ts). */
function cpuMetrics(p: string, byCase: Record<CaseKey, Measurement>): Record<string, Metric> {
  if (CASE_KEYS.some((key) => byCase[key].cpu_us_per_call === null)) return {};
  const cpu = (key: CaseKey) => byCase[key].cpu_us_per_call!;
  const out: Record<string, Metric> = {};
  for (const key of CASE_KEYS) out[`${p}.${key}_cpu_ms`] = metric(cpu(key) / 1000, "ms", `${byCase[key].label}: main-thread CPU time per call (mean over samples)`);
  out[`${p}.dual_sealing_overhead_cpu_pct`] = metric(overheadPercent(cpu("seal_legacy"), cpu("seal_dual")), "%", "dual over legacy sealing, main-thread CPU time per call");
  out[`${p}.runqueue_wait_pct`] = metric(meanWait(byCase), "%", "share of the group's sampling time the thread waited for a CPU (busy machine)");
  return out;
}

function meanWait(byCase: Record<CaseKey, Measurement>): number {
  return CASE_KEYS.reduce((sum, key) => sum + (byCase[key].runqueue_wait_pct ?? 0), 0) / CASE_KEYS.length;
}

function timingTable(suite: HashSuite, rows: { n: number; byCase: Record<CaseKey, Measurement> }[]): ReportTable {
  return {
    id: `consensus-${suite.implementation}`,
    title: `Consensus, ${suite.implementation} (${SUITE_ROLES[suite.implementation] ?? "suite"}): median ms per block`,
    columns: [
      { key: "n", label: "statements", align: "right" },
      { key: "sealLegacy", label: "seal v1", align: "right" },
      { key: "sealDual", label: "seal v2", align: "right" },
      { key: "sealOverhead", label: "dual overhead", align: "right" },
      { key: "bareLegacy", label: "bare v1", align: "right" },
      { key: "bareDual", label: "bare v2", align: "right" },
      { key: "bareOverhead", label: "bare overhead", align: "right" },
      { key: "validate", label: "validate v2", align: "right" },
      { key: "validateP95", label: "p95", align: "right" },
      { key: "validateCpu", label: "v2 CPU", align: "right" },
      { key: "validateOverBare", label: "v2 / bare", align: "right" },
      { key: "floor", label: "floor", align: "right" },
      { key: "validateOverFloor", label: "v2 / floor", align: "right" },
      { key: "validateLegacy", label: "validate v1", align: "right" },
      { key: "wait", label: "CPU wait", align: "right" },
    ],
    rows: rows.map(({ n, byCase }) => {
      const med = (key: CaseKey) => byCase[key].us.median;
      return {
        n: String(n),
        sealLegacy: formatMsFromUs(med("seal_legacy")),
        sealDual: formatMsFromUs(med("seal_dual")),
        sealOverhead: formatPercent(overheadPercent(med("seal_legacy"), med("seal_dual"))),
        bareLegacy: formatMsFromUs(med("bare_legacy")),
        bareDual: formatMsFromUs(med("bare_dual")),
        bareOverhead: formatPercent(overheadPercent(med("bare_legacy"), med("bare_dual"))),
        validate: formatMsFromUs(med("validate_v2")),
        validateP95: formatMsFromUs(byCase.validate_v2.us.p95),
        validateOverBare: formatRatio(ratio(med("validate_v2"), med("bare_dual"))),
        floor: formatMsFromUs(med("floor_dual")),
        validateOverFloor: formatRatio(ratio(med("validate_v2"), med("floor_dual"))),
        validateLegacy: formatMsFromUs(med("validate_legacy")),
        validateCpu: byCase.validate_v2.cpu_us_per_call === null ? "n/a" : formatMsFromUs(byCase.validate_v2.cpu_us_per_call),
        wait: byCase.validate_v2.runqueue_wait_pct === null ? "n/a" : `${formatNumber(meanWait(byCase))}%`,
      };
    }),
    notes: [
      "v1 = v1-legacy (SHA-256); v2 = v2-dual-required (SHA-256 + SHA3-256 + dual commitment). Validation is against the predecessor.",
      "bare = the same hash calls made directly on prepared buffers (both trees, prev hashes, commitment): the floor under sealing and validation. With merkle-wasm each tree is one call of the WebAssembly routine on packed leaves.",
      "floor = node:crypto (OpenSSL) hashing the same number of bytes as one SHA-256 and one SHA3-256 buffer: no per-call cost and no per-message padding, so no per-leaf design reaches it.",
      "dual overhead = seal v2 / seal v1 - 1; bare overhead = the same for bare hashing, i.e. what the second algorithm alone costs.",
      "Times are wall-clock medians. v2 CPU = the main thread's time on a CPU per validate v2 (mean); CPU wait = share of the group's time the thread waited for a core (neighbours). n/a with --quick.",
    ],
  };
}

function storageTable(scenarios: ConsensusScenario[], metrics: Record<string, Metric>): ReportTable {
  const rows = scenarios.map((scenario) => {
    const s = storageFigures(scenario);
    const n = s.statementCount;
    const blockOverhead = overheadPercent(s.legacyBlockBytes, s.dualBlockBytes);
    const headerOverhead = overheadPercent(s.legacyHeaderBytes, s.dualHeaderBytes);
    Object.assign(metrics, {
      [`storage.${n}.legacy_block_bytes`]: metric(s.legacyBlockBytes, "bytes", "encodeBlock of the v1 block"),
      [`storage.${n}.dual_block_bytes`]: metric(s.dualBlockBytes, "bytes", "encodeBlock of the v2 block"),
      [`storage.${n}.block_overhead_pct`]: metric(blockOverhead, "%", "(dual block bytes - legacy block bytes) / legacy block bytes"),
      [`storage.${n}.legacy_header_bytes`]: metric(s.legacyHeaderBytes, "bytes", "encodeHeader of the v1 block"),
      [`storage.${n}.dual_header_bytes`]: metric(s.dualHeaderBytes, "bytes", "encodeHeader of the v2 block"),
      [`storage.${n}.header_overhead_pct`]: metric(headerOverhead, "%", "(dual header bytes - legacy header bytes) / legacy header bytes"),
      [`storage.${n}.mean_statement_bytes`]: metric(s.meanStatementBytes, "bytes", "mean UTF-8 length of a statement"),
    });
    return {
      n: String(n),
      chars: formatNumber(s.meanStatementChars),
      bytes: formatNumber(s.meanStatementBytes),
      legacyBlock: formatBytes(s.legacyBlockBytes),
      dualBlock: formatBytes(s.dualBlockBytes),
      blockOverhead: formatPercent(blockOverhead),
      legacyHeader: formatBytes(s.legacyHeaderBytes),
      dualHeader: formatBytes(s.dualHeaderBytes),
      headerOverhead: formatPercent(headerOverhead),
    };
  });
  return {
    id: "consensus-storage",
    title: "Storage: canonical encodings (encodeBlock = header + length-prefixed statements; encodeHeader)",
    columns: [
      { key: "n", label: "statements", align: "right" },
      { key: "chars", label: "mean chars", align: "right" },
      { key: "bytes", label: "mean UTF-8 B", align: "right" },
      { key: "legacyBlock", label: "v1 block B", align: "right" },
      { key: "dualBlock", label: "v2 block B", align: "right" },
      { key: "blockOverhead", label: "block overhead", align: "right" },
      { key: "legacyHeader", label: "v1 header B", align: "right" },
      { key: "dualHeader", label: "v2 header B", align: "right" },
      { key: "headerOverhead", label: "header overhead", align: "right" },
    ],
    rows,
    notes: ["The dual header adds pq_algorithm, pq_prev_hash, pq_merkle_root and dual_commitment; statements dominate a block's bytes."],
  };
}

/** The blocks two suites seal from the same inputs must be identical: a cheap cross-check before trusting timings. */
function checkSuitesAgree(a: ConsensusScenario, b: ConsensusScenario): void {
  if (JSON.stringify(a.dualBlock) !== JSON.stringify(b.dualBlock) || JSON.stringify(a.legacyBlock) !== JSON.stringify(b.legacyBlock)) {
    throw new Error(`consensus: ${a.suite.implementation} and ${b.suite.implementation} sealed different blocks from the same statements`);
  }
}

async function runConsensus(context: StageContext): Promise<StageResult> {
  const server = await loadWasmHashSuite();
  if (server.implementation !== "merkle-wasm") throw new Error(`consensus: the server suite fell back to ${server.implementation}; the Merkle module did not load`);
  const suites: { suite: HashSuite; plan: SamplingPlan }[] = [
    { suite: server, plan: context.quick ? QUICK_PLAN : FULL_PLAN },
    { suite: await loadPerCallWasmHashSuite(), plan: context.quick ? QUICK_PLAN : FULL_REFERENCE_PLAN },
    { suite: nobleHashSuite, plan: context.quick ? QUICK_PLAN : FULL_REFERENCE_PLAN },
  ];
  const measurements: Measurement[] = [];
  const metrics: Record<string, Metric> = {};
  const tables: ReportTable[] = [];
  const serverScenarios: ConsensusScenario[] = [];

  for (const { suite, plan } of suites) {
    const rows: { n: number; byCase: Record<CaseKey, Measurement> }[] = [];
    for (const n of STATEMENT_COUNTS) {
      context.progress(`consensus: ${suite.implementation}, ${n} statements`);
      const scenario = buildScenario(suite, n);
      if (suite === server) serverScenarios.push(scenario);
      else checkSuitesAgree(serverScenarios[STATEMENT_COUNTS.indexOf(n)], scenario);
      const results = measureGroup(CASE_KEYS.map((key) => scenario.cases[key]), plan);
      measurements.push(...results);
      const byCase = Object.fromEntries(results.map((m) => [m.params.case, m])) as Record<CaseKey, Measurement>;
      Object.assign(metrics, blockMetrics(suite.implementation, n, byCase));
      rows.push({ n, byCase });
    }
    tables.push(timingTable(suite, rows));
  }
  tables.push(storageTable(serverScenarios, metrics));

  const smallest = serverScenarios[0];
  context.progress(`consensus: sealing breakdown, ${server.implementation}, ${smallest.statements.length} statements`);
  const sealing = measureSealingBreakdown(smallest, context.quick ? QUICK_PLAN : FULL_PLAN);
  measurements.push(...sealing.measurements);
  Object.assign(metrics, sealing.metrics);
  tables.push(...sealing.tables);

  const largest = serverScenarios[serverScenarios.length - 1];
  context.progress(`consensus: validation breakdown, ${server.implementation}, ${largest.statements.length} statements`);
  const breakdown = measureValidationBreakdown(largest, context.quick ? QUICK_PLAN : FULL_PLAN);
  measurements.push(...breakdown.measurements);
  Object.assign(metrics, breakdown.metrics);
  tables.push(...breakdown.tables);
  context.progress("consensus: allocation and GC probes");
  const memory = measureValidationMemory(largest, await loadSingleBufferWasmSuite(), context.quick ? GC_WINDOW_MS.quick : GC_WINDOW_MS.full);
  Object.assign(metrics, memory.metrics);
  tables.push(...memory.tables);

  return {
    stage: "consensus",
    title: "Consensus: sealing, validation, storage and bare hashing per block",
    measurements,
    metrics,
    tables,
    notes: [...sealing.notes, ...breakdown.notes, ...memory.notes],
  };
}

export const consensusStage: BenchStage = {
  id: "consensus",
  title: "Consensus: sealing, validation, storage and bare hashing per block",
  description: "10/100/1000-statement blocks: seal v1 vs v2 (overhead), validate v2, storage, bare hashing; sealing and validation breakdowns",
  runsByDefault: true,
  run: runConsensus,
};
