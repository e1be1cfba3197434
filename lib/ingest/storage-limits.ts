/**
 * What this node can store and look up, beyond what consensus allows.
 *
 * Consensus accepts any block number up to 2^53 − 1 (docs/spec/consensus.md §1), but the node keeps heights in
 * PostgreSQL `integer` columns (blocks.block_number, epochs.start_block, reorgs.*_block). Every place a height comes
 * from outside (the search box, an address, a tRPC input, a CLI flag, a pushed or imported block) checks it against
 * this bound first, so an out-of-range value is a clear 4xx / exit 2 rather than PostgreSQL's "integer out of range"
 * surfacing as a 500.
 */

/** The largest block height the node stores: PostgreSQL's `integer` maximum, 2^31 − 1. */
export const MAX_STORED_BLOCK_NUMBER = 2_147_483_647;

/** The largest row id a cursor may name: ids are `bigint`, and JavaScript numbers are exact up to 2^53 − 1. */
export const MAX_ROW_ID = Number.MAX_SAFE_INTEGER;

/** Why a typed height was not read, for a message. */
export type HeightProblem = "not-a-height" | "out-of-range";

/**
 * Reads a height as a person types it (decimal digits, an optional leading "#", surrounding spaces ignored), or says
 * why not. Leading zeros are allowed ("007" is 7); signs, decimals and exponents are not heights.
 */
export function parseTypedHeight(text: string): { height: number } | { problem: HeightProblem } {
  const match = /^#?(\d+)$/.exec(text.trim());
  if (!match) return { problem: "not-a-height" };
  const digits = match[1].replace(/^0+(?=\d)/, "");
  // Compared as text first so that a thousand digits never become Infinity or lose precision.
  if (digits.length > 10 || Number(digits) > MAX_STORED_BLOCK_NUMBER) return { problem: "out-of-range" };
  return { height: Number(digits) };
}

/** The message for a height above MAX_STORED_BLOCK_NUMBER, quoting at most a few characters of it. */
export function heightOutOfRangeMessage(text: string): string {
  const shown = text.length > 24 ? `${text.slice(0, 20)}…` : text;
  return `${shown} is not a block height this node can hold: heights go from 0 to ${MAX_STORED_BLOCK_NUMBER}`;
}
