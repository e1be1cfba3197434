/**
 * The benchmark result document: what `npm run bench` writes to bench/results/<stage>-<timestamp>.json (and
 * latest-<stage>.json), and its CSV form. A dashboard page reads these files; keep changes additive and bump
 * BENCH_RESULT_SCHEMA when a field changes meaning.
 *
 * JSON keys are snake_case like the rest of the project's JSON. Times are microseconds per call everywhere in the
 * document (tables may show milliseconds); metrics carry their own unit.
 */
import type { AcceptanceResult } from "./acceptance";
import type { PlanRow } from "./plan-weeks";
import type { SampleSummary } from "./statistics";
import { renderCsv, type ReportTable } from "./report-table";

export const BENCH_RESULT_SCHEMA = "mathledger-pq/bench-result@1";

/** One timed case: what ran, how it was sampled, and the per-call time in microseconds. */
export interface Measurement {
  /** Unique within the stage ("hash-wasm/1000/validate_v2"). */
  id: string;
  /** What was timed, for a reader ("validateBlock(v2 block, prev)"). */
  label: string;
  params: Record<string, string | number>;
  /** Input bytes per call when throughput is meaningful (hash calls), else null. */
  bytes_per_call: number | null;
  /** Calls timed together per sample, so each sample spans well above the timer's resolution. */
  iterations_per_sample: number;
  /** Per-call wall time in µs: one value per sample (total / iterations), summarized. */
  us: SampleSummary;
  /**
   * Mean per-call time the measuring thread spent on a CPU, in µs, over all samples (Linux /proc/self/schedstat),
   * or null where unknown or the samples were too short for its tick-grained clock. Below the wall time when other
   * processes took the CPU; it leaves out GC helper threads' work.
   */
  cpu_us_per_call: number | null;
  /** Share of the samples' wall time the thread was runnable but waiting for a CPU (a busy machine), or null. */
  runqueue_wait_pct: number | null;
}

/** A derived figure (an overhead, a ratio, a size), the unit of acceptance checks. */
export interface Metric {
  value: number;
  unit: string;
  description: string;
}

/** What a stage returns: the harness adds the run's context around it. */
export interface StageResult {
  stage: string;
  title: string;
  measurements: Measurement[];
  /** Keyed by a stable dotted name ("hash-wasm.1000.validate_v2_ms"); acceptance criteria refer to these keys. */
  metrics: Record<string, Metric>;
  tables: ReportTable[];
  /** Observations worth a sentence (where validation time goes, why a figure is what it is). */
  notes: string[];
  /**
   * Rows of a plan CSV this stage contributes to, at full precision, keyed by the CSV's base name
   * ("week3_integration_results"; lib/bench/plan-weeks.ts). Optional: stages the plan's weeks do not read have none.
   */
  plan_rows?: Record<string, PlanRow[]>;
}

/** Facts about the machine and the run that a reader needs to compare two result files. */
export interface BenchEnvironment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpu_model: string;
  cpu_count: number;
  total_memory_mb: number;
  /** 1-minute load average when the stage started and ended: a busy machine inflates every time. */
  load_average_start: number;
  load_average_end: number;
  git_commit: string | null;
  /** Versions of the hash libraries measured. */
  packages: Record<string, string | null>;
}

/** An acceptance verdict as stored in the document (flattened for JSON and CSV readers). */
export interface AcceptanceRecord {
  id: string;
  plan_criterion: string | null;
  description: string;
  metric: string;
  unit: string;
  comparison: "at-most" | "at-least";
  value: number | null;
  target: number;
  status: AcceptanceResult["status"];
  plan_bar: number | null;
  plan_status: AcceptanceResult["planStatus"];
  source: string;
}

export interface BenchResultDocument extends StageResult {
  schema: typeof BENCH_RESULT_SCHEMA;
  /** True for a shortened run (`--quick`): fewer samples, shorter warm-up; numbers are indicative only. */
  quick: boolean;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  /** The arguments the harness was run with. */
  argv: string[];
  environment: BenchEnvironment;
  acceptance: AcceptanceRecord[];
}

/** Metric values only, keyed as in `result.metrics` (what acceptance checks read). */
export function metricValues(result: Pick<StageResult, "metrics">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, metric] of Object.entries(result.metrics)) out[key] = metric.value;
  return out;
}

export function toAcceptanceRecord(result: AcceptanceResult): AcceptanceRecord {
  const c = result.criterion;
  return {
    id: c.id,
    plan_criterion: c.planCriterion,
    description: c.description,
    metric: c.metric,
    unit: c.unit,
    comparison: c.comparison,
    value: result.value,
    target: c.target,
    status: result.status,
    plan_bar: c.planBar,
    plan_status: result.planStatus,
    source: c.source,
  };
}

const CSV_HEADER = [
  "stage",
  "kind",
  "id",
  "label",
  "params",
  "unit",
  "value",
  "samples",
  "iterations_per_sample",
  "min",
  "median",
  "p90",
  "p95",
  "p99",
  "max",
  "mean",
  "stddev",
  "mad",
  "mb_per_s",
  "cpu_us_per_call",
  "runqueue_wait_pct",
] as const;

function paramsText(params: Record<string, string | number | null>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(";");
}

/**
 * The document as one long-format CSV: a "timing" row per measurement (value = median µs/call), a "metric" row per
 * metric and an "acceptance" row per verdict, all with the same columns so files from many runs concatenate.
 */
export function resultToCsv(doc: Pick<BenchResultDocument, "stage" | "measurements" | "metrics" | "acceptance">): string {
  const rows: (string | number | null)[][] = [];
  for (const m of doc.measurements) {
    const s = m.us;
    const mbps = m.bytes_per_call === null ? null : m.bytes_per_call / s.median; // bytes per µs = MB/s
    rows.push([doc.stage, "timing", m.id, m.label, paramsText(m.params), "us/call", s.median, s.count, m.iterations_per_sample,
      s.min, s.median, s.p90, s.p95, s.p99, s.max, s.mean, s.stddev, s.mad, mbps, m.cpu_us_per_call, m.runqueue_wait_pct]);
  }
  for (const [key, metric] of Object.entries(doc.metrics)) {
    rows.push([doc.stage, "metric", key, metric.description, "", metric.unit, metric.value]);
  }
  for (const a of doc.acceptance) {
    const params = paramsText({ comparison: a.comparison, target: a.target, status: a.status, plan_bar: a.plan_bar, plan_status: a.plan_status });
    rows.push([doc.stage, "acceptance", a.id, a.description, params, a.unit, a.value]);
  }
  return renderCsv(CSV_HEADER, rows);
}
