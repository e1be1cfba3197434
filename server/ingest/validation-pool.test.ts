/**
 * The ingest validation threads: whatever a batch holds, preparing it with the pool gives exactly what prepareBatch
 * gives on the main thread, and an import with threads ends in exactly the state of one without (real PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import type { Block } from "../../lib/consensus/block";
import { generateStatements } from "../../lib/devnet/statement-generator";
import { replaceEpochRegistry } from "../chain/epoch-registry";
import { prepareBatch, speculateBlocks, type TipState } from "./ingest-blocks";
import { checkImportFile, runImportJob, startOrResumeImport } from "./import-file";
import { ValidationPool, type BatchPreparer } from "./validation-pool";

const T0 = 1_760_000_000;
const EPOCHS: Epoch[] = [makeEpoch(0, "v1-legacy", 0, T0, null, 19), makeEpoch(20, "v2-dual-required", 1, T0, null, 39), makeEpoch(40, "v3-pq-only", 2, T0, "0x" + "aa".repeat(32))];

function chainFrom(prev: Block | null, count: number, seed: number): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < count; i++) {
    const n = prev ? prev.block_number + 1 : 0;
    prev = sealBlock({ statements: generateStatements({ seed, blockNumber: n, maxCount: 4 }), epochs: EPOCHS, prev, timestamp: T0 + n * 2 });
    out.push(prev);
  }
  return out;
}

const CHAIN = chainFrom(null, 50, 3);
const BRANCH = chainFrom(CHAIN[30], 6, 33);

let suite: HashSuite;
let threads: ValidationPool;
beforeAll(async () => {
  suite = await loadWasmHashSuite();
  threads = await ValidationPool.start(2);
});
afterAll(async () => {
  await threads?.close();
});

/** One entry of a batch: a block of the chain, a corrupted copy, a branch block, or something that is not a block. */
const entryArb = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: CHAIN.length - 1 }).map((i) => CHAIN[i] as unknown) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: CHAIN.length - 1 }).map((i) => ({ ...CHAIN[i], timestamp: 1 }) as unknown) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: BRANCH.length - 1 }).map((i) => BRANCH[i] as unknown) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ block_number: 5 }, "not a block", { ...CHAIN[3], statements: "x" }) },
);
/** Mostly runs of consecutive blocks (the common case), with faults mixed in. */
const batchArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: CHAIN.length - 2 }), fc.integer({ min: 2, max: 30 })).map(([start, n]) => CHAIN.slice(start, start + n) as unknown[]),
  fc.array(entryArb, { minLength: 1, maxLength: 25 }),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.array(entryArb, { maxLength: 3 }), fc.integer({ min: 0, max: 40 })).map(([a, mid, b]) => [...CHAIN.slice(a, a + 8), ...mid, ...CHAIN.slice(b, b + 8)] as unknown[]),
);
const tipArb = fc.option(fc.integer({ min: 0, max: CHAIN.length - 1 }), { nil: undefined });
const tipOf = (i: number | undefined, hashes: string[]): TipState | null => (i === undefined ? null : { block: CHAIN[i], legacyHash: hashes[i] });

/** A prepared batch without its timings (validationMs, the drift radar's measurement): what must agree. */
function withoutTimings<T extends { items: readonly object[] }>(batch: T): T {
  return { ...batch, items: batch.items.map((item) => ({ ...item, validationMs: undefined })) };
}

describe("ValidationPool.prepare", () => {
  it("gives exactly prepareBatch's result for any batch and tip (valid runs, corrupt blocks, branches, gaps, junk)", async () => {
    const hashes = (await prepareBatch(CHAIN, { epochs: EPOCHS, tip: null, suite })).items.map((item) => item.legacyHash!);
    await fc.assert(
      fc.asyncProperty(batchArb, tipArb, async (raws, tipIndex) => {
        const context = { epochs: EPOCHS, tip: tipOf(tipIndex, hashes), suite, now: T0 + 1000 };
        const expected = withoutTimings(await prepareBatch(raws, context));
        expect(withoutTimings(await threads.prepare(raws, context))).toEqual(expected);
        expect(withoutTimings(await threads.prepare(raws, context, raws.map((r) => JSON.stringify(r))))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("reuses the threads' work for a run of blocks extending the tip (nothing left to validate on the main thread)", () => {
    const speculated = speculateBlocks(CHAIN.slice(0, 30), { epochs: EPOCHS, prev: null, suite });
    expect(speculated.every((s) => s.validation?.verdict === "VALID")).toBe(true);
    expect(speculated[1].prevLegacyHash).toBe(speculated[0].legacyHash);
  });

  it("falls back to the main thread once the pool is closed, with the same result", async () => {
    const pool = await ValidationPool.start(1);
    await pool.close();
    const context = { epochs: EPOCHS, tip: null, suite };
    expect(withoutTimings(await pool.prepare(CHAIN.slice(0, 10), context))).toEqual(withoutTimings(await prepareBatch(CHAIN.slice(0, 10), context)));
  });

  it("refuses a pool of no threads", async () => {
    await expect(ValidationPool.start(0)).rejects.toThrow(/at least one thread/);
  });
});

describe("runImportJob with validation threads", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPgPool(db.url);
    await replaceEpochRegistry(pool, EPOCHS);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function importWith(validationThreads: number, preparer?: BatchPreparer) {
    await pool.query("TRUNCATE blocks, statements, violations, reorgs, ingest_cursors, import_jobs RESTART IDENTITY CASCADE");
    const corrupted = { ...CHAIN[25], pq_merkle_root: "0x" + "ee".repeat(32) };
    const lines = [...CHAIN.slice(0, 25), corrupted, CHAIN[7], ...CHAIN.slice(25, 34), ...BRANCH].map((b) => JSON.stringify(b));
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-pool-"));
    const file = path.join(dir, "blocks.ndjson");
    await writeFile(file, lines.join("\n") + "\n");
    const { job } = await startOrResumeImport(pool, await checkImportFile(pool, file));
    const totals = await runImportJob(pool, job.id, { suite, batchSize: 7, validationThreads, preparer });
    const state = await pool.query(
      `SELECT content_id, block_number, canonical, verdict, legacy_hash, pq_hash,
              (SELECT count(*)::int FROM violations v WHERE v.block_id = b.id) AS violations
       FROM blocks b ORDER BY id`,
    );
    const cursor = await pool.query("SELECT source, last_block_number, last_content_id FROM ingest_cursors");
    const jobRow = await pool.query("SELECT status, processed_lines, processed_bytes FROM import_jobs");
    const reorgs = await pool.query("SELECT fork_point_block, old_tip_block, new_tip_block, added_count FROM reorgs");
    return { totals, blocks: state.rows, cursor: cursor.rows, job: jobRow.rows, reorgs: reorgs.rows };
  }

  it("ends in exactly the state of a single-threaded import: rows, verdicts, order, reorg, cursor and job", async () => {
    const single = await importWith(0);
    expect(single.totals).toEqual({ stored: 41, duplicates: 1, valid: 40, invalid: 1, reorgs: 1 });
    // Threads that start while the import runs (the default), and a pool running from the first batch on.
    expect(await importWith(2)).toEqual(single);
    let used = 0;
    const counting: BatchPreparer = { prepare: (raws, context, texts) => (used++, threads.prepare(raws, context, texts)), close: async () => undefined };
    expect(await importWith(0, counting)).toEqual(single);
    expect(used).toBe(7); // six batches of 7 lines, then the commit that marks the end of the file
  });
});
