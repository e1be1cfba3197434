/**
 * The plan's five-week benchmark programme (PLAN.md §2, "5-Week Orchestration Script"), mapped onto this project's
 * bench stages: which stages each week runs, the CSV it writes under the plan's file name and with which columns,
 * and how the plan's four acceptance criteria are judged over a whole run. `npm run bench -- --week N|all`
 * (bench/weeks.ts) runs it; this module is pure: stage result documents in, rows and verdicts out.
 *
 *   week 1  micro        week1_micro_results.csv        "Week 1: Micro-Benchmark Baseline"
 *   week 2  consensus    week2_component_results.csv    "Week 2: Component Overhead Analysis"
 *   week 3  integration  week3_integration_results.csv  "Week 3: Integration Performance Validation"
 *   week 4  network,     week4_network_results.csv      "Week 4: Network Impact Assessment"
 *           network-sim
 *   week 5  stress       week5_stress_results.csv       "Week 5: Stress Testing and Bottleneck Analysis"
 *
 * Columns: weeks 3 and 4 have the plan's dataclass fields exactly (IntegrationBenchmarkResult,
 * NetworkBenchmarkResult). For weeks 1 and 2 the plan lists metrics, not field names ("Mean, median, P90, P95, P99,
 * throughput (MB/s)"; "Mean, median, P90, P95, overhead percentage"): the columns are those metrics with their unit
 * in the name, plus what identifies a row. Week 5's plan names no result type; its columns are what the stress stage
 * measures (offered and achieved rates, backlog, CPU, memory; the largest block within 100 ms).
 */
import type { AcceptanceRecord, BenchResultDocument, Measurement } from "./bench-result";

/** A cell of a plan CSV: a number at full precision, a word, or empty. */
export type PlanCell = string | number | boolean | null;
export type PlanRow = Record<string, PlanCell>;

export interface PlanWeek {
  week: 1 | 2 | 3 | 4 | 5;
  /** The plan's report title (generate_report(...) in PLAN.md). */
  title: string;
  /** The plan's CSV file name. */
  csvName: string;
  columns: readonly string[];
  /** The stages the week runs, in order. A stage missing from the build is reported, not fatal (see bench/weeks.ts). */
  stages: readonly string[];
}

export const MICRO_COLUMNS = ["algorithm", "implementation", "input_size_bytes", "iterations", "mean_us", "median_us", "p90_us", "p95_us", "p99_us", "throughput_mbps"] as const;
export const COMPONENT_COLUMNS = ["operation", "implementation", "statement_count", "iterations", "mean_ms", "median_ms", "p90_ms", "p95_ms", "overhead_pct"] as const;
export const INTEGRATION_COLUMNS = ["scenario_name", "block_count", "statement_count_per_block", "total_validation_time_ms", "mean_block_time_ms", "throughput_blocks_per_second"] as const;
export const NETWORK_COLUMNS = ["scenario_name", "node_count", "block_size_bytes", "propagation_time_ms", "consensus_latency_ms", "bandwidth_usage_mbps", "orphan_rate"] as const;
export const STRESS_COLUMNS = [
  "scenario_name",
  "statements_per_block",
  "offered_blocks_per_s",
  "achieved_blocks_per_s",
  "backlog_ms",
  "sustained",
  "event_loop_utilization_pct",
  "node_cpu_pct",
  "postgres_cpu_pct",
  "rss_mb",
  "heap_used_mb",
  "validate_ms",
  "within_100ms",
] as const;

export const PLAN_WEEKS: readonly PlanWeek[] = [
  { week: 1, title: "Week 1: Micro-Benchmark Baseline", csvName: "week1_micro_results.csv", columns: MICRO_COLUMNS, stages: ["micro"] },
  { week: 2, title: "Week 2: Component Overhead Analysis", csvName: "week2_component_results.csv", columns: COMPONENT_COLUMNS, stages: ["consensus"] },
  { week: 3, title: "Week 3: Integration Performance Validation", csvName: "week3_integration_results.csv", columns: INTEGRATION_COLUMNS, stages: ["integration"] },
  // The real local testnet first: it is what the plan's propagation criterion is judged on; the simulator extends it
  // to 10,000 nodes.
  { week: 4, title: "Week 4: Network Impact Assessment", csvName: "week4_network_results.csv", columns: NETWORK_COLUMNS, stages: ["network", "network-sim"] },
  { week: 5, title: "Week 5: Stress Testing and Bottleneck Analysis", csvName: "week5_stress_results.csv", columns: STRESS_COLUMNS, stages: ["stress"] },
];

/** The plan CSV's base name ("week3_integration_results"): the key a stage's `plan_rows` use. */
export function planTableId(week: PlanWeek): string {
  return week.csvName.replace(/\.csv$/, "");
}

export class WeekSelectionError extends Error {}

/**
 * `--week` values: a week number 1..5, a range ("2..4"), a comma-separated list of them, or "all". Returns the weeks in the plan's
 * order, each once. Throws WeekSelectionError naming the bad part.
 */
export function parseWeekSelection(values: readonly string[]): PlanWeek[] {
  const chosen = new Set<number>();
  for (const value of values) {
    for (const part of value.split(",").map((s) => s.trim())) {
      if (part === "all") {
        for (const w of PLAN_WEEKS) chosen.add(w.week);
      } else if (/^[1-5]$/.test(part)) {
        chosen.add(Number(part));
      } else if (/^[1-5]\.\.[1-5]$/.test(part) && Number(part[0]) <= Number(part[3])) {
        for (let w = Number(part[0]); w <= Number(part[3]); w++) chosen.add(w);
      } else {
        throw new WeekSelectionError(`--week takes a week of the plan (1 to 5, a list "1,3" or a range "2..4") or "all" (got ${JSON.stringify(part)})`);
      }
    }
  }
  if (chosen.size === 0) throw new WeekSelectionError(`--week takes a week of the plan, 1 to 5, or "all"`);
  return PLAN_WEEKS.filter((w) => chosen.has(w.week));
}

// ---------------------------------------------------------------------------------------------------------------
// Rows of each week's CSV, from the stage documents of the week.

function summaryRow(m: Measurement, unitDivisor: number) {
  const s = m.us;
  return {
    iterations: s.count * m.iterations_per_sample,
    mean: s.mean / unitDivisor,
    median: s.median / unitDivisor,
    p90: s.p90 / unitDivisor,
    p95: s.p95 / unitDivisor,
    p99: s.p99 / unitDivisor,
  };
}

/** Week 1: one row per (algorithm, implementation, input size) hash measurement of the micro stage. */
export function microPlanRows(doc: Pick<BenchResultDocument, "measurements">): PlanRow[] {
  return doc.measurements
    .filter((m) => typeof m.params.algorithm === "string" && typeof m.params.bytes === "number")
    .map((m) => {
      const s = summaryRow(m, 1);
      return {
        algorithm: String(m.params.algorithm),
        implementation: String(m.params.implementation),
        input_size_bytes: Number(m.params.bytes),
        iterations: s.iterations,
        mean_us: s.mean,
        median_us: s.median,
        p90_us: s.p90,
        p95_us: s.p95,
        p99_us: s.p99,
        throughput_mbps: Number(m.params.bytes) / m.us.median, // bytes per µs = MB/s
      };
    });
}

/**
 * The consensus stage's per-block cases as the plan's component operations. The plan's "Merkle tree construction /
 * dual Merkle tree / dual commitment" are measured together as the bare hashing of a block (both trees, both prev
 * hashes and the dual commitment, consensus-scenario.ts); sealing and validation are the plan's operations as named.
 * A dual operation's overhead is over its legacy counterpart (same suite, same statement count, same run).
 */
const COMPONENT_OPERATIONS: Record<string, { operation: string; legacyCase: string | null }> = {
  bare_legacy: { operation: "merkle_tree_and_prev_hash_legacy", legacyCase: null },
  bare_dual: { operation: "dual_merkle_tree_and_commitment", legacyCase: "bare_legacy" },
  seal_legacy: { operation: "block_seal_legacy", legacyCase: null },
  seal_dual: { operation: "block_seal_dual", legacyCase: "seal_legacy" },
  validate_legacy: { operation: "block_validation_legacy", legacyCase: null },
  validate_v2: { operation: "block_validation_dual", legacyCase: "validate_legacy" },
};

/** Week 2: one row per (operation, suite, statement count) of the consensus stage, medians in ms. */
export function componentPlanRows(doc: Pick<BenchResultDocument, "measurements">): PlanRow[] {
  const perBlock = doc.measurements.filter((m) => typeof m.params.case === "string" && Object.hasOwn(COMPONENT_OPERATIONS, String(m.params.case)));
  const find = (suite: unknown, n: unknown, key: string) => perBlock.find((m) => m.params.suite === suite && m.params.statements === n && m.params.case === key);
  return perBlock.map((m) => {
    const op = COMPONENT_OPERATIONS[String(m.params.case)];
    const legacy = op.legacyCase === null ? undefined : find(m.params.suite, m.params.statements, op.legacyCase);
    const s = summaryRow(m, 1000);
    return {
      operation: op.operation,
      implementation: String(m.params.suite),
      statement_count: Number(m.params.statements),
      iterations: s.iterations,
      mean_ms: s.mean,
      median_ms: s.median,
      p90_ms: s.p90,
      p95_ms: s.p95,
      overhead_pct: legacy === undefined ? null : ((m.us.median - legacy.us.median) / legacy.us.median) * 100,
    };
  });
}

/**
 * The rows a stage gives for a plan table: its `plan_rows` (full precision) when it has them, else the report table
 * of the same id (its display strings), so a stage written before `plan_rows` existed still fills its week.
 */
export function stagePlanRows(doc: Pick<BenchResultDocument, "tables" | "plan_rows">, tableId: string): PlanRow[] {
  const rows = doc.plan_rows?.[tableId];
  if (rows !== undefined) return rows;
  const table = doc.tables.find((t) => t.id === tableId);
  return table === undefined ? [] : table.rows.map((r) => ({ ...r }));
}

/** Every row of a week's CSV from the documents of its stages (absent stages give none). */
export function weekPlanRows(week: PlanWeek, docs: readonly BenchResultDocument[]): PlanRow[] {
  const rows: PlanRow[] = [];
  for (const doc of docs) {
    if (!week.stages.includes(doc.stage)) continue;
    if (week.week === 1) rows.push(...microPlanRows(doc));
    else if (week.week === 2) rows.push(...componentPlanRows(doc));
    else {
      const stageRows = stagePlanRows(doc, planTableId(week));
      // Week 4 mixes the testnet and the simulator: the stage is part of the scenario's name, so rows never collide.
      rows.push(...(week.week === 4 ? stageRows.map((r) => ({ ...r, scenario_name: `${doc.stage}:${String(r.scenario_name ?? "")}` })) : stageRows));
    }
  }
  return rows;
}

/** The rows as cells in the week's column order (a missing key is an empty cell). */
export function weekCsvCells(week: PlanWeek, rows: readonly PlanRow[]): PlanCell[][] {
  return rows.map((r) => week.columns.map((c) => (Object.hasOwn(r, c) ? r[c] : null)));
}

// ---------------------------------------------------------------------------------------------------------------
// The plan's four acceptance criteria over a whole run.

export interface PlanCriterion {
  /** The plan's ACCEPTANCE_CRITERIA key. */
  id: "block_sealing_overhead" | "block_validation_latency" | "storage_overhead" | "network_propagation";
  label: string;
  bar: number;
  unit: string;
  /** The stages whose verdicts judge it; others (the simulator's propagation) are shown as supporting figures. */
  judgedOn: readonly string[];
  /** The week that produces it. */
  week: number;
}

export const PLAN_CRITERIA: readonly PlanCriterion[] = [
  { id: "block_sealing_overhead", label: "block sealing overhead", bar: 300, unit: "%", judgedOn: ["consensus"], week: 2 },
  { id: "block_validation_latency", label: "block validation latency", bar: 100, unit: "ms", judgedOn: ["consensus", "validate-api"], week: 2 },
  { id: "storage_overhead", label: "storage overhead", bar: 30, unit: "%", judgedOn: ["consensus"], week: 2 },
  // Issue 9: propagation is judged on the real local testnet (stage "network"), not on the simulator.
  { id: "network_propagation", label: "network propagation (PQ / legacy)", bar: 2.0, unit: "×", judgedOn: ["network"], week: 4 },
];

export type PlanVerdictStatus = "PASS" | "FAIL" | "MISSING";

export interface PlanVerdict {
  criterion: PlanCriterion;
  status: PlanVerdictStatus;
  /** The worst measured value among the judging verdicts (the one nearest to or past the bar), or null. */
  worst: number | null;
  /** The judging verdicts: stage and record. */
  judged: { stage: string; record: AcceptanceRecord }[];
  /** Verdicts on the same plan criterion from other stages (e.g. the simulator), for the reader. */
  supporting: { stage: string; record: AcceptanceRecord }[];
  /** Why it is MISSING, when it is. */
  reason: string | null;
}

/**
 * Judges the plan's four criteria over the documents of one run: each passes when every verdict of its judging
 * stages meets the plan's bar. A criterion with no such verdict is MISSING, with the reason (its stage did not run,
 * or is not in this build: `availableStages`).
 */
export function judgePlanCriteria(docs: readonly Pick<BenchResultDocument, "stage" | "acceptance">[], availableStages: readonly string[]): PlanVerdict[] {
  return PLAN_CRITERIA.map((criterion) => {
    const judged: PlanVerdict["judged"] = [];
    const supporting: PlanVerdict["supporting"] = [];
    for (const doc of docs) {
      for (const record of doc.acceptance) {
        if (record.plan_criterion !== criterion.id || record.plan_bar === null) continue;
        (criterion.judgedOn.includes(doc.stage) ? judged : supporting).push({ stage: doc.stage, record });
      }
    }
    if (judged.length === 0) {
      const missingFromBuild = criterion.judgedOn.filter((s) => !availableStages.includes(s));
      const reason =
        missingFromBuild.length === criterion.judgedOn.length
          ? `stage ${criterion.judgedOn.map((s) => `"${s}"`).join(" / ")} is not in this build`
          : `no ${criterion.judgedOn.join(" or ")} result in this run (week ${criterion.week} not run, or its stage failed)`;
      return { criterion, status: "MISSING", worst: null, judged, supporting, reason };
    }
    const values = judged.map((j) => j.record.value);
    const missing = values.some((v) => v === null);
    const atMost = judged[0].record.comparison === "at-most";
    const numbers = values.filter((v): v is number => v !== null);
    const worst = numbers.length === 0 ? null : atMost ? Math.max(...numbers) : Math.min(...numbers);
    const status: PlanVerdictStatus = missing ? "MISSING" : judged.every((j) => j.record.plan_status === "PASS") ? "PASS" : "FAIL";
    return { criterion, status, worst, judged, supporting, reason: missing ? "a judging metric was missing from its stage's result" : null };
  });
}
