/**
 * The Benchmarks page's service: stored runs from bench_runs (bench-run-repository.ts), with the charts and
 * comparisons lib/bench derives from their documents. The tRPC router `bench` is a thin layer over these.
 */
import type pg from "pg";

import { chartsForDocument, type BenchChart } from "../../lib/bench/bench-charts";
import { claimedBenchRunId, compareMetrics, firstJsonDifference, proposalBenchmarkResults, type MetricComparison } from "../../lib/bench/bench-run";
import { AppError } from "../../lib/errors";
import { getBenchRun, listBenchRuns, type BenchRun, type BenchRunSummary, type ListBenchRunsOptions } from "./bench-run-repository";

type Queryable = Pick<pg.Pool, "query">;

export interface BenchRunView extends BenchRun {
  charts: BenchChart[];
}

export interface BenchComparison {
  a: BenchRunView;
  b: BenchRunView;
  metrics: MetricComparison[];
}

export function listRuns(db: Queryable, options: ListBenchRunsOptions = {}): Promise<BenchRunSummary[]> {
  return listBenchRuns(db, options);
}

async function requireRun(db: Queryable, id: string): Promise<BenchRun> {
  const run = await getBenchRun(db, id);
  if (!run) throw new AppError("NOT_FOUND", `no stored benchmark run ${JSON.stringify(id)}`);
  return run;
}

/** One run with its charts; AppError NOT_FOUND when there is no such run. */
export async function getRunView(db: Queryable, id: string): Promise<BenchRunView> {
  const run = await requireRun(db, id);
  return { ...run, charts: chartsForDocument(run.document) };
}

/** Two runs of one stage side by side, metric by metric (ratio = b / a). Runs of different stages do not compare. */
export async function compareRuns(db: Queryable, aId: string, bId: string): Promise<BenchComparison> {
  const [a, b] = await Promise.all([getRunView(db, aId), getRunView(db, bId)]);
  if (a.stage !== b.stage) {
    throw new AppError("INVALID_INPUT", `runs ${aId} (${a.stage}) and ${bId} (${b.stage}) are of different stages; compare two runs of one stage`);
  }
  return { a, b, metrics: compareMetrics(a.document, b.document) };
}

/** A run's acceptance in the form of a governance proposal's `benchmark_results` (lib/bench/bench-run.ts). */
export async function runBenchmarkResults(db: Queryable, id: string): Promise<Record<string, unknown>> {
  return proposalBenchmarkResults(await requireRun(db, id));
}

/**
 * A proposal's `benchmark_results`, checked against the node's store before the proposal is accepted (server/
 * governance/proposal-actions.ts). The object is signed, so the node cannot replace it with its own copy; instead it
 * re-derives the results from the run the object names (proposalBenchmarkResults over the stored document) and
 * refuses the proposal, AppError INVALID_PROPOSAL, unless the signed object equals them field for field: a run that
 * does not exist here, or numbers edited after they were filled in, never reach reviewers as "from run N".
 * Objects that claim no stored run (no `bench_run_id`, no bench `source`) are the proposer's own words and pass.
 */
export async function checkProposalBenchmarkResults(db: Queryable, results: Readonly<Record<string, unknown>>): Promise<void> {
  const id = claimedBenchRunId(results);
  if (id === null) return;
  const run = await getBenchRun(db, id);
  if (!run) throw new AppError("INVALID_PROPOSAL", `benchmark_results names benchmark run ${id}, which this node has not stored (npm run bench -- --import stores a result file)`);
  const difference = firstJsonDifference(results, proposalBenchmarkResults(run));
  if (difference !== null) {
    throw new AppError("INVALID_PROPOSAL", `benchmark_results differ from stored benchmark run ${id} at ${difference}: fill them from the run (bench.proposalResults) and do not edit them`);
  }
}
