/**
 * Ingest against a real PostgreSQL (a fresh migrated database per suite; DATABASE_URL's server or the embedded one).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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
import { blockContentId, type Block } from "../../lib/consensus/block";
import { generateStatements } from "../../lib/devnet/statement-generator";
import { replaceEpochRegistry } from "../chain/epoch-registry";
import { ingestBlocks, prepareBatch } from "./ingest-blocks";
import { checkImportFile, runImportJob, startOrResumeImport } from "./import-file";

const T0 = 1_760_000_000;
const EPOCHS: Epoch[] = [makeEpoch(0, "v1-legacy", 0, T0, null, 39), makeEpoch(40, "v2-dual-required", 1, T0, null, 79), makeEpoch(80, "v3-pq-only", 2, T0, "0x" + "aa".repeat(32))];

function chainFrom(prev: Block | null, count: number, seed: number): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < count; i++) {
    const n = prev ? prev.block_number + 1 : 0;
    prev = sealBlock({ statements: generateStatements({ seed, blockNumber: n, maxCount: 5 }), epochs: EPOCHS, prev, timestamp: T0 + n * 2 });
    out.push(prev);
  }
  return out;
}

let db: TestDatabase;
let pool: pg.Pool;
let suite: HashSuite;

async function resetChain() {
  await pool.query("TRUNCATE blocks, statements, violations, reorgs, ingest_cursors, import_jobs RESTART IDENTITY CASCADE");
}
async function canonicalNumbers(): Promise<number[]> {
  const { rows } = await pool.query<{ block_number: number }>("SELECT block_number FROM blocks WHERE canonical ORDER BY block_number");
  return rows.map((r) => Number(r.block_number));
}
async function count(table: string, where = "true"): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return rows[0].n;
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  suite = await loadWasmHashSuite();
  await replaceEpochRegistry(pool, EPOCHS);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

// Every scenario below (valid chains, corrupted blocks, duplicates, reorgs, resets by TRUNCATE) must leave the
// trigger-kept totals that the status and the explorer read equal to what a full count finds.
afterEach(async () => {
  const { rows } = await pool.query(
    `SELECT (SELECT row_to_json(t) FROM (SELECT blocks, canonical, invalid, violations, reorgs FROM chain_totals WHERE id = 1) t) AS kept,
            json_build_object('blocks', (SELECT count(*) FROM blocks)::int, 'canonical', (SELECT count(*) FROM blocks WHERE canonical)::int,
                              'invalid', (SELECT count(*) FROM blocks WHERE verdict = 'INVALID')::int,
                              'violations', (SELECT count(*) FROM violations)::int, 'reorgs', (SELECT count(*) FROM reorgs)::int) AS counted`,
  );
  expect(rows[0].kept).toEqual(rows[0].counted);
});

describe("ingestBlocks", () => {
  it("stores a valid chain across two epoch boundaries as canonical, with statements, once", async () => {
    await resetChain();
    const chain = chainFrom(null, 100, 1);
    const first = await ingestBlocks(pool, chain, { source: "import", suite });
    expect(first).toMatchObject({ stored: 100, valid: 100, invalid: 0, duplicates: 0 });
    expect(await canonicalNumbers()).toEqual(chain.map((b) => b.block_number));
    expect(await count("statements")).toBe(chain.reduce((n, b) => n + b.statements.length, 0));
    expect(await count("violations")).toBe(0);
    const again = await ingestBlocks(pool, chain.slice(10, 30), { source: "http", suite });
    expect(again).toMatchObject({ stored: 0, duplicates: 20 });
    expect(await count("blocks")).toBe(100);
    const row = (await pool.query("SELECT legacy_hash, pq_hash, prev_hash, raw_json FROM blocks WHERE block_number = 85")).rows[0];
    expect(row.prev_hash).toBeNull();
    expect(row.pq_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(row.raw_json).toBeNull();
  });

  it("stores statements with backslashes, tabs, newlines and non-ASCII text exactly", async () => {
    await resetChain();
    const tricky = ["a\\b", "tab\there", "line\nbreak\r\n", "∀ε>0 ∃δ>0", "\\N", "emoji 🧮", ""];
    const genesis = sealBlock({ statements: tricky, epochs: EPOCHS, timestamp: T0 });
    await ingestBlocks(pool, [genesis], { source: "http", suite });
    const { rows } = await pool.query("SELECT text FROM statements ORDER BY position");
    expect(rows.map((r) => r.text)).toEqual(tricky);
  });

  it("stores a corrupted block as INVALID, off the canonical chain, with its violations and raw payload", async () => {
    await resetChain();
    const chain = chainFrom(null, 50, 2);
    const corrupted = { ...chain[45], statements: [...chain[45].statements, "0 = 1"] };
    const s = await ingestBlocks(pool, [...chain, corrupted], { source: "import", suite });
    expect(s).toMatchObject({ stored: 51, valid: 50, invalid: 1 });
    const bad = (await pool.query("SELECT id, canonical, verdict, raw_json FROM blocks WHERE content_id = $1", [blockContentId(corrupted, suite)])).rows[0];
    expect(bad).toMatchObject({ canonical: false, verdict: "INVALID" });
    expect(bad.raw_json.statements).toContain("0 = 1");
    const codes = (await pool.query("SELECT code FROM violations WHERE block_id = $1 ORDER BY code", [bad.id])).rows.map((r) => r.code);
    expect(codes).toEqual(["LEGACY_MERKLE_ROOT_MISMATCH", "PQ_MERKLE_ROOT_MISMATCH"]);
    expect(await canonicalNumbers()).toHaveLength(50);
  });

  it("reorganises onto a longer competing branch and records the reorg; ignores a shorter one", async () => {
    await resetChain();
    const main = chainFrom(null, 60, 3);
    await ingestBlocks(pool, main, { source: "import", suite });
    const longer = chainFrom(main[54], 8, 99); // 55..62 beats 55..59
    const s = await ingestBlocks(pool, longer, { source: "http", suite });
    expect(s.reorgs).toHaveLength(1);
    expect(s.reorgs[0]).toMatchObject({ decision: "ADOPT", fork_point: 54 });
    expect(s.reorgs[0].rolled_back.map((r) => r.block_number)).toEqual([55, 56, 57, 58, 59]);
    expect(s.tip?.block_number).toBe(62);
    const canon = (await pool.query("SELECT content_id FROM blocks WHERE canonical ORDER BY block_number")).rows.map((r) => r.content_id);
    expect(canon).toEqual([...main.slice(0, 55), ...longer].map((b) => blockContentId(b, suite)));
    expect(await count("reorgs")).toBe(1);
    expect(await count("blocks", "NOT canonical")).toBe(5);

    const shorter = chainFrom(main[57], 2, 7); // 58..59, short of 62
    const k = await ingestBlocks(pool, shorter, { source: "http", suite });
    expect(k.reorgs).toHaveLength(0);
    expect(k.forkDecisions.at(-1)?.decision).toBe("KEEP");
    expect(await count("reorgs")).toBe(1);
  });

  it("refuses a malformed payload or an orphan with a message, writing nothing", async () => {
    await resetChain();
    const chain = chainFrom(null, 5, 4);
    await expect(ingestBlocks(pool, [...chain, { ...chain[4], block_number: "five" }], { source: "http", suite })).rejects.toThrow(/block 6 of 6: block_number must be a non-negative integer/);
    await expect(ingestBlocks(pool, [{ ...chain[0], pq_algorithm: 0x42 }], { source: "http", suite })).rejects.toThrow(/0x42 is not a registered hash algorithm/);
    await expect(ingestBlocks(pool, chain.slice(2), { source: "http", suite })).rejects.toMatchObject({ code: "ORPHAN_BLOCK" });
    expect(await count("blocks")).toBe(0);
    expect(await count("ingest_cursors")).toBe(0);
  });
});

describe("prepareBatch", () => {
  it("validates a chain from genesis ahead on an empty chain, and stops predicting at a block off the tip", async () => {
    const chain = chainFrom(null, 12, 7);
    const fromGenesis = await prepareBatch(chain, { epochs: EPOCHS, tip: null, suite });
    expect(fromGenesis.items.every((item) => item.validation?.verdict === "VALID")).toBe(true);
    expect(fromGenesis.items[0].prevLegacyHash).toBeNull();
    expect(fromGenesis.items[1].prevLegacyHash).toBe(fromGenesis.items[0].legacyHash);
    expect(fromGenesis.endTip?.block.block_number).toBe(11);
    // The next batch, prepared from that predicted tip, is validated ahead too.
    const next = chainFrom(chain[11], 3, 7);
    expect((await prepareBatch(next, { epochs: EPOCHS, tip: fromGenesis.endTip, suite })).items.every((i) => i.validation !== null)).toBe(true);
    // A block that does not extend the assumed tip is left to ingest, and so is everything after it in the batch.
    const gap = await prepareBatch([chain[0], chain[2], chain[3]], { epochs: EPOCHS, tip: null, suite });
    expect(gap.items.map((i) => i.validation !== null)).toEqual([true, false, false]);
    expect(gap.endTip).toBeNull();
  });
});

describe("NDJSON import", () => {
  it("ends a file of valid blocks, a corrupted block, a duplicate and a competing branch in exactly the expected state", async () => {
    await resetChain();
    const main = chainFrom(null, 90, 5);
    const corrupted = { ...main[30], merkle_root: "0x" + "ee".repeat(32) };
    const branch = chainFrom(main[84], 10, 55); // 85..94 replaces 85..89
    const lines = [...main.slice(0, 40), corrupted, main[12], ...main.slice(40), ...branch].map((b) => JSON.stringify(b));
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-import-"));
    const file = path.join(dir, "blocks.ndjson");
    await writeFile(file, lines.join("\n") + "\n\n");
    const check = await checkImportFile(pool, file);
    expect(check).toMatchObject({ blocks: 102 });
    const { job } = await startOrResumeImport(pool, check);
    const totals = await runImportJob(pool, job.id, { suite, batchSize: 17 });
    expect(totals).toEqual({ stored: 101, duplicates: 1, valid: 100, invalid: 1, reorgs: 1 });
    const canon = (await pool.query("SELECT content_id FROM blocks WHERE canonical ORDER BY block_number")).rows.map((r) => r.content_id);
    expect(canon).toEqual([...main.slice(0, 85), ...branch].map((b) => blockContentId(b, suite)));
    expect(await count("blocks")).toBe(101);
    expect(await count("blocks", "verdict = 'INVALID'")).toBe(1);
    expect(await count("violations")).toBe(1);
    expect(await count("reorgs")).toBe(1);
    const jobRow = (await pool.query("SELECT status, processed_lines FROM import_jobs WHERE id = $1", [job.id])).rows[0];
    expect(jobRow).toEqual({ status: "done", processed_lines: lines.length + 1 });
  });

  it("refuses a file with bad lines, naming each line, and writes nothing", async () => {
    await resetChain();
    const chain = chainFrom(null, 4, 6);
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-import-"));
    const file = path.join(dir, "bad.ndjson");
    await writeFile(file, [JSON.stringify(chain[0]), "{not json", JSON.stringify({ ...chain[1], timestamp: "soon" }), JSON.stringify(chain[3])].join("\n"));
    await expect(checkImportFile(pool, file)).rejects.toThrow(/bad.ndjson: 2 bad lines, nothing imported: line 2: not valid JSON.*; line 3: timestamp must be a non-negative integer/);
    const gap = path.join(dir, "gap.ndjson");
    await writeFile(gap, [chain[0], chain[1], chain[3]].map((b) => JSON.stringify(b)).join("\n"));
    await expect(checkImportFile(pool, gap)).rejects.toThrow(/line 3: block 3 has no predecessor/);
    await expect(checkImportFile(pool, path.join(dir, "missing.ndjson"))).rejects.toThrow(/file not found/);
    await expect(checkImportFile(pool, dir)).rejects.toThrow(/is a directory/);
    expect(await count("blocks")).toBe(0);
    expect(await count("import_jobs")).toBe(0);
  });
});
