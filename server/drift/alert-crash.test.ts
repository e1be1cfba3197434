/**
 * The outbox survives a crash: a delivery process is killed with SIGKILL in the middle of deliveries (the receiver
 * has the request, the process never records it), another one starts, and every alert arrives; the duplicates the
 * crash causes carry the same idempotency key as the first copy, so a receiver can drop them. Counted, not assumed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { projectPath } from "../db/project-root";
import type { DriftEvent } from "../../lib/drift/drift-event";
import { parseRadarAlertConfig, type RadarAlertConfig } from "../../lib/drift/radar-config";
import { PgBossAlertQueue } from "./alert-queue";
import { enqueueAlerts } from "./alert-outbox";
import { insertDriftEvents } from "./drift-event-repository";
import { HttpReceiver, waitFor } from "./test-support/receivers";

let db: TestDatabase;
let pool: pg.Pool;
let queue: PgBossAlertQueue;
let config: RadarAlertConfig;
const hook = new HttpReceiver();

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await hook.start();
  config = parseRadarAlertConfig({ channels: { slack: { webhook_url: hook.url("/hook") } } }, {});
  // Enqueues only (the child processes deliver); the queue is created here, with a short expiry for the killed jobs.
  queue = await PgBossAlertQueue.start(pool, () => undefined, { migrate: true, expireInSeconds: 2, maintenanceIntervalSeconds: 1 });
}, 60_000);
afterAll(async () => {
  await queue?.stop();
  await hook.stop();
  await pool?.end();
  await db?.drop();
});

function startDeliverer(): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", projectPath("server", "drift", "test-support", "delivery-worker.ts")], {
    env: { ...process.env, DATABASE_URL: db.url, MLPQ_ALERT_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => c.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`delivery worker exited ${code}`)));
  });
  return { child, ready };
}

describe("alert outbox under SIGKILL", () => {
  it("loses nothing, and every duplicate carries the first copy's idempotency key", async () => {
    // The receiver records each request, then takes 400 ms to answer: a kill in that gap is a crash between sending
    // and recording.
    hook.delayMs = 400;
    const events: DriftEvent[] = Array.from({ length: 30 }, (_, i) => ({
      event_id: randomUUID(),
      timestamp: Date.now() / 1000,
      drift_category: "consistency",
      severity: "CRITICAL",
      block_number: 100 + i,
      block_hash: null,
      message: "Merkle root inconsistency detected",
      details: {},
      resolved: false,
      resolution_timestamp: null,
    }));
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await insertDriftEvents(client, events);
      await enqueueAlerts(client, events, config, queue, Date.now() / 1000);
      await client.query("COMMIT");
    } finally {
      client.release();
    }

    const first = startDeliverer();
    await first.ready;
    await waitFor(() => hook.requests.length >= 5, 60_000, "deliveries under way");
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    const beforeRestart = hook.requests.length;
    expect(beforeRestart).toBeLessThan(events.length); // killed in the middle

    const second = startDeliverer();
    await second.ready;
    try {
      await waitFor(async () => Number((await pool.query("SELECT count(*) FROM alert_deliveries WHERE status = 'sent'")).rows[0].count) === events.length, 90_000, "every alert delivered");
    } finally {
      second.child.kill("SIGTERM");
    }
    const keys = hook.requests.map((r) => String(r.headers["idempotency-key"]));
    const expected = events.map((e) => `${e.event_id}:slack`);
    expect(new Set(keys)).toEqual(new Set(expected)); // none lost, nothing unknown
    const duplicates = keys.length - new Set(keys).size;
    // Only what was in flight at the kill (at most one fetched batch of 10) may arrive twice, under the same key.
    expect(duplicates).toBeLessThanOrEqual(10);
    console.log(`[alert-crash] ${events.length} alerts, ${keys.length} requests, ${duplicates} duplicate(s) (same key), ${beforeRestart} before the kill`);
  }, 180_000);
});
