/**
 * bench_runs: one row per stage result of `npm run bench` (prisma/schema.prisma, model BenchRun). Plain pg, like the
 * chain's repositories, so the bench process does not load the Prisma client to store one row.
 *
 * Row ids are bigints, handed out as decimal strings (URLs and JSON); the pool from server/db/pg-pool.ts parses int8
 * as numbers, so ids are cast to text in SQL and nothing depends on the pool's parser.
 */
import type pg from "pg";

import { acceptanceCounts, runPassed, type AcceptanceCounts } from "../../lib/bench/bench-run";
import type { BenchEnvironment, BenchResultDocument } from "../../lib/bench/bench-result";

type Queryable = Pick<pg.Pool, "query">;

/** A run as the list shows it: no measurements or tables. */
export interface BenchRunSummary {
  id: string;
  runId: string;
  stage: string;
  title: string;
  quick: boolean;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  counts: AcceptanceCounts;
  cpuCount: number;
  loadAverageStart: number;
  loadAverageEnd: number;
  gitCommit: string | null;
}

export interface BenchRun extends BenchRunSummary {
  document: BenchResultDocument;
}

export interface StoredBenchRun {
  id: string;
  /** False when a row with the same stage and start time was already stored (an import of the same file). */
  inserted: boolean;
}

/** Stores one stage result; `runId` groups the stages of one invocation. Idempotent per (stage, started_at). */
export async function insertBenchRun(db: Queryable, runId: string, doc: BenchResultDocument): Promise<StoredBenchRun> {
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO bench_runs (run_id, stage, title, quick, started_at, finished_at, environment, acceptance, document, passed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (stage, started_at) DO NOTHING
     RETURNING id::text AS id`,
    [
      runId,
      doc.stage,
      doc.title,
      doc.quick,
      doc.started_at,
      doc.finished_at,
      JSON.stringify(doc.environment),
      JSON.stringify(doc.acceptance),
      JSON.stringify(doc),
      runPassed(doc.acceptance),
    ],
  );
  if (inserted.rows.length > 0) return { id: inserted.rows[0].id, inserted: true };
  const existing = await db.query<{ id: string }>("SELECT id::text AS id FROM bench_runs WHERE stage = $1 AND started_at = $2", [doc.stage, doc.started_at]);
  return { id: existing.rows[0].id, inserted: false };
}

interface SummaryRow {
  id: string;
  run_id: string;
  stage: string;
  title: string;
  quick: boolean;
  started_at: Date;
  finished_at: Date;
  passed: boolean;
  environment: BenchEnvironment;
  acceptance: BenchResultDocument["acceptance"];
}

const SUMMARY_COLUMNS = "id::text AS id, run_id, stage, title, quick, started_at, finished_at, passed, environment, acceptance";

function toSummary(row: SummaryRow): BenchRunSummary {
  return {
    id: row.id,
    runId: row.run_id,
    stage: row.stage,
    title: row.title,
    quick: row.quick,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
    passed: row.passed,
    counts: acceptanceCounts(row.acceptance),
    cpuCount: row.environment.cpu_count,
    loadAverageStart: row.environment.load_average_start,
    loadAverageEnd: row.environment.load_average_end,
    gitCommit: row.environment.git_commit ?? null,
  };
}

export interface ListBenchRunsOptions {
  stage?: string;
  /** At most this many, newest first (default 100). */
  limit?: number;
}

/** Stored runs, newest first (by the stage's start time, then id). */
export async function listBenchRuns(db: Queryable, options: ListBenchRunsOptions = {}): Promise<BenchRunSummary[]> {
  const { rows } = await db.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM bench_runs
     WHERE ($1::text IS NULL OR stage = $1)
     ORDER BY started_at DESC, id DESC
     LIMIT $2`,
    [options.stage ?? null, options.limit ?? 100],
  );
  return rows.map(toSummary);
}

/** One run with its whole document, or null. `id` is the row id as a decimal string. */
export async function getBenchRun(db: Queryable, id: string): Promise<BenchRun | null> {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) return null;
  const { rows } = await db.query<SummaryRow & { document: BenchResultDocument }>(
    `SELECT ${SUMMARY_COLUMNS}, document FROM bench_runs WHERE id = $1::bigint`,
    [id],
  );
  return rows.length === 0 ? null : { ...toSummary(rows[0]), document: rows[0].document };
}
