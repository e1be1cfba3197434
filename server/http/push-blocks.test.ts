/**
 * POST /api/v1/blocks through the real route handler, against a real PostgreSQL: every refusal is a 4xx with a
 * message that says what is wrong, and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool, closePgPool } from "../db/pg-pool";
import { makeEpoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { replaceEpochRegistry } from "../chain/epoch-registry";

const TOKEN = "test-node-token-0123456789";
const epochs = [makeEpoch(0, "v2-dual-required", 1, 0)];
const genesis = sealBlock({ statements: ["1 + 1 = 2", "∀ n ∈ ℕ, n ≤ n²"], epochs, timestamp: 1_790_000_000 });
const next = sealBlock({ statements: ["2 + 2 = 4"], epochs, prev: genesis, timestamp: 1_790_000_002 });

let db: TestDatabase;
let pool: pg.Pool;
let POST: (request: Request) => Promise<Response>;
const saved = { url: process.env.DATABASE_URL, token: process.env.MATHLEDGER_NODE_TOKEN, max: process.env.MATHLEDGER_MAX_PUSH_BYTES };

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await replaceEpochRegistry(pool, epochs);
  process.env.DATABASE_URL = db.url;
  process.env.MATHLEDGER_NODE_TOKEN = TOKEN;
  process.env.MATHLEDGER_MAX_PUSH_BYTES = "65536";
  ({ POST } = await import("../../app/api/v1/blocks/route"));
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  process.env.DATABASE_URL = saved.url;
  process.env.MATHLEDGER_NODE_TOKEN = saved.token;
  process.env.MATHLEDGER_MAX_PUSH_BYTES = saved.max;
  for (const [k, v] of Object.entries({ DATABASE_URL: saved.url, MATHLEDGER_NODE_TOKEN: saved.token, MATHLEDGER_MAX_PUSH_BYTES: saved.max })) {
    if (v === undefined) delete process.env[k];
  }
});

function push(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return POST(
    new Request("http://localhost/api/v1/blocks", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
      body,
    }),
  );
}
async function blockCount(): Promise<number> {
  return Number((await pool.query("SELECT count(*) FROM blocks")).rows[0].count);
}

describe("POST /api/v1/blocks", () => {
  it("refuses bad requests with a 4xx that says what is wrong, writing nothing", async () => {
    const cases: Array<[Promise<Response>, number, RegExp]> = [
      [push(JSON.stringify(genesis), { authorization: "" }), 401, /missing node token/],
      [push(JSON.stringify(genesis), { authorization: "Bearer not-the-token" }), 403, /wrong node token/],
      [push(JSON.stringify(genesis), { "content-type": "text/plain" }), 415, /Content-Type must be application\/json/],
      [push("{not json"), 400, /body is not valid JSON/],
      [push(JSON.stringify({ ...genesis, block_number: "zero" })), 400, /block_number must be a non-negative integer, got "zero"/],
      [push(JSON.stringify({ ...genesis, pq_algorithm: 0x33 })), 400, /0x33 is not a registered hash algorithm/],
      [push(JSON.stringify([genesis, { ...next, statements: "nope" }])), 400, /block 2 of 2: statements must be an array/],
      [push(JSON.stringify({ blocks: [] })), 400, /no blocks in the request/],
      [push(JSON.stringify(42)), 400, /body must be a block object/],
      [push("x".repeat(70_000)), 413, /exceeds the limit of 65536 bytes/],
      [push(JSON.stringify(next)), 409, /no block 0 is known/],
    ];
    for (const [response, status, message] of cases) {
      const r = await response;
      const body = await r.json();
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(body.error.message).toMatch(message);
    }
    expect(await blockCount()).toBe(0);
  });

  it("stores pushed blocks with their verdicts (201), and the same blocks again as duplicates (200)", async () => {
    const r = await push(JSON.stringify({ blocks: [genesis, next] }));
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body).toMatchObject({ stored: 2, valid: 2, duplicates: 0 });
    expect(body.blocks.map((b: { verdict: string }) => b.verdict)).toEqual(["VALID", "VALID"]);
    const again = await push(JSON.stringify(next));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await blockCount()).toBe(2);
  });

  it("stores a block that breaks a consensus rule as INVALID, with its violations in the response", async () => {
    const forged = { ...sealBlock({ statements: ["3 = 3"], epochs, prev: next, timestamp: 1_790_000_004 }), merkle_root: "0x" + "ab".repeat(32) };
    const r = await push(JSON.stringify(forged));
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body.blocks[0].verdict).toBe("INVALID");
    expect(body.blocks[0].violations.map((v: { code: string }) => v.code)).toEqual(["LEGACY_MERKLE_ROOT_MISMATCH"]);
  });
});
