/**
 * Canonical block reads against a real PostgreSQL: a chain across an epoch boundary, seeded through ingest, with a
 * competing (invalid, non-canonical) block at one height that the reads must never return.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import type { Block } from "../../lib/consensus/block";
import { generateStatements } from "../../lib/devnet/statement-generator";
import { ingestBlocks } from "../ingest/ingest-blocks";
import { replaceEpochRegistry } from "./epoch-registry";
import { canonicalBlockPages, loadCanonicalBlock, loadCanonicalBlocks } from "./canonical-blocks";

const T0 = 1_760_000_000;
const EPOCHS: Epoch[] = [makeEpoch(0, "v1-legacy", 0, T0, null, 19), makeEpoch(20, "v2-dual-required", 1, T0)];
const COUNT = 45;

let db: TestDatabase;
let pool: pg.Pool;
const chain: Block[] = [];

/** A pool whose query() calls are counted. */
function countingPool(): { db: pg.Pool; queries: () => number } {
  let n = 0;
  const wrapped = Object.create(pool) as pg.Pool;
  wrapped.query = ((...args: Parameters<pg.Pool["query"]>) => {
    n++;
    return (pool.query as (...a: unknown[]) => unknown)(...args);
  }) as pg.Pool["query"];
  return { db: wrapped, queries: () => n };
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  const suite = await loadWasmHashSuite();
  await replaceEpochRegistry(pool, EPOCHS);
  let prev: Block | null = null;
  for (let n = 0; n < COUNT; n++) {
    // Block 7 has no statements (an empty tree); the others 1..6.
    const statements = n === 7 ? [] : generateStatements({ seed: 3, blockNumber: n, maxCount: 6 });
    prev = sealBlock({ statements, epochs: EPOCHS, prev, timestamp: T0 + n });
    chain.push(prev);
  }
  const corrupt = { ...chain[10], statements: ["a statement that is not in the tree"] };
  await ingestBlocks(pool, [...chain.slice(0, 11), corrupt, ...chain.slice(11)], { source: "import", suite });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("loadCanonicalBlock", () => {
  it("returns the stored block exactly as sealed, statements in order, on both sides of the epoch boundary", async () => {
    for (const n of [0, 7, 10, 19, 20, 44]) expect(await loadCanonicalBlock(pool, n)).toEqual(chain[n]);
  });

  it("returns the canonical block, not the invalid copy stored at the same height", async () => {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM blocks WHERE block_number = 10");
    expect(rows[0].n).toBe(2);
    expect((await loadCanonicalBlock(pool, 10))?.statements).toEqual(chain[10].statements);
  });

  it("returns null above the tip", async () => {
    expect(await loadCanonicalBlock(pool, COUNT)).toBeNull();
  });

  it("reads one block in two queries (header, statements)", async () => {
    const counted = countingPool();
    await loadCanonicalBlock(counted.db, 3);
    expect(counted.queries()).toBe(2);
  });
});

describe("loadCanonicalBlocks", () => {
  it("returns the blocks of a range in height order, at most `limit` of them", async () => {
    expect(await loadCanonicalBlocks(pool, 5, 25)).toEqual(chain.slice(5, 26));
    expect(await loadCanonicalBlocks(pool, 5, 25, 4)).toEqual(chain.slice(5, 9));
    expect(await loadCanonicalBlocks(pool, 40, 100)).toEqual(chain.slice(40));
    expect(await loadCanonicalBlocks(pool, 100, 200)).toEqual([]);
  });

  it("reads a whole page in two queries", async () => {
    const counted = countingPool();
    expect(await loadCanonicalBlocks(counted.db, 0, COUNT - 1)).toHaveLength(COUNT);
    expect(counted.queries()).toBe(2);
  });
});

describe("canonicalBlockPages", () => {
  it("pages through a range: every block once, in order, pages of the given size, the last one short", async () => {
    const pages: number[][] = [];
    for await (const page of canonicalBlockPages(pool, 3, 40, 10)) pages.push(page.map((b) => b.block_number));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 8]);
    expect(pages.flat()).toEqual(Array.from({ length: 38 }, (_, i) => i + 3));
  });

  it("yields nothing for an empty or inverted range, and one page when the range ends on a page boundary", async () => {
    const collect = async (from: number, to: number, size: number) => {
      const out: number[][] = [];
      for await (const page of canonicalBlockPages(pool, from, to, size)) out.push(page.map((b) => b.block_number));
      return out;
    };
    expect(await collect(50, 60, 10)).toEqual([]);
    expect(await collect(9, 8, 10)).toEqual([]);
    expect(await collect(0, 9, 10)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it("skips heights with no canonical block (a gap), so callers can report them", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("DELETE FROM blocks WHERE canonical AND block_number IN (12, 13)");
      const numbers: number[] = [];
      for await (const page of canonicalBlockPages(client, 10, 16, 3)) numbers.push(...page.map((b) => b.block_number));
      expect(numbers).toEqual([10, 11, 14, 15, 16]);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
