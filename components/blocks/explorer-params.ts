/**
 * The block explorer's address: /blocks?filter=all&before=120_345 (or after=...). A cursor is `<height>` on the
 * canonical chain, where one height holds one block, and `<height>_<row id>` in the views that can hold several
 * blocks per height. Bad values are reported (and ignored) rather than silently guessed at.
 */
import { MAX_ROW_ID, MAX_STORED_BLOCK_NUMBER } from "@/lib/ingest/storage-limits";
import type { BlockCursor, BlockFilter } from "@/server/chain/block-query-types";

export const FILTER_LABELS: Record<BlockFilter, string> = {
  canonical: "Canonical chain",
  all: "All stored blocks",
  invalid: "Invalid only",
};

/** Above every row id: "after height N" on the canonical chain means heights greater than N. */
const MAX_ID = MAX_ROW_ID;

export interface ExplorerParams {
  filter: BlockFilter;
  before?: BlockCursor;
  after?: BlockCursor;
  query?: string;
  /** What was wrong with the address, for a notice on the page. */
  problems: string[];
}

type SearchParams = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseCursor(text: string, direction: "before" | "after"): BlockCursor | null {
  const m = /^(\d{1,10})(?:_(\d{1,16}))?$/.exec(text);
  if (!m) return null;
  const blockNumber = Number(m[1]);
  if (blockNumber > MAX_STORED_BLOCK_NUMBER) return null;
  // A bare height pages around the whole height: before → below it, after → above it.
  const id = m[2] !== undefined ? Number(m[2]) : direction === "before" ? 0 : MAX_ID;
  if (id > MAX_ROW_ID) return null;
  return { blockNumber, id };
}

export function parseExplorerParams(params: SearchParams): ExplorerParams {
  const problems: string[] = [];
  const rawFilter = single(params.filter);
  let filter: BlockFilter = "canonical";
  if (rawFilter !== undefined) {
    if (rawFilter in FILTER_LABELS) filter = rawFilter as BlockFilter;
    else problems.push(`Unknown filter "${rawFilter.slice(0, 40)}"; showing the canonical chain.`);
  }
  const result: ExplorerParams = { filter, problems };
  for (const direction of ["before", "after"] as const) {
    const raw = single(params[direction]);
    if (raw === undefined || raw === "") continue;
    const cursor = parseCursor(raw, direction);
    if (cursor) result[direction] = cursor;
    else problems.push(`"${raw.slice(0, 40)}" is not a block position (expected a height such as 120); showing the newest blocks.`);
  }
  if (result.before && result.after) delete result.after;
  const query = single(params.q)?.trim();
  if (query) result.query = query.slice(0, 200);
  return result;
}

/** The explorer address for a filter and an optional cursor. */
export function explorerHref(filter: BlockFilter, cursor?: { before?: BlockCursor | null; after?: BlockCursor | null }): string {
  const search = new URLSearchParams();
  if (filter !== "canonical") search.set("filter", filter);
  const format = (c: BlockCursor) => (filter === "canonical" ? String(c.blockNumber) : `${c.blockNumber}_${c.id}`);
  if (cursor?.before) search.set("before", format(cursor.before));
  else if (cursor?.after) search.set("after", format(cursor.after));
  const text = search.toString();
  return text ? `/blocks?${text}` : "/blocks";
}
