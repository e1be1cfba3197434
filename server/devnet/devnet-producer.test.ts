/** The devnet producer against a real PostgreSQL: sealing on the tip, following the registry, one producer only. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { ensureEpochRegistry } from "../chain/epoch-registry";
import { acquireLease, produceDevnetBlock, releaseLease, DEVNET_LEASE } from "./devnet-producer";

let db: TestDatabase;
let pool: pg.Pool;
let suite: HashSuite;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  suite = await loadWasmHashSuite();
  await ensureEpochRegistry(pool, { genesisTimestamp: 1_790_000_000, dualActivationBlock: 5 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("produceDevnetBlock", () => {
  it("seals valid blocks on the canonical tip and crosses the scheduled dual activation", async () => {
    for (let i = 0; i < 8; i++) {
      const s = await produceDevnetBlock(pool, { suite, holder: "worker-a", intervalMs: 1000, seed: 3, now: () => 1_790_000_000_000 + i * 1000 });
      expect(s).toMatchObject({ stored: 1, valid: 1, invalid: 0 });
    }
    const { rows } = await pool.query("SELECT block_number, verdict, canonical, pq_algorithm, dual_commitment FROM blocks ORDER BY block_number");
    expect(rows.map((r) => r.block_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows.every((r) => r.verdict === "VALID" && r.canonical)).toBe(true);
    expect(rows.slice(0, 5).every((r) => r.pq_algorithm === null)).toBe(true);
    expect(rows.slice(5).every((r) => r.pq_algorithm === 1 && r.dual_commitment !== null)).toBe(true);
  });

  it("lets only one of two workers produce, and another take over once the lease lapses", async () => {
    const before = Number((await pool.query("SELECT count(*) FROM blocks")).rows[0].count);
    // Two workers tick at the same moment, many times: exactly one of each pair produces.
    for (let i = 0; i < 5; i++) {
      const [a, b] = await Promise.all([
        produceDevnetBlock(pool, { suite, holder: "worker-a", intervalMs: 1000, seed: 3 }),
        produceDevnetBlock(pool, { suite, holder: "worker-b", intervalMs: 1000, seed: 3 }),
      ]);
      expect([a, b].filter((s) => s !== null)).toHaveLength(1);
      expect(b).toBeNull(); // worker-a already holds the lease from the test above
    }
    expect(Number((await pool.query("SELECT count(*) FROM blocks")).rows[0].count)).toBe(before + 5);
    // worker-a stops (releases on clean shutdown, or its lease expires): worker-b takes over.
    await releaseLease(pool, DEVNET_LEASE, "worker-a");
    expect(await produceDevnetBlock(pool, { suite, holder: "worker-b", intervalMs: 1000, seed: 3 })).not.toBeNull();
    expect(await produceDevnetBlock(pool, { suite, holder: "worker-a", intervalMs: 1000, seed: 3 })).toBeNull();
  });

  it("hands the lease over only after it expires", async () => {
    expect(await acquireLease(pool, "test-lease", "x", 200)).toBe(true);
    expect(await acquireLease(pool, "test-lease", "y", 200)).toBe(false);
    await new Promise((r) => setTimeout(r, 350));
    expect(await acquireLease(pool, "test-lease", "y", 200)).toBe(true);
  });
});
