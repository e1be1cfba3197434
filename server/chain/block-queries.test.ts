/**
 * The portal's read services against a real PostgreSQL (a fresh migrated database; DATABASE_URL's server or the
 * embedded one), seeded through the ingest engine so the rows are exactly what the worker writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool } from "../db/pg-pool";
import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { blockContentId, type Block } from "../../lib/consensus/block";
import { replaceEpochRegistry } from "./epoch-registry";
import { ingestBlocks } from "../ingest/ingest-blocks";
import {
  estimateSecondsUntil,
  findBlock,
  getBlockByContentId,
  getBlockSeries,
  getCanonicalBlock,
  getEpochsOverview,
  getLiveChainStatus,
  listBlocks,
  listRecentReorgs,
  listRecentViolations,
  type BlockPage,
} from "./block-queries";

const T0 = 1_760_000_000;
/** Legacy for blocks 0..5, dual SHA3-256 from block 6. */
const DUAL_AT = 6;
const EPOCHS: Epoch[] = [makeEpoch(0, "v1-legacy", 0, T0, null, DUAL_AT - 1), makeEpoch(DUAL_AT, "v2-dual-required", 1, T0, null)];
const OPTIONS = { expectedIntervalSeconds: 2 };

function chain(count: number, from: Block | null = null): Block[] {
  const out: Block[] = [];
  let prev = from;
  for (let i = 0; i < count; i++) {
    const n = prev ? prev.block_number + 1 : 0;
    const statements = Array.from({ length: 1 + (n % 4) }, (_, k) => `theorem ${n}.${k}: ${n} + ${k} = ${n + k}`);
    prev = sealBlock({ statements, epochs: EPOCHS, prev, timestamp: T0 + n * 2 });
    out.push(prev);
  }
  return out;
}

/** The same block with its first statement changed and its roots left as they were. */
function tampered(block: Block): Block {
  return { ...block, statements: [`${block.statements[0]} (tampered)`, ...block.statements.slice(1)] };
}

let db: TestDatabase;
let pool: pg.Pool;
let blocks: Block[];
let corrupt: Block;

async function ingest(raws: unknown[], source: "devnet" | "import" = "devnet") {
  return ingestBlocks(pool, raws, { source, suite: nobleHashSuite, now: T0 + 10_000 });
}

async function walkOlder(filter: "canonical" | "all" | "invalid", limit: number): Promise<BlockPage[]> {
  const pages = [await listBlocks(pool, { filter, limit })];
  while (pages[pages.length - 1].older) pages.push(await listBlocks(pool, { filter, limit, before: pages[pages.length - 1].older! }));
  return pages;
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("on an empty database", () => {
  it("lists no blocks, finds nothing and plots nothing", async () => {
    const page = await listBlocks(pool);
    expect(page).toMatchObject({ rows: [], newer: null, older: null, total: 0 });
    expect(await getCanonicalBlock(pool, 0)).toBeNull();
    expect(await findBlock(pool, "0")).toBeNull();
    const series = await getBlockSeries(pool);
    expect(series.from).toBeNull();
    expect(series.statements.points).toEqual([]);
    expect(await listRecentViolations(pool)).toEqual([]);
  });

  it("gives an epochs overview without epochs, tip or activation", async () => {
    const overview = await getEpochsOverview(pool, OPTIONS);
    expect(overview.epochs).toEqual([]);
    expect(overview.transitions).toEqual([]);
    expect(overview.position).toMatchObject({ tip: null, current_epoch: null, next_activation: null, progress: null, eta_seconds: null });
  });
});

describe("on a seeded chain", () => {
  beforeAll(async () => {
    await replaceEpochRegistry(pool, EPOCHS);
    blocks = chain(10);
    await ingest(blocks);
    // A corrupted copy of dual block 8 (a tampered statement under the original roots), as an import would bring it.
    corrupt = tampered(blocks[8]);
    await ingest([corrupt], "import");
  });

  describe("listBlocks", () => {
    it("lists the canonical chain newest first with the epoch of each block", async () => {
      const page = await listBlocks(pool);
      expect(page.rows.map((r) => r.block_number)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect(page.total).toBe(10);
      expect(page.rows.every((r) => r.canonical && r.verdict === "VALID")).toBe(true);
      expect(page.rows[0].epoch).toMatchObject({ rule_version: "v2-dual-required", algorithm_name: "SHA3-256" });
      expect(page.rows[9].epoch).toMatchObject({ rule_version: "v1-legacy" });
      expect(page.rows[0].pq_hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(page.rows[9].pq_hash).toBeNull();
      expect(page.newer).toBeNull();
      expect(page.older).toBeNull();
    });

    it("pages back in time with keyset cursors that neither skip nor repeat a block", async () => {
      const pages = await walkOlder("canonical", 3);
      expect(pages.map((p) => p.rows.map((r) => r.block_number))).toEqual([[9, 8, 7], [6, 5, 4], [3, 2, 1], [0]]);
      expect(pages[0].newer).toBeNull();
      expect(pages[1].newer).toEqual({ blockNumber: 6, id: pages[1].rows[0].id });
      expect(pages[3].older).toBeNull();
    });

    it("pages forward again with `after`, ending right above the cursor", async () => {
      const oldest = await listBlocks(pool, { limit: 3, before: { blockNumber: 3, id: 0 } });
      expect(oldest.rows.map((r) => r.block_number)).toEqual([2, 1, 0]);
      const newer = await listBlocks(pool, { limit: 3, after: oldest.newer! });
      expect(newer.rows.map((r) => r.block_number)).toEqual([5, 4, 3]);
      expect(newer.older).toEqual({ blockNumber: 3, id: newer.rows[2].id });
      const newest = await listBlocks(pool, { limit: 3, after: { blockNumber: 6, id: newer.rows[0].id + 1000 } });
      expect(newest.rows.map((r) => r.block_number)).toEqual([9, 8, 7]);
      expect(newest.newer).toBeNull();
    });

    it("keeps an older page the same while new blocks arrive", async () => {
      const first = await listBlocks(pool, { limit: 4 });
      const before = await listBlocks(pool, { limit: 4, before: first.older! });
      const extra = chain(2, blocks[9]);
      await ingest(extra);
      try {
        const after = await listBlocks(pool, { limit: 4, before: first.older! });
        expect(after.rows.map((r) => r.content_id)).toEqual(before.rows.map((r) => r.content_id));
      } finally {
        await pool.query("DELETE FROM blocks WHERE block_number > 9");
      }
    });

    it("shows every stored block with `all`, siblings at one height ordered by id", async () => {
      const page = await listBlocks(pool, { filter: "all" });
      expect(page.total).toBe(11);
      const at8 = page.rows.filter((r) => r.block_number === 8);
      expect(at8.map((r) => r.canonical)).toEqual([false, true]); // newest row (the import) first
      const walked = (await walkOlder("all", 2)).flatMap((p) => p.rows.map((r) => r.id));
      expect(walked).toEqual(page.rows.map((r) => r.id));
    });

    it("shows only invalid blocks with `invalid`, with their worst violation", async () => {
      const page = await listBlocks(pool, { filter: "invalid" });
      expect(page.rows).toHaveLength(1);
      expect(page.rows[0]).toMatchObject({
        block_number: 8,
        canonical: false,
        verdict: "INVALID",
        source: "import",
        content_id: blockContentId(corrupt, nobleHashSuite),
      });
      expect(page.rows[0].violation_count).toBeGreaterThanOrEqual(2);
      expect(["LEGACY_MERKLE_ROOT_MISMATCH", "PQ_MERKLE_ROOT_MISMATCH"]).toContain(page.rows[0].worst_violation);
    });
  });

  describe("getCanonicalBlock", () => {
    it("returns every field, the statements in order, no violations and the sibling at the same height", async () => {
      const detail = (await getCanonicalBlock(pool, 8))!;
      const sealed = blocks[8];
      expect(detail).toMatchObject({
        block_number: 8,
        timestamp: sealed.timestamp,
        prev_hash: sealed.prev_hash,
        merkle_root: sealed.merkle_root,
        pq_algorithm: 1,
        pq_algorithm_name: "SHA3-256",
        pq_prev_hash: sealed.pq_prev_hash,
        pq_merkle_root: sealed.pq_merkle_root,
        dual_commitment: sealed.dual_commitment,
        canonical: true,
        verdict: "VALID",
        violations: [],
        raw_json: null,
        previous_canonical: 7,
        next_canonical: 9,
        epoch: { rule_version: "v2-dual-required", start_block: DUAL_AT },
      });
      expect(detail.statements).toEqual(sealed.statements);
      expect(detail.siblings).toHaveLength(1);
      expect(detail.siblings[0]).toMatchObject({ canonical: false, verdict: "INVALID", content_id: blockContentId(corrupt, nobleHashSuite) });
    });

    it("has no neighbour below genesis or above the tip", async () => {
      expect((await getCanonicalBlock(pool, 0))!.previous_canonical).toBeNull();
      expect((await getCanonicalBlock(pool, 9))!.next_canonical).toBeNull();
    });

    it("returns null for a height with no canonical block", async () => {
      expect(await getCanonicalBlock(pool, 10)).toBeNull();
      expect(await getCanonicalBlock(pool, 2_000_000)).toBeNull();
    });
  });

  describe("getBlockByContentId", () => {
    it("returns a stored invalid block with its violations most severe first and the block as received", async () => {
      const detail = (await getBlockByContentId(pool, blockContentId(corrupt, nobleHashSuite)))!;
      expect(detail).toMatchObject({ block_number: 8, canonical: false, verdict: "INVALID", source: "import" });
      expect(detail.statements).toEqual(corrupt.statements);
      const codes = detail.violations.map((v) => v.code);
      expect(codes).toContain("LEGACY_MERKLE_ROOT_MISMATCH");
      expect(codes).toContain("PQ_MERKLE_ROOT_MISMATCH");
      const legacy = detail.violations.find((v) => v.code === "LEGACY_MERKLE_ROOT_MISMATCH")!;
      expect(legacy).toMatchObject({ severity: "CRITICAL", field: "merkle_root", actual: corrupt.merkle_root });
      expect(legacy.expected).toMatch(/^0x[0-9a-f]{64}$/);
      expect(detail.siblings.map((s) => s.canonical)).toEqual([true]);
      expect(JSON.parse(detail.raw_json!)).toMatchObject({ block_number: 8, statements: corrupt.statements });
    });

    it("returns null for an unknown content id", async () => {
      expect(await getBlockByContentId(pool, "0x" + "00".repeat(32))).toBeNull();
    });
  });

  describe("findBlock", () => {
    it("finds a canonical block by height, legacy hash, PQ hash or content id", async () => {
      const row = (await listBlocks(pool, { limit: 3 })).rows[1]; // block 8
      expect(await findBlock(pool, "8")).toEqual({ kind: "number", block_number: 8 });
      expect(await findBlock(pool, " #8 ")).toEqual({ kind: "number", block_number: 8 });
      expect(await findBlock(pool, row.legacy_hash)).toEqual({ kind: "number", block_number: 8 });
      expect(await findBlock(pool, row.pq_hash!.toUpperCase().replace("0X", ""))).toEqual({ kind: "number", block_number: 8 });
      expect(await findBlock(pool, row.content_id)).toEqual({ kind: "number", block_number: 8 });
    });

    it("leads to a non-canonical block by its content id", async () => {
      const id = blockContentId(corrupt, nobleHashSuite);
      expect(await findBlock(pool, id)).toEqual({ kind: "content_id", content_id: id, block_number: 8, canonical: false });
    });

    it("returns null for heights not stored and for text that is neither a number nor a 32-byte hash", async () => {
      expect(await findBlock(pool, "10")).toBeNull();
      expect(await findBlock(pool, "0x1234")).toBeNull();
      expect(await findBlock(pool, "block eight")).toBeNull();
      expect(await findBlock(pool, "")).toBeNull();
    });
  });

  describe("getBlockSeries", () => {
    it("plots the last N canonical blocks with statement counts and intervals from their predecessors", async () => {
      const series = await getBlockSeries(pool, 5);
      expect(series).toMatchObject({ from: 5, to: 9 });
      expect(series.statements.points).toEqual(blocks.slice(5).map((b) => ({ x: b.block_number, y: b.statements.length })));
      expect(series.interval.points.map((p) => p.x)).toEqual([5, 6, 7, 8, 9]);
      for (const p of series.interval.points) expect(p.y).toBeGreaterThanOrEqual(0);
    });

    it("leaves genesis without an interval", async () => {
      const series = await getBlockSeries(pool, 60);
      expect(series.from).toBe(0);
      expect(series.interval.points[0]).toEqual({ x: 0, y: null });
    });
  });

  describe("listRecentViolations and listRecentReorgs", () => {
    it("lists the violations of recently received blocks with their block", async () => {
      const recent = await listRecentViolations(pool, 10);
      expect(recent.length).toBeGreaterThanOrEqual(2);
      expect(recent[0]).toMatchObject({ block_number: 8, canonical: false, source: "import", severity: "CRITICAL" });
    });

    it("lists reorgs newest first", async () => {
      await pool.query(
        `INSERT INTO reorgs (fork_point_block, old_tip_block, new_tip_block, old_tip_hash, new_tip_hash, rolled_back_count, added_count, report)
         VALUES (7, 9, 10, '0xold', '0xnew', 2, 3, '{}')`,
      );
      try {
        const reorgs = await listRecentReorgs(pool);
        expect(reorgs).toHaveLength(1);
        expect(reorgs[0]).toMatchObject({ fork_point_block: 7, old_tip_block: 9, new_tip_block: 10, rolled_back_count: 2, added_count: 3 });
        expect(typeof reorgs[0].detected_at).toBe("number");
      } finally {
        await pool.query("DELETE FROM reorgs");
      }
    });
  });

  describe("getEpochsOverview", () => {
    it("pairs each epoch and transition with the canonical block at its start height", async () => {
      const overview = await getEpochsOverview(pool, OPTIONS);
      expect(overview.epochs.map((e) => [e.start_block, e.rule_version, e.first_block?.block_number ?? null])).toEqual([
        [0, "v1-legacy", 0],
        [DUAL_AT, "v2-dual-required", DUAL_AT],
      ]);
      expect(overview.transitions).toHaveLength(1);
      expect(overview.transitions[0]).toMatchObject({
        block_number: DUAL_AT,
        kind: "activation",
        from: { rule_version: "v1-legacy" },
        to: { rule_version: "v2-dual-required", algorithm_name: "SHA3-256" },
      });
      const seen = overview.transitions[0].seen!;
      expect(seen.pq_hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(overview.position).toMatchObject({ tip: 9, current_epoch: { start_block: DUAL_AT }, next_activation: null, progress: null });
    });

    it("measures the way to a scheduled activation that the chain has not reached", async () => {
      const later: Epoch[] = [makeEpoch(0, "v1-legacy", 0, T0, null, 19), makeEpoch(20, "v2-dual-required", 1, T0, null)];
      await pool.query("UPDATE epochs SET end_block = 19 WHERE start_block = 0");
      await pool.query("UPDATE epochs SET start_block = 20 WHERE start_block = $1", [DUAL_AT]);
      try {
        const overview = await getEpochsOverview(pool, OPTIONS);
        expect(overview.epochs.map((e) => e.start_block)).toEqual(later.map((e) => e.start_block));
        expect(overview.transitions[0].seen).toBeNull();
        // Tip 9 in the epoch 0..19: blocks 0..9 done of 20.
        expect(overview.position).toMatchObject({ tip: 9, blocks_remaining: 11, progress: 0.5 });
        expect(overview.position.next_activation?.block_number).toBe(20);
      } finally {
        await replaceEpochRegistry(pool, EPOCHS);
      }
    });
  });

  describe("getLiveChainStatus", () => {
    it("adds the estimated time to the next transition to the chain status", async () => {
      const status = await getLiveChainStatus(pool, OPTIONS);
      expect(status.current_block).toBe(9);
      expect(status.next_transition).toBeNull();
      expect(status.next_transition_eta_seconds).toBeNull();
    });
  });
});

describe("estimateSecondsUntil", () => {
  it("divides the blocks remaining by the rate", () => {
    expect(estimateSecondsUntil(30, 30)).toBe(60);
    expect(estimateSecondsUntil(1, 120)).toBe(1);
  });

  it("has no estimate without a rate or without a target", () => {
    expect(estimateSecondsUntil(10, 0)).toBeNull();
    expect(estimateSecondsUntil(null, 30)).toBeNull();
    expect(estimateSecondsUntil(-1, 30)).toBeNull();
  });
});
