/**
 * Splits the blocks of one input into POST /api/v1/validate requests that the node accepts (at most `maxBlocks`
 * blocks and `maxBytes` bytes each) and that together validate the input as one chain: the first request lets the
 * node take the stored canonical block below the first block as predecessor (its default), and every later request
 * names the last block of the request before it as its inline predecessor. When that block's header is malformed it
 * has no hash to link to, and the next request says "no predecessor", exactly as validateChain treats a malformed
 * block's successor (lib/consensus/validate-chain.ts).
 */
import { hasWellFormedHeader } from "@/lib/consensus/parse-block";
import { formatBytes, utf8Length } from "@/lib/validation/block-input";

/** Blocks per request: fewer than the node's 1,000 so progress moves visibly and a cancel waits less. */
export const BLOCKS_PER_REQUEST = 250;

export interface PlannedBatch {
  /** Indexes [start, end) of the input's blocks. */
  start: number;
  end: number;
  /** The request body, ready to send. */
  body: string;
  /** Where the first block's predecessor comes from. */
  predecessor: "node-default" | "inline" | "none";
}

export type BatchPlan = { ok: true; batches: PlannedBatch[] } | { ok: false; line: number | null; message: string };

export interface PlanOptions {
  maxBlocks?: number;
  /** The node's request size limit (MATHLEDGER_MAX_PUSH_BYTES). */
  maxBytes: number;
  /** The inline registry as JSON text (already checked to be a JSON array), or null for the node's. */
  registryJson: string | null;
  /** The 1-based line each block starts on, for messages. */
  lines: readonly number[];
}

/** Plans the requests for `blocks` (see the module comment). */
export function planBatches(blocks: readonly unknown[], options: PlanOptions): BatchPlan {
  const maxBlocks = options.maxBlocks ?? BLOCKS_PER_REQUEST;
  const texts = blocks.map((b) => JSON.stringify(b));
  const sizes = texts.map(utf8Length);
  const registryPart = options.registryJson === null ? "" : `,"registry":${options.registryJson}`;
  const registryBytes = utf8Length(registryPart);
  const batches: PlannedBatch[] = [];
  let start = 0;
  while (start < blocks.length) {
    const predecessor: PlannedBatch["predecessor"] = start === 0 ? "node-default" : hasWellFormedHeader(blocks[start - 1]) ? "inline" : "none";
    const predecessorPart =
      predecessor === "inline" ? `,"predecessor":{"block":${texts[start - 1]}}` : predecessor === "none" ? `,"predecessor":null` : "";
    // {"blocks":[ ... ] <predecessor> <registry> }
    const fixed = 11 + 1 + utf8Length(predecessorPart) + registryBytes + 1;
    let bytes = fixed;
    let end = start;
    while (end < blocks.length && end - start < maxBlocks) {
      const next = bytes + sizes[end] + (end > start ? 1 : 0);
      if (next > options.maxBytes) break;
      bytes = next;
      end++;
    }
    if (end === start) {
      const line = options.lines[start] ?? null;
      return {
        ok: false,
        line,
        message: `${line === null ? `block ${start + 1}` : `the block on line ${line}`} is ${formatBytes(sizes[start])}; with the rest of the request that is more than this node accepts in one request (${formatBytes(options.maxBytes)}, MATHLEDGER_MAX_PUSH_BYTES)`,
      };
    }
    const body = `{"blocks":[${texts.slice(start, end).join(",")}]${predecessorPart}${registryPart}}`;
    batches.push({ start, end, body, predecessor });
    start = end;
  }
  return { ok: true, batches };
}
