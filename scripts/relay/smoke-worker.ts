/**
 * Smoke check of the relay through the real worker process: node A is `tsx worker/main.ts` (devnet every 0.5 s) on
 * its own database with MATHLEDGER_PEERS naming node B; node B is an in-process test node (the real push route on
 * node:http). Prints B's height against A's and the A→B hop times from received_at.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx scripts/relay/smoke-worker.ts [seconds]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../../server/db/test-database";
import { createPgPool } from "../../server/db/pg-pool";
import { ensureEpochRegistry, loadEpochRegistry } from "../../server/chain/epoch-registry";
import { startTestNode } from "../../server/relay/test-support/relay-node";

const SECONDS = Number(process.argv[2] ?? 15);
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const dbA = await createTestDatabase();
  const poolA = createPgPool(dbA.url, 2);
  const epochs = await ensureEpochRegistry(poolA, { genesisTimestamp: Math.floor(Date.now() / 1000), dualActivationBlock: 200 });
  const b = await startTestNode("node-b", epochs);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-relay-smoke-"));
  const peers = path.join(dir, "peers.json");
  writeFileSync(peers, JSON.stringify({ peers: [{ id: "node-b", url: b.url, token: "${NODE_B_TOKEN}" }] }));
  const worker = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    env: { ...process.env, DATABASE_URL: dbA.url, MATHLEDGER_DATA_DIR: dir, MATHLEDGER_NODE_ID: "node-a", MATHLEDGER_PEERS: peers, NODE_B_TOKEN: b.token, MATHLEDGER_DEVNET_INTERVAL: "0.5", MATHLEDGER_RADAR: "off", MATHLEDGER_DEVNET_PEERS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout.on("data", (d: Buffer) => process.stdout.write(`  ${d}`));
  worker.stderr.on("data", (d: Buffer) => process.stderr.write(`  ${d}`));
  try {
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    await new Promise((r) => setTimeout(r, 500));
    const times = async (pool: typeof poolA) =>
      new Map((await pool.query<{ legacy_hash: string; t: number }>("SELECT legacy_hash, extract(epoch FROM received_at) * 1000 AS t FROM blocks")).rows.map((r) => [r.legacy_hash, Number(r.t)]));
    const [ta, tb] = await Promise.all([times(poolA), times(b.pool)]);
    const hops = [...ta].filter(([h]) => tb.has(h)).map(([h, t]) => tb.get(h)! - t);
    console.log(`A stored ${ta.size} blocks, B ${tb.size}; registries equal: ${JSON.stringify(await loadEpochRegistry(b.pool)) === JSON.stringify(epochs)}`);
    console.log(`A→B through the real worker: n=${hops.length} p50=${pct(hops, 50).toFixed(1)} ms p95=${pct(hops, 95).toFixed(1)} ms max=${Math.max(...hops).toFixed(1)} ms`);
    console.log(JSON.stringify((await poolA.query("SELECT peer_id, blocks_sent, bytes_sent, tip_block, unreachable_since FROM relay_peers")).rows));
  } finally {
    if (worker.exitCode === null) worker.kill("SIGKILL");
    await poolA.end();
    await b.stop();
    await dbA.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
