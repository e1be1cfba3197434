/**
 * Chain validation: validates a contiguous range of blocks, each against its predecessor and under its own epoch,
 * across any number of epoch boundaries.
 */
import type { HashSuite } from "../crypto/hash-algorithms";
import type { Block } from "./block";
import type { EpochRegistry } from "./epochs";
import { validateBlock, type BlockValidation } from "./validate-block";

export interface ChainValidation {
  verdict: "VALID" | "INVALID";
  checked: number;
  /** Results of the blocks that have at least one violation (advisory ones included), in order. */
  invalid: BlockValidation[];
  results: BlockValidation[];
}

export interface ValidateChainOptions {
  epochs: EpochRegistry;
  /** The block before the first one in `blocks`; omit when the range starts at genesis or links are to be trusted. */
  prev?: Block | null;
  suite?: HashSuite;
  /** Called after each block, e.g. to draw a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** Validates `blocks` in order (as given: sort them first). Malformed entries are reported, never thrown. */
export function validateChain(blocks: readonly unknown[], options: ValidateChainOptions): ChainValidation {
  const results: BlockValidation[] = [];
  let prev: Block | null = options.prev ?? null;
  blocks.forEach((raw, i) => {
    const result = validateBlock(raw, { epochs: options.epochs, prev, suite: options.suite });
    results.push(result);
    // The block as received, not as read: a malformed field nulled by the reader would change the hash the next
    // block is checked against. validateBlock skips the links of a block whose predecessor's header is malformed.
    prev = raw as Block;
    options.onProgress?.(i + 1, blocks.length);
  });
  const invalid = results.filter((r) => r.violations.length > 0);
  return {
    verdict: results.some((r) => r.verdict === "INVALID") ? "INVALID" : "VALID",
    checked: results.length,
    invalid,
    results,
  };
}
