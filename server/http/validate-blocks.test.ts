/**
 * POST /api/v1/validate through the real route handler, against a real PostgreSQL holding the fixture chain: every
 * violation code, the refusals (400/413/415 in the push route's error shape, with line and column for bad JSON), the
 * CSV/JSON export, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";

import { singleEpochRegistry } from "../../lib/consensus/test-chains";
import { FIXTURE_CHAIN, violationCases } from "../../lib/consensus/violation-fixtures";
import { VALIDATION_RESULT_COLUMNS } from "../../lib/validation/result-table";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { closePgPool, createPgPool } from "../db/pg-pool";
import { requestFor, seedFixtureChain, tableCounts, withUnknownRuleVersion } from "../validation/test-support";

let db: TestDatabase;
let pool: pg.Pool;
let counts: Record<string, number>;
let POST: (request: Request) => Promise<Response>;
const saved = { DATABASE_URL: process.env.DATABASE_URL, MATHLEDGER_MAX_PUSH_BYTES: process.env.MATHLEDGER_MAX_PUSH_BYTES };

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await seedFixtureChain(pool);
  counts = await tableCounts(pool);
  process.env.DATABASE_URL = db.url;
  process.env.MATHLEDGER_MAX_PUSH_BYTES = "65536";
  await closePgPool();
  ({ POST } = await import("../../app/api/v1/validate/route"));
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function post(body: string, headers: Record<string, string> = {}, query = ""): Promise<Response> {
  return POST(new Request(`http://localhost/api/v1/validate${query}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }));
}

describe("POST /api/v1/validate", () => {
  it("finds every violation code the core defines, and answers 200 with the results", async () => {
    for (const c of violationCases()) {
      // An unknown rule version can only come from the node's own registry (an inline one is refused as bad input).
      const send = () => post(JSON.stringify(c.code === "UNKNOWN_RULE_VERSION" ? { blocks: [c.block] } : requestFor(c)));
      const res = c.code === "UNKNOWN_RULE_VERSION" ? await withUnknownRuleVersion(pool, send) : await send();
      const body = await res.json();
      expect(res.status, `${c.code}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.results[0].violations.map((v: { code: string }) => v.code), c.code).toEqual(Array(c.count).fill(c.code));
    }
    expect(await tableCounts(pool)).toEqual(counts);
  });

  it("accepts a bare block or array, and says for each block whether this node stores it", async () => {
    const res = await post(JSON.stringify([FIXTURE_CHAIN[5], { ...FIXTURE_CHAIN[6], statements: ["changed"] }]));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results.map((r: { verdict: string }) => r.verdict)).toEqual(["VALID", "INVALID"]);
    expect(body.results[0].stored).toMatchObject({ link: "/blocks/5", canonical: true });
    expect(body.results[1].stored).toBeNull();
    expect(body.context.predecessor).toMatchObject({ source: "store", block: { block_number: 4 } });
    const single = await post(JSON.stringify(FIXTURE_CHAIN[0]));
    expect((await single.json()).results[0]).toMatchObject({ block_number: 0, verdict: "VALID" });
  });

  it("finds a stored valid block invalid under an inline registry", async () => {
    const res = await post(JSON.stringify({ blocks: [FIXTURE_CHAIN[22]], registry: singleEpochRegistry("v2-dual-required") }));
    const [r] = (await res.json()).results;
    expect(r.verdict).toBe("INVALID");
    expect(r.violations.map((v: { code: string }) => v.code)).toContain("MISSING_LEGACY_FIELD");
    expect(r.stored).toMatchObject({ verdict: "VALID", link: "/blocks/22" });
  });

  it("refuses bad requests with 400/413/415 in the push route's error shape, writing nothing", async () => {
    const cases: Array<[Promise<Response>, number, string, RegExp]> = [
      [post(JSON.stringify(FIXTURE_CHAIN[1]), { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE", /Content-Type must be application\/json, got "text\/plain"/],
      [post('{\n  "blocks": [\n    {"block_number": 1,}\n  ]\n}'), 400, "INVALID_INPUT", /^body is not valid JSON: line 3, column 24: a trailing comma before '\}'/],
      [post('{"blocks":' + "[".repeat(80) + "]".repeat(80) + "}"), 400, "INVALID_INPUT", /line 1, column 74: nested more than 64 levels deep/],
      [post("x".repeat(70_000)), 413, "PAYLOAD_TOO_LARGE", /exceeds the limit of 65536 bytes/],
      [post(JSON.stringify({ blocks: [] })), 400, "INVALID_INPUT", /blocks: no blocks in the request/],
      [post(JSON.stringify({ blocks: Array(1001).fill({}) })), 400, "INVALID_INPUT", /at most 1000 blocks/],
      [post(JSON.stringify({ blocks: [{}], extra: 1 })), 400, "INVALID_INPUT", /unknown field "extra"/],
      [post(JSON.stringify({ blocks: [{}], predecessor: 5 })), 400, "INVALID_INPUT", /predecessor: must be \{"block"/],
      [post(JSON.stringify({ blocks: [{}], registry: "mine" })), 400, "INVALID_INPUT", /registry: must be "node" or a JSON array/],
      [post(JSON.stringify({ blocks: [FIXTURE_CHAIN[3]], registry: [{ start_block: 0 }] })), 400, "INVALID_INPUT", /^registry: INVALID_EPOCH: epoch 0.algorithm_id must be a non-negative integer, got nothing/],
      [post(JSON.stringify({ blocks: [FIXTURE_CHAIN[3]], predecessor: { content_id: "0x" + "ab".repeat(32) } })), 400, "INVALID_INPUT", /stores no block with content id/],
      [post("42"), 400, "INVALID_INPUT", /body must be \{"blocks": \[\.\.\.\]\}/],
      [post(JSON.stringify(FIXTURE_CHAIN[1]), {}, "?format=xml"), 400, "INVALID_INPUT", /format must be csv or json/],
    ];
    for (const [response, status, code, message] of cases) {
      const r = await response;
      const body = await r.json();
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(Object.keys(body)).toEqual(["error"]);
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(message);
    }
    expect(await tableCounts(pool)).toEqual(counts);
  });

  it("answers ?format=csv and ?format=json as downloads with a header line naming the columns", async () => {
    const request = JSON.stringify({ blocks: [FIXTURE_CHAIN[12], violationCases()[0].block], predecessor: { block_number: 11 } });
    const csv = await post(request, {}, "?format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="validation-results-\d{8}T\d{6}Z\.csv"$/);
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe(VALIDATION_RESULT_COLUMNS.join(","));
    expect(lines[1]).toMatch(/^0,,12,VALID,v2-dual-required,SHA3-256,10,true,0x/);
    expect(lines.filter((l) => l.startsWith("1,,12,INVALID,")).map((l) => l.split(",")[13])).toEqual(["LEGACY_PREV_HASH_MISMATCH", "BLOCK_NUMBER_DISCONTINUITY", "MALFORMED_FIELD"]);
    const json = await post(request, {}, "?format=json");
    const text = await json.text();
    expect(text.split("\n")[0]).toBe(`{"columns":${JSON.stringify(VALIDATION_RESULT_COLUMNS)},`);
    expect(JSON.parse(text).rows).toHaveLength(4);
  });
});

describe("POST /api/trpc/consensus.validate (the tRPC route)", () => {
  it("answers over HTTP, and refuses a body over the size limit with 413 before tRPC reads it", async () => {
    const { POST: trpcPOST } = await import("../../app/api/trpc/[trpc]/route");
    const call = (body: string) =>
      trpcPOST(new Request("http://localhost/api/trpc/consensus.validate", { method: "POST", headers: { "content-type": "application/json" }, body }) as never);
    const ok = await call(JSON.stringify({ blocks: [FIXTURE_CHAIN[7]] }));
    expect(ok.status).toBe(200);
    expect((await ok.json()).result.data.results[0]).toMatchObject({ block_number: 7, verdict: "VALID" });
    const big = await call(JSON.stringify({ blocks: [{ statements: ["x".repeat(70_000)] }] }));
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await tableCounts(pool)).toEqual(counts);
  });
});

