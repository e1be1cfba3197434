/**
 * Read services for the portal's chain views (dashboard, block explorer, block detail, epochs): every SQL query the
 * pages need lives here, over the pg pool, and returns plain JSON-safe values (numbers, strings, null; times as Unix
 * milliseconds) so the same result travels unchanged through the tRPC server caller and over HTTP.
 *
 * Paging is keyset on (block_number, id), newest first: the chain grows while someone pages through it, and a page
 * "older than block N" stays the same page however many blocks arrive meanwhile (an offset would shift under them).
 */
import type pg from "pg";
import type { BlockHeaderRow } from "./block-rows";
import { findEpoch, listTransitions, type Epoch } from "../../lib/consensus/epochs";
import { algorithmInfo, isKnownAlgorithmId } from "../../lib/crypto/hash-algorithms";
import { SEVERITIES } from "../../lib/consensus/violations";
import { AppError } from "../../lib/errors";
import { heightOutOfRangeMessage, parseTypedHeight } from "../../lib/ingest/storage-limits";
import { createSingleFlightPerOwner } from "../../lib/async/single-flight";
import { getChainStatus } from "./chain-status";
import { loadEpochRegistry } from "./epoch-registry";
import type {
  BlockCursor,
  BlockDetail,
  BlockEpochSummary,
  BlockFilter,
  BlockListRow,
  BlockLocation,
  BlockPage,
  BlockSeries,
  EpochFirstBlock,
  EpochsOverview,
  ListBlocksInput,
  LiveChainStatus,
  RecentViolation,
  ReorgRow,
  SiblingBlock,
  TransitionRow,
  ViolationRow,
} from "./block-query-types";

import { BLOCK_PAGE_SIZE, MAX_PAGE_SIZE } from "./block-query-types";

export * from "./block-query-types";

type Queryable = pg.Pool | pg.PoolClient;

/* ---------------------------------------------------------------------------------------------------------------- */

const LIST_COLUMNS = `b.id, b.content_id, b.block_number, b.timestamp, b.legacy_hash, b.pq_hash, b.statement_count, b.canonical,
  b.verdict, b.source, b.received_at,
  (SELECT count(*)::int FROM violations v WHERE v.block_id = b.id) AS violation_count,
  (SELECT v.code FROM violations v WHERE v.block_id = b.id ORDER BY ${severityOrderSql("v.severity")}, v.code LIMIT 1) AS worst_violation`;

/** A BlockListRow as pg returns it (received_at still a Date). */
type ListQueryRow = Omit<BlockListRow, "received_at"> & { received_at: Date };

/** SQL that orders severities most severe first (the order of lib's SEVERITIES). */
export function severityOrderSql(column: string): string {
  return `array_position(ARRAY[${SEVERITIES.map((s) => `'${s}'`).join(", ")}]::text[], ${column})`;
}

/** The WHERE condition of an explorer filter over `blocks b` (shared with the block-list export). */
export function filterSql(filter: BlockFilter): string {
  switch (filter) {
    case "canonical":
      return "b.canonical";
    case "all":
      return "true";
    case "invalid":
      return "b.verdict = 'INVALID'";
  }
}

function summarizeEpoch(epoch: Epoch | undefined | null): BlockEpochSummary | null {
  if (!epoch) return null;
  return {
    start_block: epoch.start_block,
    end_block: epoch.end_block,
    rule_version: epoch.rule_version,
    algorithm_id: epoch.algorithm_id,
    algorithm_name: epoch.algorithm_name,
  };
}

function toListRow(row: ListQueryRow, epochs: readonly Epoch[]): BlockListRow {
  const blockNumber = Number(row.block_number);
  return {
    id: Number(row.id),
    content_id: row.content_id,
    block_number: blockNumber,
    timestamp: Number(row.timestamp),
    legacy_hash: row.legacy_hash,
    pq_hash: row.pq_hash,
    statement_count: row.statement_count,
    canonical: row.canonical,
    verdict: row.verdict,
    source: row.source,
    received_at: row.received_at.getTime(),
    violation_count: row.violation_count,
    worst_violation: row.worst_violation,
    epoch: summarizeEpoch(findEpoch(epochs, blockNumber)),
  };
}

const cursorOf = (row: BlockListRow): BlockCursor => ({ blockNumber: row.block_number, id: row.id });

/**
 * One page of stored blocks, newest first. Without a cursor: the newest page. `before`: the page just older than the
 * cursor; `after`: the page just newer (fetched oldest-first, then reversed, so it ends right above the cursor).
 *
 * The (block_number, id) comparison is written as `block_number <= N AND (block_number < N OR id < I)` so PostgreSQL
 * can walk the block_number index backwards and only sort the few rows sharing one height.
 */
export async function listBlocks(db: Queryable, input: ListBlocksInput = {}): Promise<BlockPage> {
  const filter = input.filter ?? "canonical";
  const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? BLOCK_PAGE_SIZE)), MAX_PAGE_SIZE);
  const where = filterSql(filter);
  const backwards = input.after !== undefined && input.before === undefined;
  const cursor = input.before ?? input.after;

  const params: unknown[] = [limit + 1];
  let keyset = "true";
  if (cursor) {
    params.push(cursor.blockNumber, cursor.id);
    keyset = backwards
      ? "b.block_number >= $2 AND (b.block_number > $2 OR b.id > $3)"
      : "b.block_number <= $2 AND (b.block_number < $2 OR b.id < $3)";
  }
  const order = backwards ? "b.block_number ASC, b.id ASC" : "b.block_number DESC, b.id DESC";
  const [result, epochs, total] = await Promise.all([
    db.query<ListQueryRow>(`SELECT ${LIST_COLUMNS} FROM blocks b WHERE ${where} AND ${keyset} ORDER BY ${order} LIMIT $1`, params),
    loadEpochRegistry(db),
    countBlocks(db, filter),
  ]);
  // One row more than the page was read: its presence says whether there is more in the direction of travel.
  const moreInDirection = result.rows.length > limit;
  const pageRows = result.rows.slice(0, limit);
  if (backwards) pageRows.reverse();
  const rows = pageRows.map((r) => toListRow(r, epochs));
  const first = rows[0];
  const last = rows[rows.length - 1];

  let newer: BlockCursor | null = null;
  let older: BlockCursor | null = null;
  if (backwards) {
    newer = moreInDirection && first ? cursorOf(first) : null;
    // The cursor row itself is older than this page, so a non-empty page always has an older one behind it.
    older = last ? cursorOf(last) : null;
  } else {
    older = moreInDirection && last ? cursorOf(last) : null;
    if (cursor) newer = first ? ((await existsBeyond(db, where, cursorOf(first), "newer")) ? cursorOf(first) : null) : cursor;
  }
  return { filter, rows, newer, older, total };
}

/** Concurrent live callers asking for the same page share one flight (lib/async/single-flight.ts). */
const coalescedPages = createSingleFlightPerOwner<BlockPage>();

/**
 * listBlocks for live callers (the tRPC query behind the dashboard and the explorer): identical requests in flight at
 * the same moment share one set of queries. Fifty dashboards polling "the 10 newest" every two seconds otherwise
 * queue 150 queries on a pool of five (issue 6 §5); nothing is kept once the flight settles, so no answer is older
 * than the flight it joined.
 */
export function listBlocksLive(pool: pg.Pool, input: ListBlocksInput = {}): Promise<BlockPage> {
  return coalescedPages(pool, JSON.stringify([input.filter ?? "canonical", input.before ?? null, input.after ?? null, input.limit ?? null]), () =>
    listBlocks(pool, input),
  );
}

async function existsBeyond(db: Queryable, where: string, cursor: BlockCursor, direction: "newer" | "older"): Promise<boolean> {
  const keyset =
    direction === "newer"
      ? "b.block_number >= $1 AND (b.block_number > $1 OR b.id > $2)"
      : "b.block_number <= $1 AND (b.block_number < $1 OR b.id < $2)";
  const { rows } = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM blocks b WHERE ${where} AND ${keyset}) AS found`, [
    cursor.blockNumber,
    cursor.id,
  ]);
  return rows[0].found;
}

/** Blocks matching a filter, from the trigger-kept totals (chain_totals): constant cost at any chain length. */
async function countBlocks(db: Queryable, filter: BlockFilter): Promise<number> {
  const column = { canonical: "canonical", all: "blocks", invalid: "invalid" }[filter];
  const { rows } = await db.query<{ n: number }>(`SELECT ${column} AS n FROM chain_totals WHERE id = 1`);
  return rows[0]?.n ?? 0;
}

/* ---------------------------------------------------------------------------------------------------------------- */

type DetailQueryRow = BlockHeaderRow & {
  id: number;
  content_id: string;
  block_number: number;
  timestamp: number;
  legacy_hash: string;
  pq_hash: string | null;
  statement_count: number;
  canonical: boolean;
  verdict: string;
  source: string;
  received_at: Date;
  raw_json: unknown;
};

const DETAIL_COLUMNS = `id, content_id, block_number, timestamp, prev_hash, merkle_root, pq_algorithm, pq_prev_hash, pq_merkle_root,
  dual_commitment, legacy_hash, pq_hash, statement_count, canonical, verdict, source, received_at, raw_json`;

/** The canonical block at height `blockNumber` with everything the detail page shows, or null when none is stored. */
export async function getCanonicalBlock(db: Queryable, blockNumber: number): Promise<BlockDetail | null> {
  const { rows } = await db.query<DetailQueryRow>(`SELECT ${DETAIL_COLUMNS} FROM blocks WHERE canonical AND block_number = $1`, [blockNumber]);
  return rows[0] ? loadDetail(db, rows[0]) : null;
}

/** Any stored block (canonical, competing branch or invalid) by its content id, or null when none is stored. */
export async function getBlockByContentId(db: Queryable, contentId: string): Promise<BlockDetail | null> {
  const { rows } = await db.query<DetailQueryRow>(`SELECT ${DETAIL_COLUMNS} FROM blocks WHERE content_id = $1`, [contentId]);
  return rows[0] ? loadDetail(db, rows[0]) : null;
}

async function loadDetail(db: Queryable, row: DetailQueryRow): Promise<BlockDetail> {
  const id = Number(row.id);
  const blockNumber = Number(row.block_number);
  const [statements, violations, siblings, neighbours, epochs] = await Promise.all([
    db.query<{ text: string }>("SELECT text FROM statements WHERE block_id = $1 ORDER BY position", [id]),
    db.query<ViolationRow>(
      `SELECT code, severity, field, expected, actual, message FROM violations WHERE block_id = $1
       ORDER BY ${severityOrderSql("severity")}, code, id`,
      [id],
    ),
    db.query<Omit<SiblingBlock, "received_at"> & { received_at: Date }>(
      `SELECT b.content_id, b.canonical, b.verdict, b.legacy_hash, b.pq_hash, b.statement_count, b.source, b.received_at,
              (SELECT count(*)::int FROM violations v WHERE v.block_id = b.id) AS violation_count
       FROM blocks b WHERE b.block_number = $1 AND b.id <> $2 ORDER BY b.canonical DESC, b.received_at, b.id`,
      [blockNumber, id],
    ),
    db.query<{ previous: number | null; next: number | null }>(
      `SELECT (SELECT block_number FROM blocks WHERE canonical AND block_number = $1 - 1) AS previous,
              (SELECT block_number FROM blocks WHERE canonical AND block_number = $1 + 1) AS next`,
      [blockNumber],
    ),
    loadEpochRegistry(db),
  ]);
  const pqAlgorithm = row.pq_algorithm;
  return {
    id,
    content_id: row.content_id,
    block_number: blockNumber,
    timestamp: Number(row.timestamp),
    prev_hash: row.prev_hash,
    merkle_root: row.merkle_root,
    pq_algorithm: pqAlgorithm,
    pq_algorithm_name: pqAlgorithm !== null && isKnownAlgorithmId(pqAlgorithm) ? algorithmInfo(pqAlgorithm).name : null,
    pq_prev_hash: row.pq_prev_hash,
    pq_merkle_root: row.pq_merkle_root,
    dual_commitment: row.dual_commitment,
    legacy_hash: row.legacy_hash,
    pq_hash: row.pq_hash,
    statement_count: row.statement_count,
    canonical: row.canonical,
    verdict: row.verdict,
    source: row.source,
    received_at: row.received_at.getTime(),
    statements: statements.rows.map((s) => s.text),
    violations: violations.rows,
    siblings: siblings.rows.map((s) => ({ ...s, received_at: s.received_at.getTime() })),
    epoch: summarizeEpoch(findEpoch(epochs, blockNumber)),
    previous_canonical: neighbours.rows[0].previous === null ? null : Number(neighbours.rows[0].previous),
    next_canonical: neighbours.rows[0].next === null ? null : Number(neighbours.rows[0].next),
    raw_json: row.raw_json === null || row.raw_json === undefined ? null : JSON.stringify(row.raw_json, null, 2),
  };
}

/**
 * Resolves what a person typed into "Go to block": a height (the canonical block there), or a 0x-prefixed 32-byte
 * hex that is a content id, a SHA-256 block hash or a PQ block hash of a stored block. Null when nothing matches.
 */
export async function findBlock(db: Queryable, query: string): Promise<BlockLocation | null> {
  const text = query.trim();
  const typed = parseTypedHeight(text);
  if ("problem" in typed && typed.problem === "out-of-range") throw new AppError("INVALID_INPUT", heightOutOfRangeMessage(text));
  if ("height" in typed) {
    const n = typed.height;
    const { rows } = await db.query<{ n: number }>("SELECT block_number AS n FROM blocks WHERE canonical AND block_number = $1", [n]);
    return rows[0] ? { kind: "number", block_number: n } : null;
  }
  const hex = text.toLowerCase().replace(/^(?!0x)/, "0x");
  if (!/^0x[0-9a-f]{64}$/.test(hex)) return null;
  const { rows } = await db.query<{ content_id: string; block_number: number; canonical: boolean }>(
    `SELECT content_id, block_number, canonical FROM blocks WHERE content_id = $1 OR legacy_hash = $1 OR pq_hash = $1
     ORDER BY canonical DESC, id LIMIT 1`,
    [hex],
  );
  const found = rows[0];
  if (!found) return null;
  return found.canonical
    ? { kind: "number", block_number: Number(found.block_number) }
    : { kind: "content_id", content_id: found.content_id, block_number: Number(found.block_number), canonical: false };
}

/* ---------------------------------------------------------------------------------------------------------------- */

/** Violations of the most recently received blocks, newest first. */
export async function listRecentViolations(db: Queryable, limit = 10): Promise<RecentViolation[]> {
  const { rows } = await db.query<Omit<RecentViolation, "received_at"> & { received_at: Date }>(
    `SELECT b.block_number, b.content_id, b.canonical, b.source, b.received_at,
            v.code, v.severity, v.field, v.expected, v.actual, v.message
     FROM violations v JOIN blocks b ON b.id = v.block_id
     ORDER BY b.received_at DESC, b.id DESC, ${severityOrderSql("v.severity")}, v.code
     LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, block_number: Number(r.block_number), received_at: r.received_at.getTime() }));
}

/** The most recent reorgs, newest first. */
export async function listRecentReorgs(db: Queryable, limit = 10): Promise<ReorgRow[]> {
  const { rows } = await db.query<Omit<ReorgRow, "detected_at"> & { detected_at: Date }>(
    `SELECT id, detected_at, fork_point_block, old_tip_block, new_tip_block, old_tip_hash, new_tip_hash, rolled_back_count, added_count
     FROM reorgs ORDER BY detected_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, detected_at: r.detected_at.getTime() }));
}

/**
 * Chart series over the last `count` canonical blocks: statements per block, and the seconds between consecutive
 * blocks as this node received them (the operator's view of production pace; imported batches arrive back to back
 * and show near-zero intervals, which is what happened).
 */
export async function getBlockSeries(db: Queryable, count = 60): Promise<BlockSeries> {
  const { rows } = await db.query<{ block_number: number; statement_count: number; received_at: Date }>(
    `SELECT block_number, statement_count, received_at FROM
       (SELECT block_number, statement_count, received_at FROM blocks WHERE canonical ORDER BY block_number DESC LIMIT $1) recent
     ORDER BY block_number`,
    [count + 1],
  );
  // One extra block is read so the first plotted block has a predecessor to measure its interval from.
  const plotted = rows.length > count ? rows.slice(1) : rows;
  const statements = plotted.map((r) => ({ x: Number(r.block_number), y: r.statement_count }));
  const interval = plotted.map((r) => {
    const i = rows.indexOf(r);
    const prev = i > 0 ? rows[i - 1] : null;
    const consecutive = prev !== null && Number(prev.block_number) === Number(r.block_number) - 1;
    return { x: Number(r.block_number), y: consecutive ? Math.round((r.received_at.getTime() - prev.received_at.getTime()) / 10) / 100 : null };
  });
  return {
    from: plotted.length ? Number(plotted[0].block_number) : null,
    to: plotted.length ? Number(plotted[plotted.length - 1].block_number) : null,
    statements: { id: "statements", label: "Statements", points: statements },
    interval: { id: "interval", label: "Seconds since previous block", points: interval },
  };
}

/* ---------------------------------------------------------------------------------------------------------------- */

/** Seconds until `blocksRemaining` more blocks at `blocksPerMinute`; null when there is no rate to go by. */
export function estimateSecondsUntil(blocksRemaining: number | null, blocksPerMinute: number): number | null {
  if (blocksRemaining === null || blocksRemaining < 0 || !(blocksPerMinute > 0)) return null;
  return Math.round((blocksRemaining / blocksPerMinute) * 60);
}

/** getChainStatus (chain-status.ts) with the estimated time to the next scheduled transition. */
export async function getLiveChainStatus(pool: pg.Pool, options: { expectedIntervalSeconds: number }): Promise<LiveChainStatus> {
  const status = await getChainStatus(pool, options);
  return {
    ...status,
    next_transition_eta_seconds: estimateSecondsUntil(status.next_transition?.blocks_remaining ?? null, status.blocks_per_minute),
  };
}

/**
 * The epoch registry with, for each epoch and transition, the canonical block at its start height once the chain has
 * reached it, and where the tip stands relative to the next scheduled activation.
 */
export async function getEpochsOverview(pool: pg.Pool, options: { expectedIntervalSeconds: number }): Promise<EpochsOverview> {
  const [epochs, status] = await Promise.all([loadEpochRegistry(pool), getChainStatus(pool, options)]);
  const starts = epochs.map((e) => e.start_block);
  const { rows } = await pool.query<Omit<EpochFirstBlock, "received_at"> & { received_at: Date }>(
    `SELECT block_number, content_id, legacy_hash, pq_hash, timestamp, received_at FROM blocks
     WHERE canonical AND block_number = ANY($1::int[])`,
    [starts],
  );
  const firstBlocks = new Map<number, EpochFirstBlock>(
    rows.map((r) => [
      Number(r.block_number),
      { ...r, block_number: Number(r.block_number), timestamp: Number(r.timestamp), received_at: r.received_at.getTime() },
    ]),
  );
  const transitions: TransitionRow[] = listTransitions(epochs).map((t) => ({
    block_number: t.block_number,
    kind: t.kind,
    from: summarizeEpoch(t.from)!,
    to: summarizeEpoch(t.to)!,
    seen: firstBlocks.get(t.block_number) ?? null,
  }));

  const tip = status.current_block;
  const current = tip === null ? (epochs[0] ?? null) : (findEpoch(epochs, tip) ?? null);
  const next = transitions.find((t) => t.block_number > (tip ?? -1)) ?? null;
  const blocksRemaining = next ? next.block_number - (tip ?? -1) : null;
  let progress: number | null = null;
  if (next) {
    // From the current epoch's first block (or genesis) to the activation block: how much of the way is done.
    const from = current?.start_block ?? 0;
    const span = next.block_number - from;
    progress = span > 0 ? Math.min(1, Math.max(0, ((tip ?? from - 1) - from + 1) / span)) : 1;
  }
  return {
    epochs: epochs.map((e) => ({ ...e, first_block: firstBlocks.get(e.start_block) ?? null })),
    transitions,
    position: {
      tip,
      current_epoch: summarizeEpoch(current),
      next_activation: next,
      blocks_remaining: blocksRemaining,
      progress,
      blocks_per_minute: status.blocks_per_minute,
      eta_seconds: estimateSecondsUntil(blocksRemaining, status.blocks_per_minute),
    },
  };
}
