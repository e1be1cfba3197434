/**
 * POST /api/v1/blocks past its rate limit, through the real route handler and a real PostgreSQL: per token, 429 with
 * Retry-After and the JSON error shape, checked before the body is read, and nothing written by a refused request.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeEpoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { replaceEpochRegistry } from "../chain/epoch-registry";
import { closePgPool, createPgPool } from "../db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../db/test-database";

const TOKEN = "rate-limited-node-token-0123456789";
const epochs = [makeEpoch(0, "v2-dual-required", 1, 0)];
const genesis = sealBlock({ statements: ["1 + 1 = 2"], epochs, timestamp: 1_790_000_000 });

const VARIABLES = ["DATABASE_URL", "MATHLEDGER_NODE_TOKEN", "MATHLEDGER_RATE_LIMIT_PUSH", "MATHLEDGER_RATE_LIMITS"] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let db: TestDatabase;
let pool: pg.Pool;
let POST: (request: Request) => Promise<Response>;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await replaceEpochRegistry(pool, epochs);
  process.env.DATABASE_URL = db.url;
  process.env.MATHLEDGER_NODE_TOKEN = TOKEN;
  // A day-long window: the test cannot straddle a window boundary in practice.
  process.env.MATHLEDGER_RATE_LIMIT_PUSH = "3/86400";
  delete process.env.MATHLEDGER_RATE_LIMITS;
  ({ POST } = await import("../../app/api/v1/blocks/route"));
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function push(body: string, token = TOKEN): Promise<Response> {
  return POST(
    new Request("http://localhost/api/v1/blocks", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    }),
  );
}

describe("POST /api/v1/blocks rate limit (MATHLEDGER_RATE_LIMIT_PUSH)", () => {
  it("answers 429 with Retry-After past the limit, per token, before reading the body", async () => {
    expect((await push(JSON.stringify(genesis))).status).toBe(201);
    expect((await push(JSON.stringify(genesis))).status).toBe(200); // already stored: idempotent, still counted
    expect((await push("{not json")).status).toBe(400); // counted too: the limit is checked before the body

    const refused = await push(JSON.stringify(genesis));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 86_400).toBe(true);
    const body = await refused.json();
    expect(body).toEqual({
      error: { code: "RATE_LIMITED", message: expect.stringMatching(/too many pushes with this node token: the limit is 3 requests per 86400 s; retry in \d+ s/), retry_after_seconds: retryAfter },
    });

    // A refused request reads no body: malformed JSON is not even noticed.
    expect((await push("{still not json")).status).toBe(429);
  });

  it("counts per token: a wrong token still gets 403 (authentication comes first), not 429", async () => {
    const response = await push(JSON.stringify(genesis), "some-other-token-0123456789");
    expect(response.status).toBe(403);
  });

  it("lets everything through with MATHLEDGER_RATE_LIMITS=off", async () => {
    process.env.MATHLEDGER_RATE_LIMITS = "off";
    try {
      for (let i = 0; i < 3; i++) expect((await push(JSON.stringify(genesis))).status).toBe(200);
    } finally {
      delete process.env.MATHLEDGER_RATE_LIMITS;
    }
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM blocks");
    expect(rows[0].n).toBe(1);
  });
});
