/**
 * The export routes (GET /api/v1/blocks/export, GET /api/v1/blocks/violations/export) through their route handlers,
 * against a real PostgreSQL: header lines, filters, paging across pages, limits and refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";

import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { blockContentId } from "../../lib/consensus/block";
import { FIXTURE_CHAIN } from "../../lib/consensus/violation-fixtures";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { closePgPool, createPgPool } from "../db/pg-pool";
import { ingestBlocks } from "../ingest/ingest-blocks";
import { seedFixtureChain } from "../validation/test-support";
import { BLOCK_EXPORT_COLUMNS, VIOLATION_EXPORT_COLUMNS, exportBlockList } from "./block-exports";

let db: TestDatabase;
let pool: pg.Pool;
let listGET: (request: Request) => Promise<Response>;
let violationsGET: (request: Request) => Promise<Response>;
const savedUrl = process.env.DATABASE_URL;
const tampered = { ...FIXTURE_CHAIN[12], statements: ["1 = 2", ...FIXTURE_CHAIN[12].statements.slice(1)] };
const tamperedId = blockContentId(tampered, nobleHashSuite);

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await seedFixtureChain(pool);
  await ingestBlocks(pool, [tampered], { source: "http", suite: nobleHashSuite });
  process.env.DATABASE_URL = db.url;
  await closePgPool();
  ({ GET: listGET } = await import("../../app/api/v1/blocks/export/route"));
  ({ GET: violationsGET } = await import("../../app/api/v1/blocks/violations/export/route"));
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
});

const get = (handler: (r: Request) => Promise<Response>, query: string) => handler(new Request(`http://localhost/api/v1/x?${query}`));

describe("GET /api/v1/blocks/export", () => {
  it("exports the canonical chain as CSV, newest first, with a header line naming the columns", async () => {
    const res = await get(listGET, "format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="blocks-canonical-\d{8}T\d{6}Z\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(BLOCK_EXPORT_COLUMNS.join(","));
    expect(lines).toHaveLength(26);
    expect(lines[1]).toMatch(/^24,0x[0-9a-f]{64},true,VALID,0,,\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,2,v3-pq-only,SHA3-256,0x/);
  });

  it("applies the filter and the limit, and pages through more rows than one page", async () => {
    const invalid = JSON.parse(await (await get(listGET, "format=json&filter=invalid")).text());
    expect(invalid.columns).toEqual([...BLOCK_EXPORT_COLUMNS]);
    expect(invalid.rows).toEqual([[12, tamperedId, false, "INVALID", 2, "LEGACY_MERKLE_ROOT_MISMATCH", ...invalid.rows[0].slice(6)]]);
    const all = JSON.parse(await (await get(listGET, "format=json&filter=all&limit=3")).text());
    expect(all.rows.map((r: unknown[]) => r[0])).toEqual([24, 23, 22]);
    const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
    const onePage = await text(await exportBlockList(pool, { filter: "all", format: "csv", limit: 100 }));
    const smallPages = await text(await exportBlockList(pool, { filter: "all", format: "csv", limit: 100, pageSize: 4 }));
    expect(smallPages).toBe(onePage);
    expect(onePage.trimEnd().split("\r\n")).toHaveLength(27);
    const cut = await text(await exportBlockList(pool, { filter: "all", format: "csv", limit: 10, pageSize: 4 }));
    expect(cut.trimEnd().split("\r\n")).toHaveLength(11);
  });

  it("refuses a bad format, filter or limit with 400", async () => {
    for (const [query, message] of [
      ["format=xlsx", /format must be csv or json/],
      ["filter=recent", /filter must be one of canonical, all, invalid/],
      ["limit=0", /limit must be an integer from 1 to 100000/],
      ["limit=abc", /limit must be an integer/],
    ] as const) {
      const res = await get(listGET, query);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
  });
});

describe("GET /api/v1/blocks/violations/export", () => {
  it("exports one block's violations, most severe first, by content id", async () => {
    const res = await get(violationsGET, `format=csv&content_id=${tamperedId}`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(VIOLATION_EXPORT_COLUMNS.join(","));
    expect(lines.slice(1).map((l) => l.split(",")[3])).toEqual(["LEGACY_MERKLE_ROOT_MISMATCH", "PQ_MERKLE_ROOT_MISMATCH"]);
    expect(res.headers.get("content-disposition")).toMatch(/filename="block-12-violations-/);
  });

  it("gives just the header for a canonical block without violations, and 404 or 400 for bad targets", async () => {
    const empty = await get(violationsGET, "format=json&block_number=3");
    expect(JSON.parse(await empty.text())).toEqual({ columns: [...VIOLATION_EXPORT_COLUMNS], rows: [] });
    const missing = await get(violationsGET, "block_number=999");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toEqual({ code: "NOT_FOUND", message: "no canonical block 999 is stored" });
    expect((await get(violationsGET, "content_id=0xABC")).status).toBe(400);
    expect((await get(violationsGET, "")).status).toBe(400);
  });
});
