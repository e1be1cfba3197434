/**
 * Downloads of stored data as CSV or JSON (lib/export/tabular.ts, a header line naming the columns): the block list
 * under an explorer filter, and one block's violations. The list is streamed page by page (keyset on block_number,
 * id, newest first, as the explorer pages), so an export of 100,000 blocks never sits whole in memory.
 */
import type pg from "pg";

import { AppError } from "../../lib/errors";
import { findEpoch, type Epoch } from "../../lib/consensus/epochs";
import { tableWriter, type Cell, type ExportFormat } from "../../lib/export/tabular";
import { filterSql, severityOrderSql } from "../chain/block-queries";
import type { BlockFilter } from "../chain/block-query-types";
import { loadEpochRegistry } from "../chain/epoch-registry";

/** Rows of a block-list export unless the caller asks for fewer or more. */
export const DEFAULT_EXPORT_ROWS = 10_000;
/** The most rows one block-list export may hold. */
export const MAX_EXPORT_ROWS = 100_000;
const PAGE_SIZE = 1000;

export const BLOCK_EXPORT_COLUMNS = [
  "block_number",
  "content_id",
  "canonical",
  "verdict",
  "violation_count",
  "worst_violation",
  "timestamp",
  "sealed_at_utc",
  "statement_count",
  "rule_version",
  "algorithm",
  "legacy_hash",
  "pq_hash",
  "source",
  "received_at_utc",
] as const;

export const VIOLATION_EXPORT_COLUMNS = ["block_number", "content_id", "canonical", "code", "severity", "field", "expected", "actual", "message"] as const;

interface ExportRow {
  id: number;
  block_number: number;
  content_id: string;
  canonical: boolean;
  verdict: string;
  violation_count: number;
  worst_violation: string | null;
  timestamp: number;
  statement_count: number;
  legacy_hash: string;
  pq_hash: string | null;
  source: string;
  received_at: Date;
}

function blockCells(r: ExportRow, epochs: readonly Epoch[]): Cell[] {
  const blockNumber = Number(r.block_number);
  const epoch = findEpoch(epochs, blockNumber);
  const ts = Number(r.timestamp);
  return [
    blockNumber,
    r.content_id,
    r.canonical,
    r.verdict,
    r.violation_count,
    r.worst_violation,
    ts,
    Number.isFinite(ts * 1000) && ts * 1000 <= 8.64e15 ? new Date(ts * 1000).toISOString() : null,
    r.statement_count,
    epoch?.rule_version ?? null,
    epoch?.algorithm_name ?? null,
    r.legacy_hash,
    r.pq_hash,
    r.source,
    r.received_at.toISOString(),
  ];
}

/**
 * The block list under `filter`, newest first, at most `limit` rows, as a stream of text chunks (header first). The
 * first page is read before the stream is returned, so a database error becomes an error response, not a cut file.
 */
export async function exportBlockList(
  pool: pg.Pool,
  options: { filter: BlockFilter; format: ExportFormat; limit: number; pageSize?: number },
): Promise<ReadableStream<Uint8Array>> {
  const PAGE = options.pageSize ?? PAGE_SIZE;
  const where = filterSql(options.filter);
  const epochs = await loadEpochRegistry(pool);
  const readPage = async (cursor: { n: number; id: number } | null, size: number) => {
    const keyset = cursor ? "AND b.block_number <= $2 AND (b.block_number < $2 OR b.id < $3)" : "";
    const { rows } = await pool.query<ExportRow>(
      `SELECT b.id, b.block_number, b.content_id, b.canonical, b.verdict, b.timestamp, b.statement_count, b.legacy_hash, b.pq_hash,
              b.source, b.received_at,
              (SELECT count(*)::int FROM violations v WHERE v.block_id = b.id) AS violation_count,
              (SELECT v.code FROM violations v WHERE v.block_id = b.id ORDER BY ${severityOrderSql("v.severity")}, v.code LIMIT 1) AS worst_violation
       FROM blocks b WHERE ${where} ${keyset} ORDER BY b.block_number DESC, b.id DESC LIMIT $1`,
      cursor ? [size, cursor.n, cursor.id] : [size],
    );
    return rows;
  };
  const writer = tableWriter(options.format, BLOCK_EXPORT_COLUMNS);
  const encoder = new TextEncoder();
  let remaining = options.limit;
  let page: ExportRow[] | null = await readPage(null, Math.min(PAGE, remaining));
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let text = started ? "" : writer.start();
        started = true;
        if (page === null) {
          controller.enqueue(encoder.encode(writer.end()));
          controller.close();
          return;
        }
        for (const r of page) text += writer.row(blockCells(r, epochs));
        remaining -= page.length;
        const last = page[page.length - 1];
        page = page.length === PAGE && remaining > 0 && last ? await readPage({ n: Number(last.block_number), id: Number(last.id) }, Math.min(PAGE, remaining)) : null;
        if (page !== null && page.length === 0) page = null;
        controller.enqueue(encoder.encode(text));
      } catch (error) {
        controller.error(error);
      }
    },
  });
}

/** One stored block's violations, most severe first; AppError NOT_FOUND when no such block is stored. */
export async function exportBlockViolations(
  pool: pg.Pool,
  target: { content_id: string } | { block_number: number },
  format: ExportFormat,
): Promise<{ body: string; blockNumber: number; contentId: string }> {
  const { rows: found } = await pool.query<{ id: number; block_number: number; content_id: string; canonical: boolean }>(
    "content_id" in target
      ? "SELECT id, block_number, content_id, canonical FROM blocks WHERE content_id = $1"
      : "SELECT id, block_number, content_id, canonical FROM blocks WHERE canonical AND block_number = $1",
    ["content_id" in target ? target.content_id : target.block_number],
  );
  const block = found[0];
  if (!block) {
    throw new AppError("NOT_FOUND", "content_id" in target ? `no stored block has content id ${target.content_id}` : `no canonical block ${target.block_number} is stored`);
  }
  const { rows } = await pool.query<{ code: string; severity: string; field: string | null; expected: string | null; actual: string | null; message: string }>(
    `SELECT code, severity, field, expected, actual, message FROM violations WHERE block_id = $1 ORDER BY ${severityOrderSql("severity")}, code, id`,
    [block.id],
  );
  const writer = tableWriter(format, VIOLATION_EXPORT_COLUMNS);
  let body = writer.start();
  for (const v of rows) body += writer.row([Number(block.block_number), block.content_id, block.canonical, v.code, v.severity, v.field, v.expected, v.actual, v.message]);
  return { body: body + writer.end(), blockNumber: Number(block.block_number), contentId: block.content_id };
}
