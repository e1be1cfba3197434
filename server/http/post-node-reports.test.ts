/** POST /api/v1/node-reports through the real route handler, against a real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool, closePgPool } from "../db/pg-pool";

const TOKEN = "test-node-token-0123456789";
const report = { node_id: "node-2", observed_at: 1_790_000_000, block_number: 3, peer_count: 7, propagation_ms: 150, blocks_received: 2, orphan_blocks: 0 };

let db: TestDatabase;
let pool: pg.Pool;
let POST: (request: Request) => Promise<Response>;
const saved = { url: process.env.DATABASE_URL, token: process.env.MATHLEDGER_NODE_TOKEN };

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  process.env.DATABASE_URL = db.url;
  process.env.MATHLEDGER_NODE_TOKEN = TOKEN;
  ({ POST } = await import("../../app/api/v1/node-reports/route"));
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  for (const [k, v] of Object.entries({ DATABASE_URL: saved.url, MATHLEDGER_NODE_TOKEN: saved.token })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const send = (body: string, headers: Record<string, string> = {}) =>
  POST(new Request("http://localhost/api/v1/node-reports", { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers }, body }));
const count = async () => Number((await pool.query("SELECT count(*) FROM node_reports")).rows[0].count);

describe("POST /api/v1/node-reports", () => {
  it("refuses bad requests with a 4xx naming the problem, writing nothing", async () => {
    const cases: Array<[Promise<Response>, number, RegExp]> = [
      [send(JSON.stringify(report), { authorization: "" }), 401, /missing node token/],
      [send(JSON.stringify(report), { authorization: "Bearer wrong-token-wrong-token" }), 403, /wrong node token/],
      [send(JSON.stringify(report), { "content-type": "text/plain" }), 415, /application\/json/],
      [send("{"), 400, /not valid JSON/],
      [send(JSON.stringify([report, { ...report, peer_count: -3 }])), 400, /reports\[1\]\.peer_count must be an integer/],
      [send(JSON.stringify({ ...report, propagation_ms: "slow" })), 400, /report\.propagation_ms/],
      [send("x".repeat(70 * 1024)), 413, /exceeds the limit/],
    ];
    for (const [response, status, message] of cases) {
      const r = await response;
      expect(r.status).toBe(status);
      expect((await r.json()).error.message).toMatch(message);
    }
    expect(await count()).toBe(0);
  });

  it("stores every report of a good request", async () => {
    const r = await send(JSON.stringify({ reports: [report, { ...report, node_id: "node-3" }] }));
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ accepted: 2 });
    const { rows } = await pool.query("SELECT node_id, peer_count, propagation_ms FROM node_reports ORDER BY id");
    expect(rows).toEqual([
      { node_id: "node-2", peer_count: 7, propagation_ms: 150 },
      { node_id: "node-3", peer_count: 7, propagation_ms: 150 },
    ]);
  });
});
