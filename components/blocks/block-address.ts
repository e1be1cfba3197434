/**
 * The block pages' address segments: /blocks/<height> and /blocks/id/<content id>. Anything that is not one (a sign,
 * a decimal, a height above what the node stores, a broken %-escape) reads as null, which the pages answer with the
 * explorer's 404 before any query runs.
 */
import { parseTypedHeight } from "@/lib/ingest/storage-limits";

const CONTENT_ID = /^0x[0-9a-f]{64}$/;

/** A height as typed in the address: decimal digits only, 0 to MAX_STORED_BLOCK_NUMBER; null for anything else. */
export function heightFromAddress(segment: string): number | null {
  if (!/^\d+$/.test(segment)) return null;
  const typed = parseTypedHeight(segment);
  return "height" in typed ? typed.height : null;
}

/** The content id in the address, lower-cased; null when it is not one. */
export function contentIdFromAddress(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  const lower = decoded.toLowerCase();
  return CONTENT_ID.test(lower) ? lower : null;
}
