/**
 * The chain the ingest stages import: a deterministic run of sealed blocks written to an NDJSON file, plus, when
 * asked, the rows the raw bulk-insert baseline writes (content ids and digests computed here, outside any timing).
 *
 * Registry: one v2-dual-required epoch with SHA3-256 from block 0 (the post-migration steady state, and the heavier
 * validation: both Merkle trees, both prev-hash links and the dual commitment for every block).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { SHA3_256_ID, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { blockContentId, type Block } from "../../lib/consensus/block";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { blockDigests } from "../../lib/consensus/validate-block";
import { generateFixedStatements } from "../../lib/devnet/statement-generator";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { createPgPool } from "../../server/db/pg-pool";
import { replaceEpochRegistry } from "../../server/chain/epoch-registry";
import type { PendingRow } from "../../server/ingest/ingest-blocks";

/** Genesis time of the bench chain (Unix seconds); blocks are 2 s apart, all in the past. */
export const BENCH_T0 = 1_760_000_000;

export const BENCH_EPOCHS: Epoch[] = [makeEpoch(0, "v2-dual-required", SHA3_256_ID, BENCH_T0)];

export interface ChainFile {
  path: string;
  bytes: number;
  blocks: number;
  statements: number;
  /** The rows of every block as ingest would store them (valid, canonical), when `keepRows` was set. */
  rows: PendingRow[] | null;
}

export interface ChainFileOptions {
  blocks: number;
  /** Statements in block `n`. */
  statementsPerBlock: (n: number) => number;
  suite: HashSuite;
  /** Keep the blocks and their digests in memory for the raw baseline (5,000 × 100 statements: tens of MB). */
  keepRows: boolean;
  onProgress?: (done: number) => void;
}

/** Seals the chain and writes it, one JSON block per line, to `<dir>/chain.ndjson`. */
export function writeChainFile(dir: string, options: ChainFileOptions): ChainFile {
  const file = path.join(dir, "chain.ndjson");
  const fd = openSync(file, "w");
  const rows: PendingRow[] | null = options.keepRows ? [] : null;
  let bytes = 0;
  let statements = 0;
  let prev: Block | null = null;
  let chunk: string[] = [];
  const flush = () => {
    const text = chunk.join("");
    bytes += Buffer.byteLength(text);
    writeSync(fd, text);
    chunk = [];
  };
  try {
    for (let n = 0; n < options.blocks; n++) {
      const block: Block = sealBlock({
        statements: generateFixedStatements(0x5eed_0000 + n, options.statementsPerBlock(n)),
        epochs: BENCH_EPOCHS,
        prev,
        timestamp: BENCH_T0 + n * 2,
        suite: options.suite,
      });
      statements += block.statements.length;
      chunk.push(JSON.stringify(block) + "\n");
      if (rows) rows.push(validRowOf(block, BENCH_EPOCHS[0], options.suite));
      prev = block;
      if (chunk.length === 1000) {
        flush();
        options.onProgress?.(n + 1);
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { path: file, bytes, blocks: options.blocks, statements, rows };
}

/** The row ingest would store for `block`, valid and canonical (what the raw insert baselines write). */
export function validRowOf(block: Block, epoch: Epoch, suite: HashSuite): PendingRow {
  const digests = blockDigests(block, epoch, suite);
  return {
    contentId: blockContentId(block, suite),
    block,
    legacyHash: digests.legacy_hash,
    pqHash: digests.pq_hash,
    canonical: true,
    validation: { verdict: "VALID", violations: [] },
    raw: null,
  };
}

/** A fresh migrated database holding the bench registry, with a pg pool on it. */
export async function freshBenchDatabase(): Promise<{ db: TestDatabase; pool: pg.Pool; close(): Promise<void> }> {
  const db = await createTestDatabase({ poolMax: 1 });
  const pool = createPgPool(db.url);
  try {
    await replaceEpochRegistry(pool, BENCH_EPOCHS);
  } catch (error) {
    await pool.end().catch(() => undefined);
    await db.drop().catch(() => undefined);
    throw error;
  }
  return {
    db,
    pool,
    close: async () => {
      await pool.end().catch(() => undefined);
      await db.drop();
    },
  };
}

/** Row counts after an import, to check that a timed run stored what it should. */
export async function storedCounts(pool: pg.Pool): Promise<{ blocks: number; canonical: number; valid: number; statements: number; violations: number }> {
  const { rows } = await pool.query<{ blocks: number; canonical: number; valid: number; statements: number; violations: number }>(
    `SELECT (SELECT count(*)::int FROM blocks) AS blocks,
            (SELECT count(*)::int FROM blocks WHERE canonical) AS canonical,
            (SELECT count(*)::int FROM blocks WHERE verdict = 'VALID') AS valid,
            (SELECT count(*)::int FROM statements) AS statements,
            (SELECT count(*)::int FROM violations) AS violations`,
  );
  return rows[0];
}
