/**
 * Reads the blocks a person pastes or drops on the Validate page (or hands to a script): one block (a JSON object),
 * a JSON array of blocks, {"blocks": [...]}, or NDJSON (one block per line). Each block keeps the line it starts on,
 * so a verdict and an error can both point back into the file.
 *
 * Refusals say which line and why: text that is not JSON (with the line and column of the first bad character), a
 * file over the size limit, nesting over the depth limit, more blocks than the limit, or a value that is not a block
 * container. The blocks themselves are not judged here: a block with a malformed field is still a block, and its
 * problems are violations (lib/consensus/validate-block.ts).
 */
import { describeValue } from "../encoding/hex";
import { describeJsonTextError, MAX_JSON_DEPTH, parseJsonText, type JsonTextError } from "../encoding/json-text";

/** Largest input accepted (as the CLI's input files): 10,000 blocks of a few hundred statements fit. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Most blocks one input may hold (the Validate page sends them in batches). */
export const MAX_INPUT_BLOCKS = 10_000;

export type BlockInputFormat = "block" | "array" | "envelope" | "ndjson";

export interface BlockInput {
  format: BlockInputFormat;
  blocks: unknown[];
  /** The 1-based line each block starts on (for a JSON document: the line of its opening brace). */
  lines: number[];
}

export interface BlockInputError {
  /** The 1-based line the problem is on, or null when it concerns the whole input (size, count). */
  line: number | null;
  message: string;
}

export type BlockInputResult = { ok: true; input: BlockInput } | { ok: false; error: BlockInputError };

export interface BlockInputLimits {
  maxBytes?: number;
  maxBlocks?: number;
  maxDepth?: number;
}

const refuse = (line: number | null, message: string): BlockInputResult => ({ ok: false, error: { line, message } });
const fromJsonError = (e: JsonTextError, prefix = ""): BlockInputResult => refuse(e.line, `${prefix}not valid JSON at ${describeJsonTextError(e)}`);

/** UTF-8 length of a string, without allocating its bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Reads `text` (see the module comment). Never throws. */
export function readBlockInput(text: string, limits: BlockInputLimits = {}): BlockInputResult {
  const maxBytes = limits.maxBytes ?? MAX_INPUT_BYTES;
  const maxBlocks = limits.maxBlocks ?? MAX_INPUT_BLOCKS;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const size = text.length > maxBytes ? text.length : utf8Length(text); // a string longer than the limit is over it in any encoding
  if (size > maxBytes) return refuse(null, `the input is ${formatBytes(size)}, larger than the ${formatBytes(maxBytes)} limit`);
  if (text.trim() === "") return refuse(null, "the input is empty: paste a block, a JSON array of blocks, or NDJSON (one block per line)");

  const whole = parseJsonText(text, maxDepth);
  if (whole.ok) return fromDocument(whole.value, text, maxBlocks);

  // Not one JSON document. When its first non-empty line is a complete JSON value on its own and more lines follow,
  // it is NDJSON: report the NDJSON reading's errors then, since "line 2: unexpected '{' after the end of the JSON
  // value" would only describe NDJSON's normal shape. Otherwise the document's own error is the useful one.
  const rawLines = text.split("\n");
  const nonEmpty = rawLines.filter((l) => l.trim() !== "");
  if (nonEmpty.length < 2 || !parseJsonText(nonEmpty[0], maxDepth).ok) return fromJsonError(whole.error);
  const blocks: unknown[] = [];
  const lines: number[] = [];
  for (let k = 0; k < rawLines.length; k++) {
    const line = rawLines[k].replace(/\r$/, "");
    if (line.trim() === "") continue;
    const parsed = parseJsonText(k === 0 ? line : line.replace(/^\ufeff/, ""), maxDepth);
    if (!parsed.ok) return refuse(k + 1, `line ${k + 1} is not valid JSON (column ${parsed.error.column}: ${parsed.error.reason}); NDJSON needs one complete block per line`);
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
      return refuse(k + 1, `line ${k + 1} is ${describeValue(parsed.value)}, not a block: each NDJSON line must be one block (a JSON object)`);
    }
    blocks.push(parsed.value);
    lines.push(k + 1);
    if (blocks.length > maxBlocks) return refuse(k + 1, `more than ${maxBlocks.toLocaleString("en-US")} blocks (line ${k + 1}); split the file`);
  }
  return { ok: true, input: { format: "ndjson", blocks, lines } };
}

function fromDocument(value: unknown, text: string, maxBlocks: number): BlockInputResult {
  let format: BlockInputFormat;
  let blocks: unknown[];
  if (Array.isArray(value)) {
    format = "array";
    blocks = value;
  } else if (typeof value === "object" && value !== null && "blocks" in value) {
    const inner = (value as { blocks: unknown }).blocks;
    if (!Array.isArray(inner)) return refuse(null, `"blocks" must be an array of blocks, got ${describeValue(inner)}`);
    format = "envelope";
    blocks = inner;
  } else if (typeof value === "object" && value !== null) {
    format = "block";
    blocks = [value];
  } else {
    return refuse(1, `the input is ${describeValue(value)}: expected a block (a JSON object), a JSON array of blocks, or NDJSON`);
  }
  if (blocks.length === 0) return refuse(null, "the input holds no blocks (an empty array)");
  if (blocks.length > maxBlocks) return refuse(null, `${blocks.length.toLocaleString("en-US")} blocks; the limit is ${maxBlocks.toLocaleString("en-US")} (split the input)`);
  return { ok: true, input: { format, blocks, lines: format === "block" ? [firstLineOf(text, 0)] : blockStartLines(text, blocks.length, format) } };
}

/** The line of the first non-space character at or after `offset`. */
function firstLineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (i >= offset && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return line;
    if (c === 0x0a) line++;
  }
  return line;
}

/**
 * The line on which each element of the block array starts: walks the text, tracking nesting outside strings, and
 * records the line of every value that starts at the array's own depth (1 for an array, 2 for {"blocks": [...]}).
 */
function blockStartLines(text: string, count: number, format: "array" | "envelope"): number[] {
  const lines: number[] = [];
  const target = format === "array" ? 1 : 2;
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectValue = false;
  let inBlocksArray = format === "array";
  for (let i = 0; i < text.length && lines.length < count; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (depth === target && inBlocksArray && expectValue) {
      lines.push(line);
      expectValue = false;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth === target && c === 0x5b && (format === "array" || /"blocks"\s*:\s*$/.test(text.slice(Math.max(0, i - 40), i)))) {
        inBlocksArray = true;
        expectValue = true;
      }
    } else if (c === 0x5d || c === 0x7d) {
      if (depth === target && c === 0x5d) inBlocksArray = format === "array";
      depth--;
    } else if (c === 0x2c && depth === target && inBlocksArray) expectValue = true;
  }
  while (lines.length < count) lines.push(lines[lines.length - 1] ?? 1);
  return lines;
}

/** "1.5 MB", "64 MiB"-style sizes for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}
