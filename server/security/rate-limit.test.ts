/**
 * Rate limits against a real PostgreSQL: counts are exact under concurrency (one atomic upsert), windows roll over,
 * every bucket is configurable and can be switched off, and a refusal says when to retry.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isAppError } from "../../lib/errors";
import { readConfig } from "../config";
import { createPgPool } from "../db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { configuredRateLimit, enforceRateLimit, RATE_LIMIT_BUCKETS, type RateLimitBucket } from "./rate-limit";
import { hitCounter, pruneCounters } from "./rate-limit-repository";

let db: TestDatabase;
let pool: pg.Pool;
let otherPool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url, 10);
  otherPool = createPgPool(db.url, 10);
});
afterAll(async () => {
  await pool?.end();
  await otherPool?.end();
  await db?.drop();
});

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error, "RATE_LIMITED")) return error;
    throw error;
  }
  throw new Error("expected RATE_LIMITED");
}

describe("hitCounter", () => {
  it("gives concurrent requests from two pools (two processes) distinct counts 1..n", async () => {
    const hits = await Promise.all(
      Array.from({ length: 60 }, (_, i) => hitCounter(i % 2 ? pool : otherPool, "test", "concurrent", T0)),
    );
    expect(hits.map((h) => h.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it("restarts at 1 in a new window and never moves a window backwards", async () => {
    expect((await hitCounter(pool, "test", "roll", T0)).hits).toBe(1);
    expect((await hitCounter(pool, "test", "roll", T0)).hits).toBe(2);
    expect(await hitCounter(pool, "test", "roll", T0 + 60_000)).toEqual({ hits: 1, windowStartMs: T0 + 60_000 });
    // A process whose clock lags still counts into the newer window.
    expect(await hitCounter(pool, "test", "roll", T0)).toEqual({ hits: 2, windowStartMs: T0 + 60_000 });
  });

  it("keeps buckets and keys apart", async () => {
    await hitCounter(pool, "a", "k", T0);
    expect((await hitCounter(pool, "b", "k", T0)).hits).toBe(1);
    expect((await hitCounter(pool, "a", "k2", T0)).hits).toBe(1);
  });
});

describe("pruneCounters", () => {
  it("deletes only counters of windows before the cut-off", async () => {
    await hitCounter(pool, "prune", "old", T0 - 86_400_000 * 2);
    await hitCounter(pool, "prune", "new", T0);
    await pruneCounters(pool, T0 - 86_400_000);
    const { rows } = await pool.query("SELECT key FROM rate_limit_counters WHERE bucket = 'prune'");
    expect(rows.map((r) => r.key)).toEqual(["new"]);
  });
});

describe("enforceRateLimit", () => {
  const limit = { limit: 3, windowSeconds: 60 };

  it("allows the limit, then refuses with RATE_LIMITED and the seconds to the window's end", async () => {
    const now = T0 + 15_000;
    for (let i = 0; i < 3; i++) expect((await enforceRateLimit("validate", "198.51.100.7", { pool, now, limit })).allowed).toBe(true);
    const error = await refusal(enforceRateLimit("validate", "198.51.100.7", { pool, now, limit }));
    expect(error.details).toMatchObject({ bucket: "validate", retryAfterSeconds: 45, limit: 3, windowSeconds: 60 });
    expect(error.message).toMatch(/too many validation requests from this address: the limit is 3 requests per 60 s; retry in 45 s .*MATHLEDGER_RATE_LIMIT_VALIDATE/);
    // Another address and the next window are unaffected.
    expect((await enforceRateLimit("validate", "198.51.100.8", { pool, now, limit })).allowed).toBe(true);
    expect((await enforceRateLimit("validate", "198.51.100.7", { pool, now: T0 + 60_000, limit })).allowed).toBe(true);
  });

  it("stores digests, never the key itself", async () => {
    await enforceRateLimit("push", "a-node-token-that-must-not-be-stored", { pool, now: T0, limit });
    const { rows } = await pool.query("SELECT key FROM rate_limit_counters WHERE bucket = 'push'");
    expect(rows).toHaveLength(1);
    expect(rows[0].key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("drives every sign-in and signature bucket past its limit", async () => {
    const buckets: RateLimitBucket[] = ["sign-in-challenge-key", "sign-in-challenge-ip", "sign-in-signature-key", "sign-in-signature-ip", "signature-key", "signature-ip"];
    for (const bucket of buckets) {
      const one = { limit: 1, windowSeconds: 60 };
      await enforceRateLimit(bucket, "k", { pool, now: T0, limit: one });
      const error = await refusal(enforceRateLimit(bucket, "k", { pool, now: T0, limit: one }));
      expect(error.message).toContain(RATE_LIMIT_BUCKETS[bucket].variable);
    }
  });

  it("costs no database round trip when unlimited", async () => {
    const closed = createPgPool(db.url);
    await closed.end(); // any query on it would throw
    for (let i = 0; i < 5; i++) {
      expect((await enforceRateLimit("validate", "x", { pool: closed, now: T0, limit: { limit: 0, windowSeconds: 60 } })).allowed).toBe(true);
    }
  });
});

describe("configuredRateLimit", () => {
  it("reads each bucket's variable, with defaults", () => {
    expect(configuredRateLimit("push", readConfig({}))).toEqual({ limit: 600, windowSeconds: 60 });
    expect(configuredRateLimit("validate", readConfig({ MATHLEDGER_RATE_LIMIT_VALIDATE: "5/10" }))).toEqual({ limit: 5, windowSeconds: 10 });
    expect(configuredRateLimit("validate", readConfig({ MATHLEDGER_RATE_LIMIT_VALIDATE: "0" })).limit).toBe(0);
  });

  it("is unlimited for every bucket with MATHLEDGER_RATE_LIMITS=off (load tests, benchmarks)", () => {
    const config = readConfig({ MATHLEDGER_RATE_LIMITS: "off", MATHLEDGER_RATE_LIMIT_PUSH: "1/60" });
    for (const bucket of Object.keys(RATE_LIMIT_BUCKETS) as RateLimitBucket[]) expect(configuredRateLimit(bucket, config).limit).toBe(0);
  });

  it("stops start-up on a malformed limit, naming the variable", () => {
    expect(() => readConfig({ MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP: "lots" })).toThrow(/MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP: expected/);
    expect(() => readConfig({ MATHLEDGER_TRUSTED_ORIGINS: "https://ok.example, ftp://bad/path" })).toThrow(/MATHLEDGER_TRUSTED_ORIGINS.*ftp:\/\/bad\/path/);
  });
});
