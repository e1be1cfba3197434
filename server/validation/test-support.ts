/**
 * Test support for validation on demand: a fresh database holding the fixture chain (lib/consensus/
 * violation-fixtures.ts) under its registry, and a census of every table, to prove a validation writes nothing.
 */
import type pg from "pg";

import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { EPOCHS_ALL_VERSIONS } from "../../lib/consensus/test-chains";
import { FIXTURE_CHAIN, type ViolationCase } from "../../lib/consensus/violation-fixtures";
import { replaceEpochRegistry } from "../chain/epoch-registry";
import { ingestBlocks } from "../ingest/ingest-blocks";

/** Stores the 25-block fixture chain (all valid, canonical) under EPOCHS_ALL_VERSIONS. */
export async function seedFixtureChain(pool: pg.Pool): Promise<void> {
  await replaceEpochRegistry(pool, [...EPOCHS_ALL_VERSIONS]);
  const summary = await ingestBlocks(pool, FIXTURE_CHAIN, { source: "import", suite: nobleHashSuite });
  if (summary.valid !== FIXTURE_CHAIN.length) throw new Error(`fixture chain: ${summary.valid} of ${FIXTURE_CHAIN.length} valid`);
}

const TABLES = ["blocks", "statements", "violations", "epochs", "reorgs", "ingest_cursors", "import_jobs"] as const;

/** Row count of every table validation could conceivably touch. */
export async function tableCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await pool.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n);
  return out;
}

/** Runs `fn` with block 0's stored epoch naming a rule version this node does not know (a newer node's registry). */
export async function withUnknownRuleVersion<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  await pool.query("UPDATE epochs SET rule_version = 'v4-lattice' WHERE start_block = 0");
  try {
    return await fn();
  } finally {
    await pool.query("UPDATE epochs SET rule_version = 'v1-legacy' WHERE start_block = 0");
  }
}

/**
 * The request that makes a case's violation appear: the stored predecessor (the default, or named when the block's
 * own number points elsewhere) and the stored registry unless the case needs another (then inline).
 */
export function requestFor(c: ViolationCase): { blocks: unknown[]; predecessor?: { block_number: number }; registry?: unknown[] } {
  const ownNumber = (c.block as { block_number?: unknown }).block_number;
  const predecessor = c.prev && ownNumber !== c.prev.block_number + 1 ? { predecessor: { block_number: c.prev.block_number } } : {};
  return { blocks: [c.block], ...predecessor, ...(c.epochs === EPOCHS_ALL_VERSIONS ? {} : { registry: c.epochs as unknown[] }) };
}
