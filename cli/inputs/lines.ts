/**
 * The line format of the CLI's list files (--leaves-file, --statements-file), documented in docs/cli.md:
 *   - a line ends at "\n" or "\r\n" (a "\r" before the "\n" is part of the terminator, never of the line);
 *   - a final terminator ends the last line; it does not start an empty one ("a\n" is one line, "a\n\n" is two);
 *   - an empty file has no lines; a file holding only "\n" has one empty line.
 * So every list, including one whose last entry is empty, has exactly one spelling with terminated lines, and a
 * file saved with or without a final newline means the same thing.
 */
import { AppError } from "../../lib/errors";

/**
 * Most entries (leaves, statements) the CLI takes from one list. Blocks hold thousands of statements; at 2^20 leaves
 * lib/consensus/merkle.ts already needs about 12 s and 1.5 GB on the project's machine, and a 64 MiB file of short
 * lines would hold over 20 million, so larger lists are refused up front instead of running out of memory.
 */
export const MAX_LIST_ENTRIES = 1 << 20;

/** Throws INVALID_INPUT when `count` entries exceed MAX_LIST_ENTRIES; `what` names the source ("leaves file x.txt"). */
export function requireListSize(count: number, what: string, entries: string): void {
  if (count > MAX_LIST_ENTRIES) {
    throw new AppError("INVALID_INPUT", `${what}: ${count} ${entries}; the limit is ${MAX_LIST_ENTRIES} (2^20)`);
  }
}

/** Splits file text into lines by the rules above. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.endsWith("\r")) lines[i] = line.slice(0, -1);
  }
  return lines;
}
