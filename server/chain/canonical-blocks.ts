/**
 * Canonical blocks read back as the consensus core's Block values, statements included, so they can be judged again
 * by lib/ (the CLI's `validate-block --block-number`, `verify-dual-commitment` and `verify-chain`).
 *
 * Every read is two queries whatever its size: one for the headers, one for all their statements in (block,
 * position) order through the statements primary key. A page of 1,000 blocks is two round trips, not 1,001.
 * The block detail the web pages show (violations, siblings, neighbours) is a different read: block-queries.ts.
 */
import type pg from "pg";
import type { Block } from "../../lib/consensus/block";
import { blockFromRow, type BlockHeaderRow } from "./block-rows";

type Queryable = pg.Pool | pg.PoolClient;

/** Blocks per page of `canonicalBlockPages` unless the caller says otherwise. */
export const CANONICAL_PAGE_SIZE = 1000;

const HEADER_COLUMNS = "id, block_number, timestamp, prev_hash, merkle_root, pq_algorithm, pq_prev_hash, pq_merkle_root, dual_commitment";

type HeaderRow = BlockHeaderRow & { id: number | string };

/** The canonical block at height `blockNumber` with its statements in position order, or null when none is stored. */
export async function loadCanonicalBlock(db: Queryable, blockNumber: number): Promise<Block | null> {
  const { rows } = await db.query<HeaderRow>(`SELECT ${HEADER_COLUMNS} FROM blocks WHERE canonical AND block_number = $1`, [blockNumber]);
  const [block] = await withStatements(db, rows);
  return block ?? null;
}

/**
 * Up to `limit` canonical blocks with heights in [from, to], in height order, with their statements. Heights that
 * hold no canonical block are simply absent from the result (callers that must notice gaps compare numbers).
 */
export async function loadCanonicalBlocks(db: Queryable, from: number, to: number, limit = CANONICAL_PAGE_SIZE): Promise<Block[]> {
  const { rows } = await db.query<HeaderRow>(
    `SELECT ${HEADER_COLUMNS} FROM blocks WHERE canonical AND block_number BETWEEN $1 AND $2 ORDER BY block_number LIMIT $3`,
    [from, to, limit],
  );
  return withStatements(db, rows);
}

/**
 * The canonical blocks with heights in [from, to], page by page (keyset on the height, so a gap costs nothing). The
 * next page is already being read while the caller works on the current one, which keeps PostgreSQL and the
 * validating process busy at the same time. Stops after the last page; an empty range yields nothing.
 */
export async function* canonicalBlockPages(db: Queryable, from: number, to: number, pageSize = CANONICAL_PAGE_SIZE): AsyncGenerator<Block[]> {
  const read = (start: number) => {
    const page = loadCanonicalBlocks(db, start, to, pageSize);
    page.catch(() => undefined); // rethrown by the await below; never an unhandled rejection when the caller stops early
    return page;
  };
  let next: Promise<Block[]> | null = from <= to ? read(from) : null;
  while (next) {
    const page = await next;
    if (page.length === 0) return;
    const last = page[page.length - 1].block_number;
    next = page.length === pageSize && last < to ? read(last + 1) : null;
    yield page;
  }
}

async function withStatements(db: Queryable, rows: HeaderRow[]): Promise<Block[]> {
  if (rows.length === 0) return [];
  const { rows: statements } = await db.query<{ block_id: number | string; text: string }>(
    "SELECT block_id, text FROM statements WHERE block_id = ANY($1::bigint[]) ORDER BY block_id, position",
    [rows.map((r) => String(r.id))],
  );
  const byBlock = new Map<string, string[]>();
  for (const s of statements) {
    const key = String(s.block_id);
    let list = byBlock.get(key);
    if (!list) byBlock.set(key, (list = []));
    list.push(s.text);
  }
  return rows.map((r) => blockFromRow(r, byBlock.get(String(r.id)) ?? []));
}
