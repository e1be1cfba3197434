/**
 * The worker: a separate process beside the web server (`npm start` runs both; `npm run worker` runs it alone).
 *
 *  - keeps a heartbeat (GET /api/health reports its age);
 *  - seeds the default epoch registry on a fresh database;
 *  - runs the devnet producer (one block per MATHLEDGER_DEVNET_INTERVAL seconds; one producer across workers);
 *  - runs the drift radar's monitors over every block and node report (one process per database, by lease);
 *  - resumes NDJSON import jobs that no process is working on (e.g. after the CLI running one was killed).
 *
 * Errors in a tick are logged and the loop goes on: a bad block or a dropped connection must not stop the node.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { readConfig } from "../server/config";
import { getPgPool, closePgPool } from "../server/db/pg-pool";
import { disconnectDatabase } from "../server/db/client";
import { ensureEpochRegistry } from "../server/chain/epoch-registry";
import { beat, removeHeartbeat } from "../server/chain/heartbeat";
import { produceDevnetBlock, releaseLease, DEVNET_LEASE } from "../server/devnet/devnet-producer";
import { orphanedImportJobs, runImportJob } from "../server/ingest/import-file";
import { tuneHeapForBulkIngest } from "../server/ingest/heap-tuning";
import { defaultValidationThreads, startingPool, type BatchPreparer } from "../server/ingest/validation-pool";
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import { RadarRunner } from "../server/drift/radar-runner";
import { DEFAULT_RADAR_THRESHOLDS } from "../lib/drift/radar-thresholds";
import { loadRadarAlertConfig } from "../server/drift/radar-config-file";
import { startAlerting, type Alerting } from "../server/drift/alerting";

const log = (message: string) => console.log(`[worker ${new Date().toISOString()}] ${message}`);

async function main(): Promise<void> {
  tuneHeapForBulkIngest();
  const config = readConfig();
  // A bad radar configuration stops the worker here, naming the file and the key.
  const alertConfig = config.MATHLEDGER_RADAR === "on" ? loadRadarAlertConfig() : null;
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const pool = await getPgPool({ log });
  const suite = await loadWasmHashSuite();
  const epochs = await ensureEpochRegistry(pool, {
    genesisTimestamp: Math.floor(Date.now() / 1000),
    dualActivationBlock: config.MATHLEDGER_DUAL_ACTIVATION_BLOCK,
  });
  log(`worker ${workerId} started; registry: ${epochs.map((e) => `${e.start_block}:${e.rule_version}/${e.algorithm_name}`).join(", ")}`);

  let stopping = false;
  const timers: NodeJS.Timeout[] = [];
  const loop = (name: string, everyMs: number, tick: () => Promise<void>) => {
    let running = false;
    const run = async () => {
      if (stopping || running) return;
      running = true;
      try {
        await tick();
      } catch (error) {
        log(`${name}: ${(error as Error).message}`);
      } finally {
        running = false;
      }
    };
    timers.push(setInterval(run, everyMs));
    void run();
  };

  loop("heartbeat", 5_000, () => beat(pool, workerId, "worker"));

  if (config.MATHLEDGER_DEVNET === "on") {
    const intervalMs = Math.round(config.MATHLEDGER_DEVNET_INTERVAL * 1000);
    let producing = false;
    loop("devnet", intervalMs, async () => {
      const summary = await produceDevnetBlock(pool, { suite, holder: workerId, intervalMs, seed: config.MATHLEDGER_DEVNET_SEED, peers: config.MATHLEDGER_DEVNET_PEERS });
      if (summary && !producing) log(`devnet producer active (every ${config.MATHLEDGER_DEVNET_INTERVAL} s)`);
      producing = summary !== null;
      if (summary && summary.invalid > 0) log(`devnet produced an invalid block at ${summary.tip?.block_number}`);
    });
  }

  const alerting: Alerting | null = alertConfig ? await startAlerting(pool, alertConfig, log) : null;
  const thresholds = { ...DEFAULT_RADAR_THRESHOLDS, resolve_after_clean: config.MATHLEDGER_RADAR_RESOLVE_AFTER };
  const radar = alerting ? new RadarRunner(pool, { holder: workerId, sink: alerting.sink, thresholds }) : null;
  if (radar) {
    let active = false;
    loop("radar", 500, async () => {
      const out = await radar.tick();
      if (out.active !== active) log(out.active ? "drift radar active (monitors run in this worker)" : "drift radar held by another process");
      active = out.active;
      for (const e of out.raised) log(`drift ${e.severity} ${e.drift_category} at block ${e.block_number ?? "?"}: ${e.message}`);
    });
  }

  // Validation threads for imports, started at the first job and kept for the next ones (a thread takes ~0.3 s of CPU
  // to start, a noticeable share of a short import on two cores).
  let validation: BatchPreparer | undefined;
  loop("imports", 3_000, async () => {
    for (const jobId of await orphanedImportJobs(pool)) {
      const threads = defaultValidationThreads();
      validation ??= threads > 0 ? startingPool(threads) : undefined;
      const totals = await runImportJob(pool, jobId, { suite, now: () => Math.floor(Date.now() / 1000), preparer: validation });
      if (totals) log(`import job ${jobId} finished: ${JSON.stringify(totals)}`);
    }
  });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    for (const t of timers) clearInterval(t);
    await validation?.close().catch(() => undefined);
    await releaseLease(pool, DEVNET_LEASE, workerId).catch(() => undefined);
    await radar?.stop().catch(() => undefined);
    await alerting?.stop().catch(() => undefined);
    await removeHeartbeat(pool, workerId).catch(() => undefined);
    await closePgPool();
    await disconnectDatabase();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  console.error(`[worker] cannot start: ${(error as Error).message}`);
  process.exit(1);
});
