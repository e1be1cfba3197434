/**
 * A stored benchmark run: one stage's result document (bench-result.ts) as the Benchmarks page, the HTML report and
 * a governance proposal read it. Pure: parsing an untrusted document (a file given to `npm run bench -- --import`),
 * the acceptance summary, the figure a proposal's `benchmark_results` takes, and the comparison of two runs.
 */
import { z } from "zod";

import { AppError } from "../errors";
import { BENCH_RESULT_SCHEMA, type AcceptanceRecord, type BenchResultDocument } from "./bench-result";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO-8601 time");

/**
 * What a stored document must hold for the page and the repository to read it. Fields a later schema adds pass
 * through unchecked (the document is stored whole); the ones read here are checked, so a hand-edited file fails
 * with the field's path rather than as a broken page.
 */
const documentSchema = z
  .object({
    schema: z.literal(BENCH_RESULT_SCHEMA),
    stage: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be a stage id (lower-case letters, digits, . _ -)"),
    title: z.string().min(1).max(500),
    quick: z.boolean(),
    started_at: isoTime,
    finished_at: isoTime,
    duration_ms: finite,
    measurements: z.array(z.looseObject({ id: z.string(), label: z.string() })),
    metrics: z.record(z.string(), z.looseObject({ value: finite, unit: z.string(), description: z.string() })),
    tables: z.array(
      z.looseObject({
        id: z.string(),
        title: z.string(),
        columns: z.array(z.looseObject({ key: z.string(), label: z.string() })),
        rows: z.array(z.record(z.string(), z.string())),
      }),
    ),
    notes: z.array(z.string()),
    argv: z.array(z.string()),
    environment: z.looseObject({ cpu_count: finite, load_average_start: finite, load_average_end: finite, node: z.string() }),
    acceptance: z.array(
      z.looseObject({
        id: z.string(),
        description: z.string(),
        metric: z.string(),
        unit: z.string(),
        comparison: z.enum(["at-most", "at-least"]),
        value: finite.nullable(),
        target: finite,
        status: z.enum(["PASS", "FAIL", "MISSING"]),
        plan_bar: finite.nullable(),
      }),
    ),
  })
  .loose();

/** Validates an untrusted value as a result document; AppError INVALID_BENCH_RESULT naming the first bad field. */
export function parseBenchResultDocument(value: unknown): BenchResultDocument {
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join(".") : "the document";
    throw new AppError("INVALID_BENCH_RESULT", `not a ${BENCH_RESULT_SCHEMA} document: ${where}: ${issue.message}`);
  }
  return parsed.data as unknown as BenchResultDocument;
}

export interface AcceptanceCounts {
  pass: number;
  fail: number;
  /** Verdicts that are not PASS (FAIL or a missing metric), the ones that make a run fail. */
  notPassed: number;
  total: number;
}

export function acceptanceCounts(acceptance: readonly Pick<AcceptanceRecord, "status">[]): AcceptanceCounts {
  const pass = acceptance.filter((a) => a.status === "PASS").length;
  const fail = acceptance.filter((a) => a.status === "FAIL").length;
  return { pass, fail, notPassed: acceptance.length - pass, total: acceptance.length };
}

/** A run passes when every verdict is PASS; a stage with no criteria has nothing to fail. */
export function runPassed(acceptance: readonly Pick<AcceptanceRecord, "status">[]): boolean {
  return acceptance.every((a) => a.status === "PASS");
}

/**
 * A run's acceptance in the form a governance proposal's `benchmark_results` takes (lib/governance/bodies.ts: a free
 * JSON object, snake_case like the plan's ActivationProposal). It names the run so reviewers can open it on the
 * Benchmarks page, carries the machine facts a reader needs to judge the numbers, and one entry per criterion with
 * the measured value beside the project's target and the plan's bar. No floats that JSON cannot carry: a missing
 * metric is null.
 */
export function proposalBenchmarkResults(run: { id: string; runId: string; document: BenchResultDocument }): Record<string, unknown> {
  const doc = run.document;
  const counts = acceptanceCounts(doc.acceptance);
  return {
    source: BENCH_RESULTS_SOURCE,
    schema: doc.schema,
    bench_run_id: run.id,
    run_id: run.runId,
    stage: doc.stage,
    title: doc.title,
    quick: doc.quick,
    started_at: doc.started_at,
    passed: runPassed(doc.acceptance),
    criteria_passed: counts.pass,
    criteria_total: counts.total,
    environment: {
      cpu_count: doc.environment.cpu_count,
      cpu_model: doc.environment.cpu_model ?? null,
      load_average_start: doc.environment.load_average_start,
      load_average_end: doc.environment.load_average_end,
      node: doc.environment.node,
      git_commit: doc.environment.git_commit ?? null,
    },
    acceptance: doc.acceptance.map((a) => ({
      id: a.id,
      plan_criterion: a.plan_criterion ?? null,
      metric: a.metric,
      unit: a.unit,
      comparison: a.comparison,
      value: a.value,
      target: a.target,
      status: a.status,
      plan_bar: a.plan_bar,
      plan_status: a.plan_status ?? null,
    })),
  };
}

/** One metric of two runs side by side. */
export interface MetricComparison {
  key: string;
  unit: string;
  description: string;
  a: number | null;
  b: number | null;
  /** b / a, or null when either is missing or a is 0. */
  ratio: number | null;
}

/**
 * Every metric of either run, sorted by key (a document read back from jsonb has lost its key order), with the ratio
 * b / a where both have it.
 */
export function compareMetrics(a: Pick<BenchResultDocument, "metrics">, b: Pick<BenchResultDocument, "metrics">): MetricComparison[] {
  const keys = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort();
  return keys.map((key) => {
    const ma = a.metrics[key];
    const mb = b.metrics[key];
    const va = ma?.value ?? null;
    const vb = mb?.value ?? null;
    return {
      key,
      unit: (ma ?? mb).unit,
      description: (ma ?? mb).description,
      a: va,
      b: vb,
      ratio: va === null || vb === null || va === 0 ? null : vb / va,
    };
  });
}

/** The `source` a stored run's `benchmark_results` carry (proposalBenchmarkResults). */
export const BENCH_RESULTS_SOURCE = "mathledger-pq bench";
const ROW_ID = /^[1-9][0-9]{0,17}$/;

/**
 * The stored run a proposal's `benchmark_results` claim to come from, or null when they do not claim one (free JSON
 * typed by the proposer, which the node leaves as given). An object carrying `bench_run_id` or the bench's `source`
 * claims a run and must name one; AppError INVALID_PROPOSAL when the id is missing or malformed.
 */
export function claimedBenchRunId(results: Readonly<Record<string, unknown>>): string | null {
  if (!Object.hasOwn(results, "bench_run_id") && results.source !== BENCH_RESULTS_SOURCE) return null;
  const id = results.bench_run_id;
  if (typeof id !== "string" || !ROW_ID.test(id)) {
    throw new AppError("INVALID_PROPOSAL", `benchmark_results.bench_run_id must name a stored benchmark run (a positive integer as a string), got ${JSON.stringify(id ?? null)}`);
  }
  return id;
}

/**
 * The first place two JSON values differ ("benchmark_results.acceptance[2].value"), or null when they are equal.
 * Object key order does not matter (canonical JSON sorts keys); array order does.
 */
export function firstJsonDifference(a: unknown, b: unknown, path = "benchmark_results"): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a === "number" && typeof b === "number" && a === b) return null; // 0 and -0
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return path;
    if (a.length !== b.length) return `${path} (length ${a.length}, stored ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      const d = firstJsonDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
      if (!Object.hasOwn(ra, key) || !Object.hasOwn(rb, key)) return `${path}.${key}`;
      const d = firstJsonDifference(ra[key], rb[key], `${path}.${key}`);
      if (d !== null) return d;
    }
    return null;
  }
  return path;
}
