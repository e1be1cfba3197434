/**
 * With the database unreachable, the route handlers and the page gate answer 503 DATABASE_UNAVAILABLE with a message
 * saying so, at once, never a 500 (the full outage under a running node is worker/outage.faults.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePgPool } from "../db/pg-pool";

const saved = { url: process.env.DATABASE_URL, token: process.env.MATHLEDGER_NODE_TOKEN };
const TOKEN = "outage-unit-token-0123456789";

beforeAll(() => {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/mathledger";
  process.env.MATHLEDGER_NODE_TOKEN = TOKEN;
});
afterAll(async () => {
  await closePgPool().catch(() => undefined);
  for (const [k, v] of Object.entries({ DATABASE_URL: saved.url, MATHLEDGER_NODE_TOKEN: saved.token })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function expect503(response: Response) {
  expect(response.status).toBe(503);
  const body = await response.json();
  expect(body.error.code).toBe("DATABASE_UNAVAILABLE");
  expect(body.error.message).toMatch(/^The database is unreachable \(connection refused\)/);
  expect(response.headers.get("retry-after")).toBe("5");
}

describe("route handlers while the database is unreachable", () => {
  it("GET /api/v1/status answers 503 DATABASE_UNAVAILABLE", async () => {
    const { GET } = await import("../../app/api/v1/status/route");
    await expect503(await GET());
  });

  it("POST /api/v1/blocks answers 503 DATABASE_UNAVAILABLE for a well-formed push", async () => {
    const { POST } = await import("../../app/api/v1/blocks/route");
    const block = { block_number: 0, timestamp: 1, prev_hash: "0x" + "00".repeat(32), merkle_root: "0x" + "11".repeat(32), statements: ["1 = 1"] };
    const request = new Request("http://localhost/api/v1/blocks", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(block),
    });
    await expect503(await POST(request));
  });

  it("GET /api/health answers 503 saying the database is unreachable", async () => {
    const { GET } = await import("../../app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unhealthy", database: "unreachable", reason: expect.stringMatching(/^The database is unreachable \(connection refused\)/) });
  });

  it("the page gate answers a 503 HTML page saying what is wrong", async () => {
    const { pageOutageResponse } = await import("./database-gate");
    const response = await pageOutageResponse();
    expect(response?.status).toBe(503);
    expect(response?.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response!.text();
    expect(html).toMatch(/<h1[^>]*>Database unreachable<\/h1>/);
    expect(html).toMatch(/The database is unreachable \(connection refused\)/);
  });
});
