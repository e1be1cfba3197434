/**
 * The standalone radar agent: GET /health and GET /api/v1/status on its port, and the lease that keeps two radars
 * (an agent and the worker, or two agents) from both running the monitors; plus `mathledger-cli radar` as a real
 * process that stops cleanly on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { projectPath } from "../db/project-root";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { NO_ALERT_CONFIG } from "../../lib/drift/radar-config";
import { ensureEpochRegistry } from "../chain/epoch-registry";
import { produceDevnetBlock } from "../devnet/devnet-producer";
import { startRadarAgent, type RunningAgent } from "./radar-agent";
import { prepareAlertQueueSchema } from "./alert-queue";
import { waitFor } from "./test-support/receivers";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  await prepareAlertQueueSchema(db.url); // what the database's preparation does
  pool = createPgPool(db.url);
  const suite = await loadWasmHashSuite();
  await ensureEpochRegistry(pool, { genesisTimestamp: Math.floor(Date.now() / 1000) - 100, dualActivationBlock: 5 });
  for (let i = 0; i < 8; i++) await produceDevnetBlock(pool, { suite, holder: "devnet", intervalMs: 1000, seed: 1 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const start = (holder: string) =>
  startRadarAgent({ pool, port: 0, host: "127.0.0.1", holder, alertConfig: NO_ALERT_CONFIG, expectedIntervalSeconds: 2, resolveAfter: 10, log: () => undefined });

describe("radar agent", () => {
  it("serves /health and the web server's /api/v1/status; only the lease holder runs the monitors", async () => {
    const a: RunningAgent = await start("agent-a");
    await waitFor(() => a.active(), 30_000, "agent a active");
    const b: RunningAgent = await start("agent-b");
    try {
      await new Promise((r) => setTimeout(r, 1500));
      expect(b.active()).toBe(false);
      const health = await fetch(`http://127.0.0.1:${b.port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "healthy", monitors: "standby" });
      const status = await (await fetch(`http://127.0.0.1:${a.port}/api/v1/status`)).json();
      expect(status.current_block).toBe(7);
      expect(Object.keys(status)).toEqual(expect.arrayContaining(["current_block", "current_epoch", "network_health", "health_reasons", "open_drift_events"]));
      expect((await fetch(`http://127.0.0.1:${a.port}/nope`)).status).toBe(404);
      const { rows } = await pool.query("SELECT last_observation_id FROM radar_cursors");
      expect(Number(rows[0].last_observation_id)).toBe(8);
      await a.stop(); // releases the lease: b takes over
      await waitFor(() => b.active(), 30_000, "agent b takes over");
    } finally {
      await a.stop().catch(() => undefined);
      await b.stop();
    }
  }, 90_000);

  it("mathledger-cli radar serves /health and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [projectPath("bin", "mathledger-cli.mjs"), "radar", "--port", "0", "--json"], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    await waitFor(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.test(stderr) || child.exitCode !== null, 60_000, "the agent listening");
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
    expect(port, stderr).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toMatchObject({ status: "healthy" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ stopped: "SIGTERM" });
  }, 90_000);
});
