/**
 * `mathledger-cli drift ...` through the real bin in a child process, against a fresh database with a devnet
 * producer ticking in this process (as the worker would): inject each category and see the radar raise it, list
 * events, acknowledge, resolve, silence; and exit 2 when no devnet is running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../lib/crypto/hash-algorithms";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { createPgPool } from "../server/db/pg-pool";
import { ensureEpochRegistry } from "../server/chain/epoch-registry";
import { produceDevnetBlock, DEVNET_LEASE } from "../server/devnet/devnet-producer";
import { RadarRunner } from "../server/drift/radar-runner";
import { runBin } from "./test-support/run-bin";

let db: TestDatabase;
let pool: pg.Pool;
let suite: HashSuite;
const cli = (...args: string[]) => runBin(args, { env: { DATABASE_URL: db.url } });

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  suite = await loadWasmHashSuite();
  await ensureEpochRegistry(pool, { genesisTimestamp: Math.floor(Date.now() / 1000) - 1000, dualActivationBlock: 5 });
  for (let i = 0; i < 40; i++) await produceDevnetBlock(pool, { suite, holder: "devnet", intervalMs: 100, seed: 1 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** Runs the devnet producer and the radar every 100 ms while `during` runs (the worker's loops, sped up). */
async function withDevnet<T>(during: () => Promise<T>): Promise<T> {
  let running = true;
  const radar = new RadarRunner(pool, { holder: "radar" });
  const loop = (async () => {
    while (running) {
      await produceDevnetBlock(pool, { suite, holder: "devnet", intervalMs: 100, seed: 1 });
      await radar.tick();
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return await during();
  } finally {
    running = false;
    await loop;
    await radar.tick();
  }
}

describe("mathledger-cli drift", () => {
  it("inject exits 2 when no devnet is running", async () => {
    await pool.query("DELETE FROM leases WHERE name = $1", [DEVNET_LEASE]);
    const r = await cli("drift", "inject", "--kind", "consistency");
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/no devnet is running/);
    const bad = await cli("drift", "inject", "--kind", "gravity");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kind must be one of algorithm_mismatch/);
  });

  it("each of the seven kinds makes the devnet produce drift that the radar raises in that category", async () => {
    const kinds = ["algorithm_mismatch", "consistency", "lineage", "commitment", "storage", "network", "performance"] as const;
    const results = await withDevnet(async () => {
      const out: Record<string, number[]> = {};
      for (const kind of kinds) {
        const r = await cli("drift", "inject", "--kind", kind, "--json");
        expect(r.code, r.stderr).toBe(0);
        out[kind] = JSON.parse(r.stdout).affected_blocks;
      }
      return out;
    });
    expect(results.performance).toHaveLength(5);
    for (const kind of kinds.filter((k) => k !== "performance")) expect(results[kind]).toHaveLength(1);
    const events = JSON.parse((await cli("drift", "events", "--json", "--limit", "1000")).stdout).events as { drift_category: string; block_number: number; severity: string }[];
    for (const kind of kinds) {
      const mine = events.filter((e) => e.drift_category === kind);
      expect(mine.length, `${kind} raised`).toBeGreaterThan(0);
      if (["algorithm_mismatch", "consistency", "lineage", "commitment"].includes(kind)) {
        expect(mine.map((e) => e.block_number)).toContain(results[kind][0]);
        expect(mine[0].severity).toBe("CRITICAL");
      }
    }
    expect(events.find((e) => e.drift_category === "storage")?.severity).toBe("MEDIUM");
    expect(events.find((e) => e.drift_category === "performance")?.severity).toBe("HIGH");
  }, 240_000);

  it("events filters; ack, resolve and silence act on the database with text and JSON output", async () => {
    // The consensus events resolved themselves after the clean blocks that followed; the last injections' are open.
    const open = JSON.parse((await cli("drift", "events", "--open", "--json")).stdout).events as { event_id: string; resolved: boolean }[];
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((e) => !e.resolved)).toBe(true);
    const id = open[0].event_id;
    const text = await cli("drift", "events", "--category", "consistency");
    expect(text.stdout).toMatch(/CRITICAL\s+consistency/);
    expect(text.stdout).toMatch(/resolved \(auto/);
    const ack = await cli("drift", "ack", "--event-id", id, "--json");
    expect(JSON.parse(ack.stdout).event.acknowledged_by).toMatch(/^cli:/);
    const res = await cli("drift", "resolve", "--event-id", id, "--note", "test peer fixed");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/resolved \(cli:.*: test peer fixed\)/);
    const again = await cli("drift", "resolve", "--event-id", id, "--note", "again");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already resolved/);
    expect((await cli("drift", "ack", "--event-id", "nope")).stderr).toMatch(/no drift event "nope"/);
    const sil = await cli("drift", "silence", "--match", "drift_category=storage", "--match", "severity=~MEDIUM|LOW", "--duration", "3600", "--comment", "disk work");
    expect(sil.code, sil.stderr).toBe(0);
    expect(sil.stdout).toMatch(/drift_category=storage, severity=~MEDIUM\|LOW/);
    const badSil = await cli("drift", "silence", "--match", "colour=red", "--duration", "3600", "--comment", "x");
    expect(badSil.code).toBe(2);
    expect(badSil.stderr).toMatch(/matchers\[0\]\.name must be one of/);
    expect((await cli("drift", "events", "--category", "weather")).code).toBe(2);
  }, 60_000);
});
