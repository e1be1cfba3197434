/**
 * The relay log (table relay_items): what this node accepted and must pass on to its peers, in order.
 *
 * Writers log inside the transaction that accepts the item (ingest for blocks, governance for decisions), so an item
 * is logged if and only if it was accepted: a crash between the two cannot lose a block or send one that rolled back.
 * The NOTIFY is delivered at COMMIT, which is what makes the sender prompt (server/relay/relay-sender.ts) without
 * polling. Nothing is logged while no peer is configured (relay_peers empty), so a node working alone writes nothing.
 */
import type pg from "pg";
import type { Block } from "../../lib/consensus/block";
import { blockFromRow, type BlockHeaderRow } from "../chain/block-rows";

/** The LISTEN/NOTIFY channel the sender waits on. */
export const RELAY_CHANNEL = "mathledger_relay";

type Queryable = Pick<pg.ClientBase, "query">;

/**
 * Logs stored blocks for the peers (in the ingest transaction). `originPeer` is the peer they came from (not sent
 * back to it), null when they arose here.
 */
export async function logRelayBlocks(client: Queryable, blocks: { contentId: string; blockNumber: number }[], originPeer: string | null): Promise<void> {
  if (blocks.length === 0) return;
  const { rowCount } = await client.query(
    `INSERT INTO relay_items (kind, content_id, block_number, origin_peer)
     SELECT 'block', c, n, $3 FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(c, n, i)
     WHERE EXISTS (SELECT 1 FROM relay_peers) ORDER BY i`,
    [blocks.map((b) => b.contentId), blocks.map((b) => b.blockNumber), originPeer],
  );
  if (rowCount) await client.query(`SELECT pg_notify('${RELAY_CHANNEL}', '')`);
}

/** Logs a governance record for the peers (in the decision's transaction). */
export async function logRelayRecord(client: Queryable, record: unknown, originPeer: string | null): Promise<void> {
  const { rowCount } = await client.query(
    `INSERT INTO relay_items (kind, record, origin_peer) SELECT 'governance', $1::jsonb, $2 WHERE EXISTS (SELECT 1 FROM relay_peers)`,
    [JSON.stringify(record), originPeer],
  );
  if (rowCount) await client.query(`SELECT pg_notify('${RELAY_CHANNEL}', '')`);
}

export interface RelayItemRow {
  seq: number;
  kind: "block" | "governance";
  content_id: string | null;
  block_number: number | null;
  record: unknown;
  origin_peer: string | null;
}

/** The next items after `cursor`, in order. */
export async function itemsAfter(db: Queryable, cursor: number, limit: number): Promise<RelayItemRow[]> {
  const { rows } = await db.query<RelayItemRow>(
    "SELECT seq, kind, content_id, block_number, record, origin_peer FROM relay_items WHERE seq > $1 ORDER BY seq LIMIT $2",
    [cursor, limit],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The stored blocks with these content ids, with their statements, in the order asked. */
export async function loadBlocksByContentId(db: Queryable, contentIds: string[]): Promise<Map<string, Block>> {
  const { rows } = await db.query<BlockHeaderRow & { id: string; content_id: string; statements: string[] | null }>(
    `SELECT b.id, b.content_id, b.block_number, b.timestamp, b.prev_hash, b.merkle_root, b.pq_algorithm, b.pq_prev_hash, b.pq_merkle_root,
            b.dual_commitment,
            (SELECT array_agg(s.text ORDER BY s.position) FROM statements s WHERE s.block_id = b.id) AS statements
     FROM blocks b WHERE b.content_id = ANY($1::text[])`,
    [contentIds],
  );
  return new Map(rows.map((r) => [r.content_id, blockFromRow(r, r.statements ?? [])]));
}

/** Canonical blocks from `from` to `to` (inclusive), with statements, in height order: for a peer that is behind. */
export async function loadCanonicalRange(db: Queryable, from: number, to: number): Promise<{ contentId: string; block: Block }[]> {
  const { rows } = await db.query<BlockHeaderRow & { id: string; content_id: string; statements: string[] | null }>(
    `SELECT b.id, b.content_id, b.block_number, b.timestamp, b.prev_hash, b.merkle_root, b.pq_algorithm, b.pq_prev_hash, b.pq_merkle_root,
            b.dual_commitment,
            (SELECT array_agg(s.text ORDER BY s.position) FROM statements s WHERE s.block_id = b.id) AS statements
     FROM blocks b WHERE b.canonical AND b.block_number BETWEEN $1 AND $2 ORDER BY b.block_number`,
    [from, to],
  );
  return rows.map((r) => ({ contentId: r.content_id, block: blockFromRow(r, r.statements ?? []) }));
}

/** Deletes the items every configured peer has passed (each peer's cursor is at or beyond them). */
export async function pruneRelayLog(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM relay_items WHERE seq <= (SELECT min(cursor) FROM relay_peers)");
  return rowCount ?? 0;
}
