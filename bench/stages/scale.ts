/**
 * Stage "scale" (issue 6 §5; off by default, `npm run bench -- --stage scale`): does reading the chain cost the same
 * at a million blocks as at ten thousand?
 *
 *  1. A fresh database is filled through the raw insert path (insertRows, what ingest writes, without validation)
 *     with sealed blocks of 5-10 statements, 2 s apart and ending now, so "the last five minutes" holds what a live
 *     chain's would.
 *  2. The built web server (`next start`, built first when stale) serves it. At the small size and again at the
 *     large one, in the same run, each endpoint is timed:
 *       - one client at a time: sequential keep-alive requests, p50/p95 of wall time;
 *       - the JSON endpoints at 50 concurrent connections with autocannon, as a share of the rate the same server
 *         reaches for a static file (50 closed-loop connections on 2 cores measure queueing, so rates are compared,
 *         not latencies).
 *  Endpoints: GET /api/v1/status; the dashboard's tRPC queries (chain.status, blocks.list); the block list's first
 *  and a deep page, as HTML and as the tRPC query behind them; a block page and its query.
 *
 * Targets (lib/bench/acceptance.ts): p95 ≤ 10 ms at the large size for one client, ≤ 1.5× its own p95 at the small
 * size; JSON endpoints at 50 connections ≥ 50% of the static file's rate.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import autocannon from "autocannon";
import type pg from "pg";
import { SHA3_256_ID } from "../../lib/crypto/hash-algorithms";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { Block } from "../../lib/consensus/block";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { generateFixedStatements } from "../../lib/devnet/statement-generator";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import { summarize } from "../../lib/bench/statistics";
import { SCALE_ENDPOINTS } from "../../lib/bench/acceptance";
import type { ReportTable } from "../../lib/bench/report-table";
import { replaceEpochRegistry } from "../../server/chain/epoch-registry";
import { createPgPool } from "../../server/db/pg-pool";
import { projectPath, projectRoot } from "../../server/db/project-root";
import { createTestDatabase } from "../../server/db/test-database";
import { freePort } from "../../server/http/free-port";
import { insertRows, type PendingRow } from "../../server/ingest/ingest-blocks";
import { buildWebApp, webBuildIsStale } from "../../scripts/web/web-build";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { validRowOf } from "./ingest-fixture";

const FULL_SIZES = { small: 10_000, large: 1_000_000 };
const QUICK_SIZES = { small: 500, large: 5_000 };
const BATCH = 2_000;
const ONE_CLIENT_REQUESTS = { full: 300, quick: 20 };
const CONCURRENT = { connections: 50, seconds: { full: 8, quick: 1 } };

interface Endpoint {
  id: string;
  label: string;
  /** Path for a chain of `size` blocks. */
  path(size: number): string;
  /** Measured at 50 connections against the static file too. */
  concurrent: boolean;
}

const trpc = (procedure: string, input?: unknown) =>
  `/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
const deep = (size: number) => Math.floor(size / 2);

const STATIC: Endpoint = { id: "static", label: "a static file (baseline)", path: () => "/robots.txt", concurrent: true };
const ENDPOINTS: Endpoint[] = [
  { id: "status", label: "GET /api/v1/status", path: () => "/api/v1/status", concurrent: true },
  { id: "trpc_status", label: "dashboard: tRPC chain.status", path: () => trpc("chain.status"), concurrent: true },
  { id: "dashboard_json", label: "GET /api/v1/dashboard (the plan's JSON)", path: () => "/api/v1/dashboard", concurrent: true },
  { id: "trpc_recent", label: "dashboard: tRPC blocks.list (10 newest)", path: () => trpc("blocks.list", { filter: "canonical", limit: 10 }), concurrent: true },
  { id: "trpc_list_first", label: "block list, first page: tRPC blocks.list", path: () => trpc("blocks.list", { filter: "canonical" }), concurrent: false },
  {
    id: "trpc_list_deep",
    label: "block list, deep page: tRPC blocks.list before #size/2",
    path: (size) => trpc("blocks.list", { filter: "canonical", before: { blockNumber: deep(size), id: 0 } }),
    concurrent: false,
  },
  { id: "page_list_first", label: "block list, first page: HTML /blocks", path: () => "/blocks", concurrent: false },
  { id: "page_list_deep", label: "block list, deep page: HTML /blocks?before=size/2", path: (size) => `/blocks?before=${deep(size)}`, concurrent: false },
  { id: "trpc_block", label: "block page: tRPC blocks.byNumber", path: (size) => trpc("blocks.byNumber", { blockNumber: deep(size) }), concurrent: false },
  { id: "page_block", label: "block page: HTML /blocks/size/2", path: (size) => `/blocks/${deep(size)}`, concurrent: false },
];

/* ------------------------------------------------------------------------------------------------------------- */
/* Filling the database */

/** Seals blocks `from`..`to`-1 on top of `prev` and stores them; returns the last one. Sealing of a batch overlaps
 * the previous batch's transaction. */
async function fill(
  pool: pg.Pool,
  epochs: Epoch[],
  range: { from: number; to: number; t0: number; prev: Block | null },
  progress: (m: string) => void,
): Promise<Block | null> {
  const suite = await loadWasmHashSuite();
  let prev = range.prev;
  let inFlight: Promise<void> | null = null;
  const started = performance.now();
  for (let start = range.from; start < range.to; start += BATCH) {
    const rows: PendingRow[] = [];
    for (let n = start; n < Math.min(range.to, start + BATCH); n++) {
      const block: Block = sealBlock({
        statements: generateFixedStatements(0x5ca1e000 + n, 5 + (n % 6)),
        epochs,
        prev,
        timestamp: range.t0 + n * 2,
        suite,
      });
      rows.push(validRowOf(block, epochs[0], suite));
      prev = block;
    }
    if (inFlight) await inFlight;
    inFlight = insertBatch(pool, rows);
    const done = Math.min(range.to, start + BATCH);
    if ((done - range.from) % 50_000 < BATCH) {
      const rate = (done - range.from) / ((performance.now() - started) / 1000);
      progress(`filled ${done.toLocaleString("en-US")} of ${range.to.toLocaleString("en-US")} blocks (${Math.round(rate)} blocks/s)`);
    }
  }
  if (inFlight) await inFlight;
  return prev;
}

/**
 * After a bulk fill, brings the database to the state a live chain's is in: a live node's tables are vacuumed and
 * analysed by autovacuum as blocks trickle in, and its writes are checkpointed in the background. Right after
 * inserting a million blocks in one go, none of that has happened: autovacuum would start on the blocks and
 * statements tables (gigabytes) in the middle of the measurement, the visibility map is empty (no index-only scans)
 * and the checkpointer is flushing the fill's dirty pages. Measuring then times the fill's aftermath, not reads at
 * scale. Done at both sizes, so the comparison stays like for like.
 */
async function settle(pool: pg.Pool, progress: (m: string) => void): Promise<void> {
  const t0 = performance.now();
  await pool.query("VACUUM (ANALYZE)");
  // CHECKPOINT needs superuser or pg_checkpoint; without it the background checkpointer does the same, later.
  await pool.query("CHECKPOINT").catch(() => undefined);
  progress(`vacuumed, analysed and checkpointed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function insertBatch(pool: pg.Pool, rows: PendingRow[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await insertRows(client, rows, "import");
    // Arrival times follow the blocks' own timestamps (2 s apart, the last one now), as a live chain's would.
    await client.query("UPDATE blocks SET received_at = to_timestamp(timestamp) WHERE block_number BETWEEN $1 AND $2", [
      rows[0].block.block_number,
      rows[rows.length - 1].block.block_number,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/* ------------------------------------------------------------------------------------------------------------- */
/* The server and the clients */


async function startServer(databaseUrl: string, progress: (m: string) => void): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  if (webBuildIsStale()) {
    progress("building the web app (next build)");
    await buildWebApp();
  }
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    // Benchmarks must not trip the request limits (README, "Rate limits").
    MATHLEDGER_RATE_LIMITS: "off",
  } as NodeJS.ProcessEnv;
  const child: ChildProcess = spawn(projectPath("node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    cwd: projectRoot(),
    env,
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${stderr}`);
    const res = await fetch(`${baseUrl}/api/v1/status`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) throw new Error(`the server did not answer within 120 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseUrl,
    stop: async () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        /* gone */
      }
      await new Promise((r) => setTimeout(r, 500));
    },
  };
}

/** `count` sequential requests over one keep-alive connection; wall time of each in ms. Non-200 answers throw. */
async function oneClient(baseUrl: string, path: string, count: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(path, baseUrl);
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`${path} answered ${res.statusCode}`))));
      });
      req.on("error", reject);
    });
  try {
    for (let i = 0; i < 10; i++) await once(); // warm-up: JIT, caches, the connection
    const samples: number[] = [];
    for (let i = 0; i < count; i++) samples.push(await once());
    return samples;
  } finally {
    agent.destroy();
  }
}

/** Requests per second at `connections` closed-loop connections for `seconds`. */
async function concurrentRate(baseUrl: string, path: string, connections: number, seconds: number): Promise<{ rate: number; non2xx: number }> {
  const result = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds, pipelining: 1 });
  return { rate: result.requests.average, non2xx: result.non2xx + result.errors };
}

/* ------------------------------------------------------------------------------------------------------------- */

interface SizeResult {
  size: number;
  p50: Record<string, number>;
  p95: Record<string, number>;
  rate: Record<string, number>;
}

async function measureAt(baseUrl: string, size: number, context: StageContext, measurements: Measurement[]): Promise<SizeResult> {
  const count = context.quick ? ONE_CLIENT_REQUESTS.quick : ONE_CLIENT_REQUESTS.full;
  const seconds = context.quick ? CONCURRENT.seconds.quick : CONCURRENT.seconds.full;
  const out: SizeResult = { size, p50: {}, p95: {}, rate: {} };
  for (const ep of [STATIC, ...ENDPOINTS]) {
    context.progress(`${size.toLocaleString("en-US")} blocks: ${ep.label}, one client`);
    const samples = await oneClient(baseUrl, ep.path(size), count);
    const summary = summarize(samples.map((ms) => ms * 1000));
    out.p50[ep.id] = summary.median / 1000;
    out.p95[ep.id] = summary.p95 / 1000;
    measurements.push({
      id: `${size}/${ep.id}/one_client`,
      label: `${ep.label} at ${size} blocks, one client`,
      params: { blocks: size, path: ep.path(size) },
      bytes_per_call: null,
      iterations_per_sample: 1,
      us: summary,
      cpu_us_per_call: null,
      runqueue_wait_pct: null,
    });
    if (ep.concurrent) {
      context.progress(`${size.toLocaleString("en-US")} blocks: ${ep.label}, ${CONCURRENT.connections} connections`);
      const { rate, non2xx } = await concurrentRate(baseUrl, ep.path(size), CONCURRENT.connections, seconds);
      if (non2xx > 0) throw new Error(`${ep.label}: ${non2xx} failed answers under load`);
      out.rate[ep.id] = rate;
    }
  }
  return out;
}

async function runScale(context: StageContext): Promise<StageResult> {
  const timed = new Set(ENDPOINTS.map((e) => e.id));
  const missing = SCALE_ENDPOINTS.filter((e) => !timed.has(e.id));
  if (missing.length) throw new Error(`acceptance names endpoints this stage does not time: ${missing.map((e) => e.id).join(", ")}`);
  const sizes = context.quick ? QUICK_SIZES : FULL_SIZES;
  const db = await createTestDatabase({ poolMax: 1 });
  const pool = createPgPool(db.url, 3);
  const measurements: Measurement[] = [];
  let server: { baseUrl: string; stop(): Promise<void> } | null = null;
  try {
    const t0 = Math.floor(Date.now() / 1000) - 2 * sizes.large;
    const epochs = [makeEpoch(0, "v2-dual-required", SHA3_256_ID, t0)];
    await replaceEpochRegistry(pool, epochs);
    let fillStarted = performance.now();
    const tip = await fill(pool, epochs, { from: 0, to: sizes.small, t0, prev: null }, context.progress);
    let fillMs = performance.now() - fillStarted;
    await settle(pool, context.progress);
    server = await startServer(db.url, context.progress);
    const small = await measureAt(server.baseUrl, sizes.small, context, measurements);
    fillStarted = performance.now();
    await fill(pool, epochs, { from: sizes.small, to: sizes.large, t0, prev: tip }, context.progress);
    fillMs += performance.now() - fillStarted;
    await settle(pool, context.progress);
    const fillSeconds = fillMs / 1000;
    const large = await measureAt(server.baseUrl, sizes.large, context, measurements);
    const { rows } = await pool.query<{ blocks: number; statements: string }>(
      "SELECT (SELECT blocks FROM chain_totals) AS blocks, (SELECT count(*) FROM statements) AS statements",
    );
    return report(sizes, small, large, measurements, Number(rows[0].blocks), Number(rows[0].statements), fillSeconds);
  } finally {
    await server?.stop();
    await pool.end().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

function report(
  sizes: { small: number; large: number },
  small: SizeResult,
  large: SizeResult,
  measurements: Measurement[],
  storedBlocks: number,
  storedStatements: number,
  fillSeconds: number,
): StageResult {
  const metrics: Record<string, Metric> = {
    stored_blocks: { value: storedBlocks, unit: "blocks", description: "blocks stored at the large size" },
    fill_blocks_per_second: { value: sizes.large / fillSeconds, unit: "blocks/s", description: "raw insert fill rate, sealing included" },
  };
  for (const ep of ENDPOINTS) {
    metrics[`large.${ep.id}.p95_ms`] = { value: large.p95[ep.id], unit: "ms", description: `${ep.label}, one client, p95 at ${sizes.large} blocks` };
    metrics[`small.${ep.id}.p95_ms`] = { value: small.p95[ep.id], unit: "ms", description: `${ep.label}, one client, p95 at ${sizes.small} blocks` };
    metrics[`growth.${ep.id}`] = { value: large.p95[ep.id] / small.p95[ep.id], unit: "×", description: `${ep.label}: p95 at ${sizes.large} over p95 at ${sizes.small} blocks` };
    if (ep.concurrent) {
      metrics[`share.${ep.id}_pct`] = {
        value: (100 * large.rate[ep.id]) / large.rate.static,
        unit: "%",
        description: `${ep.label} at ${CONCURRENT.connections} connections, ${sizes.large} blocks: share of the static file's rate`,
      };
    }
  }
  const latencyTable: ReportTable = {
    id: "scale-one-client",
    title: `One client at a time: ms per request (p50 / p95) at ${sizes.small.toLocaleString("en-US")} and ${sizes.large.toLocaleString("en-US")} blocks`,
    columns: [
      { key: "endpoint", label: "endpoint" },
      { key: "small", label: `${sizes.small.toLocaleString("en-US")} p50/p95`, align: "right" },
      { key: "large", label: `${sizes.large.toLocaleString("en-US")} p50/p95`, align: "right" },
      { key: "growth", label: "p95 growth", align: "right" },
    ],
    rows: [STATIC, ...ENDPOINTS].map((ep) => ({
      endpoint: ep.label,
      small: `${formatNumber(small.p50[ep.id])} / ${formatNumber(small.p95[ep.id])}`,
      large: `${formatNumber(large.p50[ep.id])} / ${formatNumber(large.p95[ep.id])}`,
      growth: `${formatNumber(large.p95[ep.id] / small.p95[ep.id])}×`,
    })),
  };
  const rateTable: ReportTable = {
    id: "scale-concurrent",
    title: `${CONCURRENT.connections} concurrent connections: requests/s, and the share of the static file's rate`,
    columns: [
      { key: "endpoint", label: "endpoint" },
      { key: "small", label: `${sizes.small.toLocaleString("en-US")} req/s`, align: "right" },
      { key: "large", label: `${sizes.large.toLocaleString("en-US")} req/s`, align: "right" },
      { key: "share", label: "share at large", align: "right" },
    ],
    rows: [STATIC, ...ENDPOINTS.filter((e) => e.concurrent)].map((ep) => ({
      endpoint: ep.label,
      small: formatNumber(small.rate[ep.id]),
      large: formatNumber(large.rate[ep.id]),
      share: `${formatNumber((100 * large.rate[ep.id]) / large.rate.static)}%`,
    })),
  };
  return {
    stage: "scale",
    title: "Reads at scale",
    measurements,
    metrics,
    tables: [latencyTable, rateTable],
    notes: [
      `Stored: ${storedBlocks.toLocaleString("en-US")} blocks, ${storedStatements.toLocaleString("en-US")} statements; filled at ` +
        `${formatNumber(sizes.large / fillSeconds)} blocks/s through the raw insert path (sealing included).`,
      "Totals come from chain_totals (kept by triggers); throughput from one aggregate over the received_at index; list pages by keyset.",
    ],
  };
}

export const scaleStage: BenchStage = {
  id: "scale",
  title: "Reads at scale",
  description: "1,000,000 blocks through the raw insert path, then status, dashboard, list and block pages against the built server (10k vs 1M, same run)",
  runsByDefault: false,
  run: runScale,
};
