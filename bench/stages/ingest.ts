/**
 * Stage "ingest": how fast a node imports blocks into PostgreSQL, validation included, beside the fastest this
 * database writes the same rows (issue 3, "What must be shown").
 *
 * One chain of N 100-statement v2-dual-required blocks (SHA3-256; ingest-fixture.ts) is written to an NDJSON file in
 * a temp directory. Each round, in alternating order:
 *   - ingest: a fresh database (createTestDatabase) with the bench registry; checkImportFile (timed on its own and
 *     left out of the throughput: it is the read-only pass that refuses bad files before anything is written), then
 *     startOrResumeImport and runImportJob, the worker's and the CLI's path: read, parse, admission, content id,
 *     validation against the predecessor, fork choice's bookkeeping, one transaction per 500-block batch with the
 *     advisory lock and the job cursor. Timed: runImportJob.
 *   - raw: another fresh database; the same blocks and statements rows (content ids and digests computed beforehand)
 *     written with ingest's own insertRows (INSERT ... SELECT FROM unnest for blocks, COPY for statements), one
 *     transaction per 500 blocks, with no file, no parsing, no validation, no hashing, no fork choice.
 * Reported: medians over rounds of blocks/s and statements/s, and ingest's median rate over raw's median rate.
 * Every run is checked afterwards (all N blocks stored, valid and canonical; every statement stored).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance as nodePerformance } from "node:perf_hooks";
import type pg from "pg";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { median, summarize } from "../../lib/bench/statistics";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { insertRows, type PendingRow } from "../../server/ingest/ingest-blocks";
import { checkImportFile, runImportJob, startOrResumeImport } from "../../server/ingest/import-file";
import { defaultValidationThreads, inlinePreparer, ValidationPool, type BatchPreparer } from "../../server/ingest/validation-pool";
import { loadAverage } from "../harness/environment";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { freshBenchDatabase, storedCounts, writeChainFile, type ChainFile } from "./ingest-fixture";
import { backendCpu, backendCpuDelta } from "./ingest-probes";
import { profileRun, type ImportProfile } from "./ingest-profile";
import { tuneHeapForBulkIngest } from "../../server/ingest/heap-tuning";

export const INGEST_STATEMENTS_PER_BLOCK = 100;

interface IngestPlan {
  blocks: number;
  rounds: number;
  batchSize: number;
}

/** Full: 5,000 blocks (500,000 statements, ~25 MB of NDJSON), 3 rounds of each. About a minute on the 2-core box. */
const FULL: IngestPlan = { blocks: 5_000, rounds: 3, batchSize: 500 };
/** Quick: enough to run every step (several batches, so the pipeline runs too), not to claim a rate. */
const QUICK: IngestPlan = { blocks: 300, rounds: 1, batchSize: 100 };

interface RunFigures {
  kind: "raw" | "ingest";
  round: number;
  seconds: number;
  /** checkImportFile, seconds (ingest only). */
  checkSeconds: number | null;
  /** Event-loop utilization of this process over the timed part (ingest only). */
  elu: number | null;
  /** This process's CPU time (all threads) over the timed part, ms. */
  nodeCpuMs: number;
  /** CPU time of the database's server backends over the timed part, ms (null when not visible from here). */
  pgCpuMs: number | null;
  loadAverage: number;
  /** Where the main thread's time went (the extra profiled run only). */
  profile?: ImportProfile;
}

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

async function expectStored(pool: pg.Pool, chain: ChainFile, what: string): Promise<void> {
  const c = await storedCounts(pool);
  const want = { blocks: chain.blocks, canonical: chain.blocks, valid: chain.blocks, statements: chain.statements, violations: 0 };
  if (JSON.stringify(c) !== JSON.stringify(want)) throw new Error(`ingest: ${what} stored ${JSON.stringify(c)}, expected ${JSON.stringify(want)}`);
}

/** The raw baseline: the same rows through ingest's insertRows, one transaction per batch, nothing else. */
async function rawRun(chain: ChainFile, plan: IngestPlan, round: number): Promise<RunFigures> {
  const rows = chain.rows!;
  const fresh = await freshBenchDatabase();
  try {
    const client = await fresh.pool.connect();
    let seconds: number;
    let nodeCpuMs: number;
    let pgCpuMs: number | null;
    try {
      const pgBefore = await backendCpu(fresh.pool);
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i += plan.batchSize) {
        await client.query("BEGIN");
        await insertRows(client, rows.slice(i, i + plan.batchSize) as PendingRow[], "import");
        await client.query("COMMIT");
      }
      seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(cpu);
      nodeCpuMs = (c.user + c.system) / 1000;
      pgCpuMs = backendCpuDelta(pgBefore, await backendCpu(fresh.pool));
    } finally {
      client.release();
    }
    await expectStored(fresh.pool, chain, "the raw bulk insert");
    return { kind: "raw", round, seconds, checkSeconds: null, elu: null, nodeCpuMs, pgCpuMs, loadAverage: loadAverage() };
  } finally {
    await fresh.close();
  }
}

/** The real import path, as the worker and `mathledger-cli import` run it. */
async function ingestRun(chain: ChainFile, plan: IngestPlan, round: number, suite: HashSuite, preparer: BatchPreparer, profiled = false): Promise<RunFigures> {
  const fresh = await freshBenchDatabase();
  try {
    const c0 = performance.now();
    const check = await checkImportFile(fresh.pool, chain.path);
    const checkSeconds = (performance.now() - c0) / 1000;
    const { job } = await startOrResumeImport(fresh.pool, check);
    const pgBefore = await backendCpu(fresh.pool);
    const elu = nodePerformance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const run = () => runImportJob(fresh.pool, job.id, { suite, batchSize: plan.batchSize, now: () => Math.floor(Date.now() / 1000), preparer });
    let profile: ImportProfile | undefined;
    let totals;
    if (profiled) ({ result: totals, profile } = await profileRun(run));
    else totals = await run();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu);
    const utilization = nodePerformance.eventLoopUtilization(elu).utilization;
    const pgCpuMs = backendCpuDelta(pgBefore, await backendCpu(fresh.pool));
    if (!totals || totals.stored !== chain.blocks || totals.valid !== chain.blocks) throw new Error(`ingest: the import reported ${JSON.stringify(totals)}`);
    await expectStored(fresh.pool, chain, "the import");
    return { kind: "ingest", round, seconds, checkSeconds, elu: utilization, nodeCpuMs: (c.user + c.system) / 1000, pgCpuMs, loadAverage: loadAverage(), profile };
  } finally {
    await fresh.close();
  }
}

function measurement(id: string, label: string, usPerBlock: number[], plan: IngestPlan): Measurement {
  return {
    id,
    label,
    params: { blocks: plan.blocks, statements_per_block: INGEST_STATEMENTS_PER_BLOCK, batch_size: plan.batchSize },
    bytes_per_call: null,
    iterations_per_sample: plan.blocks,
    us: summarize(usPerBlock),
    cpu_us_per_call: null,
    runqueue_wait_pct: null,
  };
}

const medianOf = (runs: RunFigures[], f: (r: RunFigures) => number | null): number | null => {
  const values = runs.map(f).filter((v): v is number => v !== null);
  return values.length === runs.length && values.length > 0 ? median(values) : null;
};

async function runIngest(context: StageContext): Promise<StageResult> {
  // The import runs in this process: give it the heap settings the worker and the CLI import run with.
  tuneHeapForBulkIngest();
  const plan = context.quick ? QUICK : FULL;
  const suite = await loadWasmHashSuite();
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-bench-ingest-"));
  const runs: RunFigures[] = [];
  // The validation threads run for the life of the process, as in the worker (worker/main.ts starts them at its
  // first import and keeps them); their start is not part of any import's time.
  const threads = defaultValidationThreads();
  const preparer: BatchPreparer = threads > 0 ? await ValidationPool.start(threads) : inlinePreparer;
  let chain: ChainFile;
  let profiled: RunFigures;
  try {
    context.progress(`ingest: sealing ${plan.blocks} blocks of ${INGEST_STATEMENTS_PER_BLOCK} statements into ${dir}`);
    chain = writeChainFile(dir, { blocks: plan.blocks, statementsPerBlock: () => INGEST_STATEMENTS_PER_BLOCK, suite, keepRows: true });
    for (let round = 1; round <= plan.rounds; round++) {
      // Alternate which goes first, so a drift in the machine's load does not favour either side.
      const order: ("raw" | "ingest")[] = round % 2 === 1 ? ["raw", "ingest"] : ["ingest", "raw"];
      for (const kind of order) {
        context.progress(`ingest: round ${round}/${plan.rounds}, ${kind}`);
        runs.push(kind === "raw" ? await rawRun(chain, plan, round) : await ingestRun(chain, plan, round, suite, preparer));
      }
    }
    context.progress("ingest: one more import under the CPU profiler (not in the medians)");
    profiled = await ingestRun(chain, plan, 0, suite, preparer, true);
  } finally {
    await preparer.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const raw = runs.filter((r) => r.kind === "raw");
  const ingest = runs.filter((r) => r.kind === "ingest");
  if (raw.length !== plan.rounds || ingest.length !== plan.rounds) throw new Error("ingest: every round must run both sides");
  const perBlockUs = (rs: RunFigures[], f: (r: RunFigures) => number) => rs.map((r) => (f(r) * 1e6) / chain.blocks);
  const statementsPerBlock = chain.statements / chain.blocks;
  const rate = (r: RunFigures) => chain.blocks / r.seconds;
  const ingestRate = median(ingest.map(rate));
  const rawRate = median(raw.map(rate));
  const checkRate = median(ingest.map((r) => chain.blocks / r.checkSeconds!));
  const endToEnd = median(ingest.map((r) => chain.blocks / (r.seconds + r.checkSeconds!)));

  const metrics: Record<string, Metric> = {
    "ingest.blocks_per_s": metric(ingestRate, "blocks/s", `runImportJob of ${plan.blocks} 100-statement v2 blocks into a fresh database (validation included, checkImportFile excluded), median over rounds`),
    "ingest.statements_per_s": metric(ingestRate * statementsPerBlock, "statements/s", "the same, in statements"),
    "raw.blocks_per_s": metric(rawRate, "blocks/s", "the same rows through insertRows (unnest + COPY), one transaction per batch, no validation or hashing, median over rounds"),
    "raw.statements_per_s": metric(rawRate * statementsPerBlock, "statements/s", "the same, in statements"),
    "ingest.over_raw_pct": metric((ingestRate / rawRate) * 100, "%", "ingest's median rate as a share of the raw bulk insert's median rate (same run)"),
    "ingest.check_blocks_per_s": metric(checkRate, "blocks/s", "checkImportFile (the read-only pass before the import, not in ingest.blocks_per_s), median"),
    "ingest.end_to_end_blocks_per_s": metric(endToEnd, "blocks/s", "checkImportFile + runImportJob, median"),
    "ingest.blocks": metric(chain.blocks, "blocks", "blocks per run"),
    "ingest.file_bytes": metric(chain.bytes, "bytes", "size of the NDJSON file"),
    "ingest.rounds": metric(plan.rounds, "rounds", "runs of each side, alternating order"),
  };
  const elu = medianOf(ingest, (r) => r.elu);
  if (elu !== null) metrics["ingest.event_loop_utilization"] = metric(elu, "ratio", "share of runImportJob's wall time the event loop was busy running JavaScript (the rest: waiting for PostgreSQL or I/O), median");
  for (const [side, rs] of [["ingest", ingest], ["raw", raw]] as const) {
    const node = medianOf(rs, (r) => r.nodeCpuMs / chain.blocks);
    if (node !== null) metrics[`${side}.node_cpu_ms_per_block`] = metric(node, "ms", "CPU time of this Node process (all threads) per block, median");
    const db = medianOf(rs, (r) => (r.pgCpuMs === null ? null : r.pgCpuMs / chain.blocks));
    if (db !== null) metrics[`${side}.pg_cpu_ms_per_block`] = metric(db, "ms", "CPU time of the database's PostgreSQL backends per block (a lower bound), median");
  }

  const fmtOrNa = (v: number | null, unit = "") => (v === null ? "n/a" : `${formatNumber(v)}${unit}`);
  const rounds: ReportTable = {
    id: "ingest-rounds",
    title: `Ingest rounds: ${plan.blocks} blocks × ${INGEST_STATEMENTS_PER_BLOCK} statements, batches of ${plan.batchSize}, each into a fresh database`,
    columns: [
      { key: "round", label: "round", align: "right" },
      { key: "kind", label: "run" },
      { key: "seconds", label: "seconds", align: "right" },
      { key: "blocks", label: "blocks/s", align: "right" },
      { key: "statements", label: "statements/s", align: "right" },
      { key: "check", label: "check s", align: "right" },
      { key: "elu", label: "ELU", align: "right" },
      { key: "nodeCpu", label: "Node CPU ms/blk", align: "right" },
      { key: "pgCpu", label: "PG CPU ms/blk", align: "right" },
      { key: "load", label: "load avg", align: "right" },
    ],
    rows: runs.map((r) => ({
      round: String(r.round),
      kind: r.kind,
      seconds: formatNumber(r.seconds),
      blocks: formatNumber(rate(r)),
      statements: formatNumber(rate(r) * statementsPerBlock),
      check: r.checkSeconds === null ? "-" : formatNumber(r.checkSeconds),
      elu: r.elu === null ? "-" : formatNumber(r.elu),
      nodeCpu: formatNumber(r.nodeCpuMs / chain.blocks),
      pgCpu: fmtOrNa(r.pgCpuMs === null ? null : r.pgCpuMs / chain.blocks),
      load: formatNumber(r.loadAverage),
    })),
    notes: [
      "ingest = runImportJob (read, parse, admission, content id, validation, one transaction per batch with the job cursor); check = checkImportFile, before it and not in its rate.",
      "raw = the same rows written by insertRows (blocks: INSERT ... SELECT FROM unnest; statements: COPY) in the same batches, no file, no validation, no hashing.",
      "ELU = event-loop utilization during runImportJob; Node CPU counts every thread of this process; PG CPU = the database's backends (/proc; n/a for a remote server).",
    ],
  };
  const summary: ReportTable = {
    id: "ingest-summary",
    title: "Ingest throughput: medians over rounds",
    columns: [
      { key: "what", label: "" },
      { key: "blocks", label: "blocks/s", align: "right" },
      { key: "statements", label: "statements/s", align: "right" },
      { key: "share", label: "of raw", align: "right" },
    ],
    rows: [
      { what: "raw bulk insert (insertRows only)", blocks: formatNumber(rawRate), statements: formatNumber(rawRate * statementsPerBlock), share: "100%" },
      { what: "ingest (runImportJob, validation included)", blocks: formatNumber(ingestRate), statements: formatNumber(ingestRate * statementsPerBlock), share: `${formatNumber((ingestRate / rawRate) * 100)}%` },
      { what: "ingest with checkImportFile", blocks: formatNumber(endToEnd), statements: formatNumber(endToEnd * statementsPerBlock), share: `${formatNumber((endToEnd / rawRate) * 100)}%` },
    ],
  };
  const profile = profiled.profile!;
  // Main-thread shares; hashing is there only where the validation threads left work to this thread, so it may be 0.
  metrics["profile.hashing_pct"] = metric(0, "%", "profiled import: share of main-thread samples in hashing (wasm and JS wrappers)");
  for (const c of profile.categories) {
    if (c.name.startsWith("idle")) metrics["profile.idle_pct"] = metric(c.pct, "%", "profiled import: share of main-thread samples with the event loop idle (waiting for PostgreSQL or I/O)");
    if (c.name.startsWith("hashing")) metrics["profile.hashing_pct"] = metric(c.pct, "%", "profiled import: share of main-thread samples in hashing (wasm and JS wrappers)");
    if (c.name.startsWith("garbage")) metrics["profile.gc_pct"] = metric(c.pct, "%", "profiled import: share of main-thread samples in garbage collection");
  }
  const shareRows = (list: typeof profile.categories, kind: string) =>
    list.map((x) => ({ kind, what: x.name, ms: formatNumber(x.ms), pct: `${formatNumber(x.pct)}%` }));
  const profileTable: ReportTable = {
    id: "ingest-profile",
    title: `Where runImportJob's main-thread time goes: one extra import under the V8 CPU profiler (${formatNumber(profile.wallMs / 1000)} s, ${formatNumber(chain.blocks / (profile.wallMs / 1000))} blocks/s while profiled)`,
    columns: [
      { key: "kind", label: "" },
      { key: "what", label: "what" },
      { key: "ms", label: "ms", align: "right" },
      { key: "pct", label: "share", align: "right" },
    ],
    rows: [...shareRows(profile.categories, "self"), ...shareRows(profile.functions, "incl."), ...shareRows(profile.top.slice(0, 8), "top fn")],
    notes: [
      "self = samples whose top frame is in the category; incl. = samples with the function anywhere on the stack; shares of all samples over the run.",
      "idle = the event loop had nothing to run: waiting for PostgreSQL (the batch in flight) or the file. Validation overlaps the previous batch's SQL, so idle is what the pipeline could not fill.",
    ],
  };

  return {
    stage: "ingest",
    title: "Ingest throughput into PostgreSQL, validation included, beside a raw bulk insert of the same rows",
    measurements: [
      measurement("ingest/run_import_job", "runImportJob, per block (one sample per round)", perBlockUs(ingest, (r) => r.seconds), plan),
      measurement("ingest/check_import_file", "checkImportFile, per block (one sample per round)", perBlockUs(ingest, (r) => r.checkSeconds!), plan),
      measurement("raw/insert_rows", "insertRows in 1 transaction per batch, per block (one sample per round)", perBlockUs(raw, (r) => r.seconds), plan),
    ],
    metrics,
    tables: [summary, rounds, profileTable],
    notes: [
      `Chain: ${chain.blocks} blocks, registry v2-dual-required with SHA3-256 from block 0 (both Merkle trees, both prev-hash links and the dual commitment checked per block); ${formatNumber(chain.bytes / 1e6)} MB of NDJSON.`,
      "Both sides use ingest's own SQL (insertRows), so raw is the floor for this schema and these statements: the database writes the same rows, indexes and WAL.",
      `runImportJob pipelines: batch k+1 is validated while batch k's transaction runs, by ${threads} validation threads (server/ingest/validation-pool.ts; one per core beyond the main thread's, started once before the rounds as the worker starts them once) with the main thread reading and writing, so with free cores its rate approaches the slower of validation and PostgreSQL; on a busy machine they all compete for the same two cores.`,
      "Node CPU counts the validation threads too; the profile below is the main thread only, so validation shows there as idle (waiting for the threads or PostgreSQL).",
    ],
  };
}

export const ingestStage: BenchStage = {
  id: "ingest",
  title: "Ingest throughput (PostgreSQL)",
  description: "NDJSON import of 100-statement blocks into a fresh database (validation included) beside a raw bulk insert of the same rows; needs PostgreSQL (DATABASE_URL or the embedded one)",
  runsByDefault: true,
  run: runIngest,
};
