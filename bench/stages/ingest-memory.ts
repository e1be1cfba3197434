/**
 * Stage "ingest-memory": the worker's memory over a long import (issue 3: "the worker's memory stays flat, under
 * 300 MB RSS, over a 100,000-block import").
 *
 * A chain of 100,000 small blocks (5 to 10 statements each, to keep the NDJSON file near 60 MB; the per-block
 * work that could leak, from parsing to the cursor update, is the same as for big blocks) is written to a temp
 * directory; a fresh database gets the bench registry and an import job for the file, created the way
 * `mathledger-cli import` creates it (checkImportFile, startOrResumeImport). Then the real worker process
 * (worker/main.ts, devnet off) is started on that database: it finds the job orphaned and runs it, as it does after
 * a killed CLI import. Every 500 ms this stage reads the worker's VmRSS (/proc/<pid>/status) and the job's cursor.
 *
 * Reported: the worker's largest RSS, its RSS when the import started and ended, and the slope of RSS over blocks
 * done during the second half of the import (MB per 10,000 blocks: a leak shows as a slope that does not go away;
 * the first half holds the heap's warm-up). About 40 s on the 2-core machine (sealing 100,000 blocks is a fifth of it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { checkImportFile, startOrResumeImport } from "../../server/ingest/import-file";
import { loadAverage } from "../harness/environment";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { freshBenchDatabase, storedCounts, writeChainFile } from "./ingest-fixture";
import { residentMb, slope } from "./ingest-probes";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SAMPLE_MS = 500;

interface MemoryPlan {
  blocks: number;
  /** Give up (and fail the stage) after this long. */
  timeoutMs: number;
}

const FULL: MemoryPlan = { blocks: 100_000, timeoutMs: 15 * 60_000 };
const QUICK: MemoryPlan = { blocks: 3_000, timeoutMs: 3 * 60_000 };

/** 5 to 10 statements, cycling: small blocks, so 100,000 of them make a file of tens of MB. */
export const memoryStatementsPerBlock = (n: number): number => 5 + (n % 6);

interface Sample {
  /** Seconds since the worker was started. */
  t: number;
  rssMb: number;
  /** Blocks the job has committed (its cursor). */
  blocksDone: number;
}

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

function startWorker(databaseUrl: string): { child: ChildProcess; output: () => string } {
  // `node --import tsx`, not the tsx binary: the binary runs the script in a second Node process, and the RSS
  // that matters is the worker's own.
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, MATHLEDGER_DEVNET: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output: () => tail };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runMemory(context: StageContext): Promise<StageResult> {
  const plan = context.quick ? QUICK : FULL;
  const suite = await loadWasmHashSuite();
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-bench-ingest-memory-"));
  const samples: Sample[] = [];
  const loadStart = loadAverage();
  try {
    context.progress(`ingest-memory: sealing ${plan.blocks} blocks of 5-10 statements into ${dir}`);
    const g0 = performance.now();
    const chain = writeChainFile(dir, {
      blocks: plan.blocks,
      statementsPerBlock: memoryStatementsPerBlock,
      suite,
      keepRows: false,
      onProgress: (done) => {
        if (done % 20_000 === 0) context.progress(`ingest-memory: ${done} blocks sealed`);
      },
    });
    const generateSeconds = (performance.now() - g0) / 1000;
    const fresh = await freshBenchDatabase();
    try {
      const c0 = performance.now();
      const check = await checkImportFile(fresh.pool, chain.path);
      const checkSeconds = (performance.now() - c0) / 1000;
      const { job } = await startOrResumeImport(fresh.pool, check);

      context.progress(`ingest-memory: starting the worker on ${fresh.db.name}; it resumes job ${job.id}`);
      const { child, output } = startWorker(fresh.db.url);
      const w0 = performance.now();
      let status = "running";
      let error: string | null = null;
      try {
        let lastReport = 0;
        for (;;) {
          await sleep(SAMPLE_MS);
          const rssMb = residentMb(child.pid!);
          if (rssMb === null || child.exitCode !== null) throw new Error(`ingest-memory: the worker exited (${child.exitCode ?? child.signalCode}): ${output()}`);
          const row = (await fresh.pool.query<{ processed_lines: number; status: string; error: string | null }>("SELECT processed_lines, status, error FROM import_jobs WHERE id = $1", [job.id])).rows[0];
          const t = (performance.now() - w0) / 1000;
          samples.push({ t, rssMb, blocksDone: row.processed_lines });
          ({ status, error } = row);
          if (row.processed_lines - lastReport >= plan.blocks / 10) {
            lastReport = row.processed_lines;
            context.progress(`ingest-memory: ${row.processed_lines} blocks imported, worker RSS ${formatNumber(rssMb)} MB`);
          }
          if (status !== "running") break;
          if (t * 1000 > plan.timeoutMs) throw new Error(`ingest-memory: the import did not finish in ${plan.timeoutMs / 1000} s (${row.processed_lines} of ${plan.blocks} blocks)`);
        }
      } finally {
        await stopWorker(child);
      }
      if (status !== "done") throw new Error(`ingest-memory: the import job ended ${status}: ${error ?? ""}; worker output: ${output()}`);
      const counts = await storedCounts(fresh.pool);
      if (counts.blocks !== chain.blocks || counts.valid !== chain.blocks || counts.canonical !== chain.blocks || counts.statements !== chain.statements) {
        throw new Error(`ingest-memory: the worker stored ${JSON.stringify(counts)} for ${chain.blocks} blocks and ${chain.statements} statements`);
      }
      return summarize(plan, samples, { chainBytes: chain.bytes, statements: chain.statements, generateSeconds, checkSeconds, loadStart });
    } finally {
      await fresh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(
  plan: MemoryPlan,
  samples: Sample[],
  facts: { chainBytes: number; statements: number; generateSeconds: number; checkSeconds: number; loadStart: number },
): StageResult {
  const importing = samples.filter((s) => s.blocksDone > 0);
  if (importing.length < 2) throw new Error("ingest-memory: too few samples during the import");
  const first = importing[0];
  const last = importing[importing.length - 1];
  const secondHalf = importing.filter((s) => s.blocksDone >= plan.blocks / 2).map((s) => ({ x: s.blocksDone / 10_000, y: s.rssMb }));
  const halfSlope = slope(secondHalf) ?? slope(importing.map((s) => ({ x: s.blocksDone / 10_000, y: s.rssMb })));
  const maxRss = Math.max(...samples.map((s) => s.rssMb));
  // Import rate from the cursor: between the first and last commits seen (the worker's start-up is left out).
  const rate = (last.blocksDone - first.blocksDone) / Math.max(last.t - first.t, 1e-3);

  const metrics: Record<string, Metric> = {
    "worker.max_rss_mb": metric(maxRss, "MB", `largest VmRSS of the worker process over its whole run (start-up and a ${plan.blocks}-block import), sampled every ${SAMPLE_MS} ms`),
    "worker.rss_second_half_slope_mb_per_10k_blocks": metric(halfSlope ?? 0, "MB/10k blocks", "least-squares slope of the worker's RSS over blocks imported, second half of the import"),
    "worker.rss_import_start_mb": metric(first.rssMb, "MB", "worker RSS at the first sample after the first batch committed"),
    "worker.rss_import_end_mb": metric(last.rssMb, "MB", "worker RSS at the last sample of the import"),
    "worker.import_blocks_per_s": metric(rate, "blocks/s", "worker import rate between its first and last observed commits (5-10 statements per block)"),
    "worker.samples": metric(samples.length, "samples", "RSS samples taken"),
    "worker.blocks": metric(plan.blocks, "blocks", "blocks imported"),
    "worker.file_bytes": metric(facts.chainBytes, "bytes", "size of the NDJSON file"),
    "worker.check_seconds": metric(facts.checkSeconds, "s", "checkImportFile in the bench process before the worker started (not part of the worker's memory)"),
  };
  const rows: Record<string, string>[] = [];
  for (let decile = 0; decile <= 10; decile++) {
    const target = (plan.blocks * decile) / 10;
    const s = decile === 0 ? samples[0] : importing.find((x) => x.blocksDone >= target);
    if (!s) continue;
    rows.push({ at: decile === 0 ? "first sample" : `${decile * 10}%`, t: formatNumber(s.t), blocks: String(s.blocksDone), rss: formatNumber(s.rssMb) });
  }
  rows.push({ at: "max", t: "", blocks: "", rss: formatNumber(maxRss) });
  const table: ReportTable = {
    id: "ingest-memory-rss",
    title: `Worker RSS over a ${plan.blocks}-block import (5-10 statements per block)`,
    columns: [
      { key: "at", label: "import done" },
      { key: "t", label: "s since start", align: "right" },
      { key: "blocks", label: "blocks committed", align: "right" },
      { key: "rss", label: "RSS MB", align: "right" },
    ],
    rows,
    notes: [
      `slope over the second half: ${halfSlope === null ? "n/a" : formatNumber(halfSlope)} MB per 10,000 blocks; import rate ${formatNumber(rate)} blocks/s.`,
      "The worker is worker/main.ts run with node --import tsx (one process), DATABASE_URL on a fresh database, MATHLEDGER_DEVNET=off; it resumes the job as it would after a killed CLI import.",
    ],
  };
  return {
    stage: "ingest-memory",
    title: "Worker memory over a 100,000-block import",
    measurements: [],
    metrics,
    tables: [table],
    notes: [
      `${plan.blocks} blocks, ${facts.statements} statements (5-10 per block, v2-dual-required SHA3-256), ${formatNumber(facts.chainBytes / 1e6)} MB of NDJSON; sealing took ${formatNumber(facts.generateSeconds)} s, checkImportFile ${formatNumber(facts.checkSeconds)} s.`,
      `Load average at the start: ${formatNumber(facts.loadStart)}. RSS includes V8's heap (which grows to what the import needs, then stays), wasm memory and the pg driver's buffers.`,
    ],
  };
}

export const ingestMemoryStage: BenchStage = {
  id: "ingest-memory",
  title: "Worker memory over a long import",
  description: "the real worker process imports 100,000 small blocks; its RSS sampled every 500 ms (max and slope); needs PostgreSQL; ~40 s",
  runsByDefault: true,
  run: runMemory,
};
