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
    source: "mathledger-pq bench",
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
