/**
 * The consensus files the CLI reads: blocks (JSON objects, docs/spec/consensus.md §4), epoch registries (JSON arrays,
 * §6) and statement lists (UTF-8 text, one statement per line).
 *
 * The line between "invalid block" (exit 1) and "input error" (exit 2) is drawn here, as issue 2 §9 asks: a file that
 * is a JSON object is a block to be judged, whatever its fields hold; a file that is absent, unreadable, not JSON or
 * not an object is no block at all. A predecessor (--prev-file) must be a well-formed block, since its hashes are what
 * the new block links to.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import type { Block } from "../../lib/consensus/block";
import { parseBlock } from "../../lib/consensus/parse-block";
import { parseEpochRegistry, type Epoch } from "../../lib/consensus/epochs";
import { requireListSize, splitLines } from "./lines";
import { decodeUtf8, readInputBytes, readInputJson, type FileArgument } from "./read-file";
import { withContext } from "./with-context";

/** A short name for the JSON type of `value` ("an array", "a string", ...). */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value === "boolean" ? "a boolean" : typeof value === "number" ? "a number" : "a string"} (${describeValue(value)})`;
}

/** Reads a file that must hold one JSON object; anything else is an input error. */
export async function readJsonObjectFile(file: FileArgument, cwd: string): Promise<Record<string, unknown>> {
  const value = await readInputJson(file, cwd);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("INVALID_INPUT", `${file.label} ${file.path}: not a JSON object (it holds ${jsonKind(value)})`);
  }
  return value as Record<string, unknown>;
}

/** Reads a block to be validated: any JSON object (its fields are judged by validateBlock, not here). */
export function readBlockFile(path: string, cwd: string): Promise<Record<string, unknown>> {
  return readJsonObjectFile({ path, label: "block file" }, cwd);
}

/** Reads a predecessor block: a JSON object whose fields are all well-formed (unknown extra fields are allowed). */
export async function readPredecessorFile(path: string, cwd: string): Promise<Block> {
  const file = { path, label: "predecessor file" };
  const parsed = parseBlock(await readJsonObjectFile(file, cwd));
  const malformed = parsed.problems.filter((p) => p.kind === "malformed");
  if (malformed.length > 0) {
    const more = malformed.length > 1 ? ` (and ${malformed.length - 1} more problem${malformed.length > 2 ? "s" : ""})` : "";
    throw new AppError("INVALID_INPUT", `${file.label} ${path} is not a well-formed block: ${malformed[0].message}${more}; check it with validate-block --file ${path}`);
  }
  return parsed.block;
}

/** Reads and validates an epoch registry; registry errors keep their code (INVALID_EPOCH, EPOCH_GAP, ...). */
export async function readEpochsFile(path: string, cwd: string): Promise<Epoch[]> {
  const file = { path, label: "epochs file" };
  const value = await readInputJson(file, cwd);
  return withContext(`${file.label} ${path}`, () => parseEpochRegistry(value));
}

/**
 * Reads a statements file: strict UTF-8, one statement per line (lines.ts), the bytes of each line kept exactly
 * (no trimming, no Unicode normalisation: the leaf is the statement's UTF-8). A leading byte order mark is refused
 * rather than guessed about, since it would otherwise become the first three bytes of statement 1.
 */
export async function readStatementsFile(path: string, cwd: string): Promise<string[]> {
  const file = { path, label: "statements file" };
  const text = decodeUtf8(await readInputBytes(file, cwd), file);
  if (text.charCodeAt(0) === 0xfeff) {
    throw new AppError("INVALID_INPUT", `${file.label} ${path}: starts with a UTF-8 byte order mark, which would become part of statement 1 (save the file without it)`);
  }
  const statements = splitLines(text);
  requireListSize(statements.length, `${file.label} ${path}`, "statements");
  return statements;
}
