/**
 * `bench`: stored `npm run bench` results (server/bench/bench-service.ts).
 *
 *   bench.runs({ stage?, limit? })        runs, newest first, with their PASS/FAIL counts
 *   bench.run({ id })                     one run: its document and the charts it has data for
 *   bench.compare({ a, b })               two runs of one stage side by side (ratio b / a per metric)
 *   bench.proposalResults({ id })         the run's acceptance as a governance proposal's `benchmark_results` object
 */
import { z } from "zod";

import { getPgPool } from "../../db/pg-pool";
import { compareRuns, getRunView, listRuns, runBenchmarkResults } from "../../bench/bench-service";
import { createTRPCRouter } from "../trpc";
import { databaseProcedure } from "./database-procedure";

const runId = z.string().regex(/^[1-9][0-9]{0,17}$/, "a run id is a positive integer");

export const benchRouter = createTRPCRouter({
  runs: databaseProcedure
    .input(z.object({ stage: z.string().max(64).optional(), limit: z.number().int().min(1).max(500).optional() }).optional())
    .query(async ({ input }) => listRuns(await getPgPool(), input ?? {})),
  run: databaseProcedure.input(z.object({ id: runId })).query(async ({ input }) => getRunView(await getPgPool(), input.id)),
  compare: databaseProcedure
    .input(z.object({ a: runId, b: runId }))
    .query(async ({ input }) => compareRuns(await getPgPool(), input.a, input.b)),
  proposalResults: databaseProcedure
    .input(z.object({ id: runId }))
    .query(async ({ input }) => runBenchmarkResults(await getPgPool(), input.id)),
});
