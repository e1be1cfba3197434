/**
 * Reading input files for the CLI: checked, capped, and with one-line errors that say which file and what is wrong.
 *
 * Every failure is an AppError with a code from exit-codes.ts (exit 2): FILE_NOT_FOUND, NOT_A_FILE (a directory),
 * FILE_UNREADABLE (permissions, I/O), FILE_TOO_LARGE (over MAX_INPUT_BYTES), INVALID_UTF8, INVALID_JSON. Messages name
 * the file as the user typed it and never quote more than a few characters of its content, so a file of megabytes of
 * garbage gives one short line.
 */
import type { Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { ErrorCode } from "../../lib/error-codes";
import { AppError } from "../../lib/errors";
import { concatBytes } from "../../lib/encoding/hex";

/** Largest input file accepted: far above any real block or leaf list, small enough to refuse a runaway file fast. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Deepest JSON nesting accepted. Real inputs nest two levels (a block's statement array, a registry's epochs); the
 * cap keeps pathological input ("[[[[...") from overflowing the stack in code that renders values for messages.
 */
export const MAX_JSON_DEPTH = 64;

/** A file argument: what the user typed, and what it is (for messages: "block file", "epochs file"). */
export interface FileArgument {
  path: string;
  label: string;
}

function fileError(code: ErrorCode, file: FileArgument, what: string): AppError {
  return new AppError(code, `${file.label} ${file.path}: ${what}`);
}

/**
 * Opens `file` (relative to `cwd`), refuses a directory, and runs `use` on the open handle; any system error becomes
 * an AppError naming the file, and the handle is always closed.
 */
async function withInputFile<T>(file: FileArgument, cwd: string, readOpened: (handle: FileHandle, stat: Stats, resolved: string) => Promise<T>): Promise<T> {
  if (file.path === "") throw fileError("FILE_NOT_FOUND", file, "an empty path names no file");
  const resolved = path.resolve(cwd, file.path);
  let handle: FileHandle;
  try {
    handle = await open(resolved, "r");
  } catch (error) {
    throw systemError(error, file);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw fileError("NOT_A_FILE", file, "a directory, not a file");
    return await readOpened(handle, stat, resolved);
  } catch (error) {
    throw error instanceof AppError ? error : systemError(error, file);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Reads a whole file as bytes; relative paths are resolved against `cwd`. */
export async function readInputBytes(file: FileArgument, cwd: string): Promise<Uint8Array> {
  return withInputFile(file, cwd, async (handle, stat) => {
    if (stat.isFile() && stat.size > MAX_INPUT_BYTES) throw tooLarge(file);
    // Read in chunks rather than trusting stat's size, so pipes and devices (/dev/stdin, <(...)) are capped too.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, MAX_INPUT_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw tooLarge(file);
    }
    return concatBytes(...chunks);
  });
}

/**
 * Checks that a file exists, is a regular file and can be opened, without reading it; returns its absolute path and
 * size. For inputs of any size that are read more than once or from an offset (`import --file`), so no size cap and
 * no pipes: a pipe cannot be read twice.
 */
export async function statInputFile(file: FileArgument, cwd: string): Promise<{ path: string; size: number }> {
  return withInputFile(file, cwd, async (_handle, stat, resolved) => {
    if (!stat.isFile()) throw fileError("NOT_A_FILE", file, "not a regular file (it is read twice, so a pipe or device will not do)");
    return { path: resolved, size: stat.size };
  });
}

function tooLarge(file: FileArgument): AppError {
  return fileError("FILE_TOO_LARGE", file, `larger than the ${MAX_INPUT_BYTES / (1024 * 1024)} MiB limit for input files`);
}

function systemError(error: unknown, file: FileArgument): AppError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return fileError("FILE_NOT_FOUND", file, "no such file");
  if (code === "ENOTDIR") return fileError("FILE_NOT_FOUND", file, "no such file (a part of the path is not a directory)");
  if (code === "EISDIR") return fileError("NOT_A_FILE", file, "a directory, not a file");
  if (code === "EACCES" || code === "EPERM") return fileError("FILE_UNREADABLE", file, "permission denied");
  return fileError("FILE_UNREADABLE", file, `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes bytes as UTF-8, refusing malformed sequences (a statement has exactly one byte form, so bytes that are not
 * UTF-8 cannot be a statement). A byte order mark is kept: callers decide what it means.
 */
export function decodeUtf8(bytes: Uint8Array, file: FileArgument): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw fileError("INVALID_UTF8", file, `not valid UTF-8 text (first bad byte at offset ${firstInvalidUtf8Offset(bytes)})`);
  }
}

/** Reads a file as strict UTF-8 text. */
export async function readInputText(file: FileArgument, cwd: string): Promise<string> {
  return decodeUtf8(await readInputBytes(file, cwd), file);
}

/**
 * Reads a JSON file: strict UTF-8 (a leading byte order mark is allowed, RFC 8259 §8.1), one JSON value, nesting at
 * most MAX_JSON_DEPTH levels.
 */
export async function readInputJson(file: FileArgument, cwd: string): Promise<unknown> {
  let text = await readInputText(file, cwd);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseJsonText(text, file);
}

/** Parses JSON text with the CLI's limits and a one-line error. */
export function parseJsonText(text: string, file: FileArgument): unknown {
  if (text.trim() === "") throw fileError("INVALID_JSON", file, "empty, not JSON");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes a snippet of the input; keep it short (output.ts escapes any control characters).
    const detail = error instanceof Error ? error.message : String(error);
    throw fileError("INVALID_JSON", file, `not valid JSON (${detail.length > 120 ? detail.slice(0, 117) + "..." : detail})`);
  }
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw fileError("INVALID_JSON", file, `nested ${depth} levels deep; the limit is ${MAX_JSON_DEPTH}`);
  return value;
}

/** The deepest nesting of arrays and objects in valid JSON text (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode 15 Table 3-7), or -1. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const extra = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (extra < 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or values past U+10FFFF).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (i + 1 >= bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k <= extra; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return -1;
}
