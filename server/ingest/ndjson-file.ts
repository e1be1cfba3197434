/**
 * Streaming NDJSON reading with exact byte offsets, so an import can record "done up to byte N" and a resumed
 * import can seek there instead of re-reading the file. Memory stays bounded by one chunk plus one line.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { AppError } from "../../lib/errors";

export interface NdjsonLine {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** Byte offset just past this line's terminating newline (or the end of the file). */
  endOffset: number;
}

/** The longest line accepted: a block of a few thousand statements fits easily; a runaway line does not. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Yields the lines of `path` from byte `startOffset` (which must be a line start), numbering from `startLine + 1`.
 * Handles LF and CRLF; a final line without a newline is still a line.
 */
export async function* readNdjsonLines(path: string, startOffset = 0, startLine = 0): AsyncGenerator<NdjsonLine> {
  const stream = createReadStream(path, { start: startOffset, highWaterMark: 1 << 20 });
  let carry: Buffer = Buffer.alloc(0);
  let offset = startOffset;
  let number = startLine;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, from);
      if (nl < 0) break;
      const raw = buf.subarray(from, nl);
      offset += nl - from + 1;
      number++;
      yield { number, text: decodeLine(raw, number), endOffset: offset };
      from = nl + 1;
    }
    carry = Buffer.from(buf.subarray(from));
    if (carry.length > MAX_LINE_BYTES) {
      stream.destroy();
      throw new AppError("INVALID_INPUT", `line ${number + 1} is longer than ${MAX_LINE_BYTES} bytes; is this an NDJSON file (one block per line)?`);
    }
    buf = Buffer.alloc(0);
  }
  if (carry.length > 0) {
    offset += carry.length;
    number++;
    yield { number, text: decodeLine(carry, number), endOffset: offset };
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function decodeLine(raw: Buffer, number: number): string {
  const bytes = raw.length && raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AppError("INVALID_INPUT", `line ${number} is not valid UTF-8`);
  }
}

/** Checks that `path` is a readable regular file; throws AppError("INPUT_FILE") saying what is wrong. */
export async function assertReadableFile(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError("INPUT_FILE", code === "ENOENT" ? `file not found: ${path}` : `cannot read ${path}: ${code ?? (error as Error).message}`);
  }
  if (info.isDirectory()) throw new AppError("INPUT_FILE", `${path} is a directory, not a file`);
  try {
    const handle = await open(path, "r");
    await handle.close();
  } catch (error) {
    throw new AppError("INPUT_FILE", `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return info.size;
}
