/**
 * Merkle leaves from the command line: `--leaf-hex HEX` (repeatable) and `--leaves-file FILE`, one hex leaf per line
 * (lines.ts). Command-line leaves come first, in order, then the file's. Hex is read as a person types it
 * (fromUserHex: optional 0x, either case, surrounding spaces ignored); an empty value or blank line is the empty leaf.
 */
import { fromUserHex } from "../../lib/encoding/hex";
import { usageError } from "../args/parse-args";
import { requireListSize, splitLines } from "./lines";
import { readInputText } from "./read-file";
import { withContext } from "./with-context";

export interface LeafSources {
  "leaf-hex": string[];
  "leaves-file": string | undefined;
}

/** Reads every leaf given to `command`; at least one source is required (an empty file is the empty tree). */
export async function readLeaves(command: string, flags: LeafSources, cwd: string): Promise<Uint8Array[]> {
  if (flags["leaf-hex"].length === 0 && flags["leaves-file"] === undefined) {
    throw usageError(command, "give the leaves with --leaf-hex HEX (repeatable) and/or --leaves-file FILE (an empty file is the empty tree)");
  }
  const leaves = flags["leaf-hex"].map((hex, i) => withContext(`--leaf-hex #${i + 1}`, () => fromUserHex(hex)));
  if (flags["leaves-file"] !== undefined) {
    const file = { path: flags["leaves-file"], label: "leaves file" };
    const lines = splitLines(await readInputText(file, cwd));
    requireListSize(leaves.length + lines.length, `${file.label} ${file.path}`, "leaves");
    lines.forEach((line, i) => leaves.push(withContext(`${file.label} ${file.path} line ${i + 1}`, () => fromUserHex(line))));
  }
  return leaves;
}

/** The leaf flags as merkle-root and merkle-proof declare them. */
export const LEAF_FLAGS = {
  "leaf-hex": {
    kind: "string",
    value: "HEX",
    repeatable: true,
    description: 'one leaf as hex (repeatable; these come before the file\'s leaves; "" is the empty leaf)',
  },
  "leaves-file": {
    kind: "string",
    value: "FILE",
    description: "a file with one hex leaf per line (a blank line is the empty leaf; an empty file is the empty tree)",
  },
} as const;
