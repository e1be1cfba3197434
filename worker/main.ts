/**
 * The worker: a separate process beside the web server (`npm start` runs both; `npm run worker` runs it alone).
 *
 *  - keeps a heartbeat (GET /api/health reports its age);
 *  - seeds the default epoch registry on a fresh database;
 *  - runs the devnet producer (one block per MATHLEDGER_DEVNET_INTERVAL seconds; one producer across workers);
 *  - applies governance's automatic transitions every second (voting windows closed, activations reached,
 *    attestation deadlines passed);
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
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import { ensureGovernanceGenesis } from "../server/governance/genesis-setup";
import { advanceGovernance } from "../server/governance/governance-transitions";
import { dataDir } from "../server/node-token";

const log = (message: string) => console.log(`[worker ${new Date().toISOString()}] ${message}`);

async function main(): Promise<void> {
  tuneHeapForBulkIngest();
  const config = readConfig();
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
      const summary = await produceDevnetBlock(pool, { suite, holder: workerId, intervalMs, seed: config.MATHLEDGER_DEVNET_SEED });
      if (summary && !producing) log(`devnet producer active (every ${config.MATHLEDGER_DEVNET_INTERVAL} s)`);
      producing = summary !== null;
      if (summary && summary.invalid > 0) log(`devnet produced an invalid block at ${summary.tip?.block_number}`);
    });
  }

  // Governance may be absent (no genesis and the devnet off): then there is nothing to advance.
  const governance = await ensureGovernanceGenesis(pool, { dataDir: dataDir(), demo: config.MATHLEDGER_DEVNET === "on" });
  if (governance.source !== "none") {
    loop("governance", 1_000, async () => {
      const s = await advanceGovernance(pool);
      for (const f of s.finalized) log(`governance: proposal ${f.proposal_hash} ${f.status}`);
      for (const h of s.activated) log(`governance: proposal ${h} ACTIVATED`);
      for (const id of s.insufficient) log(`governance: attestation ${id} INSUFFICIENT`);
    });
  }

  loop("imports", 3_000, async () => {
    for (const jobId of await orphanedImportJobs(pool)) {
      const totals = await runImportJob(pool, jobId, { suite, now: () => Math.floor(Date.now() / 1000) });
      if (totals) log(`import job ${jobId} finished: ${JSON.stringify(totals)}`);
    }
  });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    for (const t of timers) clearInterval(t);
    await releaseLease(pool, DEVNET_LEASE, workerId).catch(() => undefined);
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
