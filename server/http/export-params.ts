/**
 * Query parameters of the export routes (GET /api/v1/blocks/export, GET /api/v1/blocks/violations/export), read
 * strictly: a bad value is a 400 naming it, never a silent default.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { EXPORT_CONTENT_TYPES, exportFileName, isExportFormat, type ExportFormat } from "../../lib/export/tabular";
import { BLOCK_FILTERS, type BlockFilter } from "../chain/block-query-types";
import { DEFAULT_EXPORT_ROWS, MAX_EXPORT_ROWS } from "../export/block-exports";

function bad(message: string): never {
  throw new AppError("INVALID_INPUT", message);
}

export function exportFormat(params: URLSearchParams): ExportFormat {
  const format = params.get("format") ?? "csv";
  if (!isExportFormat(format)) bad(`format must be csv or json, got ${describeValue(format)}`);
  return format;
}

export function blockListParams(params: URLSearchParams): { filter: BlockFilter; format: ExportFormat; limit: number } {
  const filter = params.get("filter") ?? "canonical";
  if (!(BLOCK_FILTERS as readonly string[]).includes(filter)) bad(`filter must be one of ${BLOCK_FILTERS.join(", ")}, got ${describeValue(filter)}`);
  const rawLimit = params.get("limit");
  let limit = DEFAULT_EXPORT_ROWS;
  if (rawLimit !== null) {
    if (!/^\d{1,7}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_EXPORT_ROWS) bad(`limit must be an integer from 1 to ${MAX_EXPORT_ROWS}, got ${describeValue(rawLimit)}`);
    limit = Number(rawLimit);
  }
  return { filter: filter as BlockFilter, format: exportFormat(params), limit };
}

export function violationTarget(params: URLSearchParams): { content_id: string } | { block_number: number } {
  const contentId = params.get("content_id");
  const blockNumber = params.get("block_number");
  if ((contentId === null) === (blockNumber === null)) bad("give exactly one of content_id (any stored block) or block_number (the canonical block)");
  if (contentId !== null) {
    if (!/^0x[0-9a-f]{64}$/.test(contentId)) bad(`content_id must be 0x followed by 64 lowercase hex digits, got ${describeValue(contentId)}`);
    return { content_id: contentId };
  }
  if (!/^\d{1,10}$/.test(blockNumber!) || Number(blockNumber) > 2_147_483_647) bad(`block_number must be a non-negative integer, got ${describeValue(blockNumber)}`);
  return { block_number: Number(blockNumber) };
}

/** Headers of a download named `<stem>-<time>.<ext>`. */
export function downloadHeaders(stem: string, format: ExportFormat): Record<string, string> {
  return {
    "content-type": EXPORT_CONTENT_TYPES[format],
    "content-disposition": `attachment; filename="${exportFileName(stem, format)}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}
