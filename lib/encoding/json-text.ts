/**
 * JSON text from people and files (RFC 8259), read with limits and with errors that say where and why: "line 3,
 * column 14: expected ',' or '}' after an object member". The same code runs in the browser (the Validate page reads
 * dropped files with it) and on the server (request bodies), so both refuse the same input with the same words.
 *
 * Engines word JSON.parse errors differently and not all give a position (Node 20 often does not), so on failure a
 * small RFC 8259 scanner finds the first offending character itself. Nesting is capped: real inputs nest three
 * levels (a request, its block list, a block's statements) and a pathological "[[[[..." must not reach code that
 * recurses over values.
 */

/** Deepest nesting of arrays and objects accepted (as the CLI's input files). */
export const MAX_JSON_DEPTH = 64;

export interface JsonTextError {
  /** 1-based line and column (columns count UTF-16 code units, as editors mostly do). */
  line: number;
  column: number;
  reason: string;
}

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; error: JsonTextError };

/** 1-based line and column of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** "line 3, column 14: reason". */
export function describeJsonTextError(error: JsonTextError): string {
  return `line ${error.line}, column ${error.column}: ${error.reason}`;
}

/**
 * Where nesting first goes deeper than `maxDepth` (offset of the opening bracket), or -1. Strings are skipped, so a
 * "[" inside one does not count. Meant for text JSON.parse accepted; on other text it still terminates.
 */
export function depthExceededAt(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Parses `text` as one JSON value, nesting at most `maxDepth` levels; never throws. */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): JsonTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // RFC 8259 §8.1: a BOM may be ignored
  const shift = text.length - body.length;
  const at = (offset: number, reason: string): JsonTextResult => ({ ok: false, error: { ...lineColumnAt(text, offset + shift), reason } });
  if (body.trim() === "") return at(0, "empty: expected a JSON value");
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const found = locateJsonError(body);
    return at(found.offset, found.reason);
  }
  const deep = depthExceededAt(body, maxDepth);
  if (deep >= 0) return at(deep, `nested more than ${maxDepth} levels deep (the limit)`);
  return { ok: true, value };
}

/**
 * The offset and reason of the first RFC 8259 syntax error in `text`. For text JSON.parse refused; on valid text it
 * returns the end of the text with a generic reason (never reached in practice).
 */
export function locateJsonError(text: string): { offset: number; reason: string } {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(
      readonly offset: number,
      readonly reason: string,
    ) {}
  }
  const fail = (reason: string, offset = i): never => {
    throw new Stop(offset, reason);
  };
  const describe = (offset: number) => (offset >= n ? "the end of the text" : `${JSON.stringify(text[offset])}`);
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(i)}: expected a JSON value (did you mean ${word}?)`);
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(c === 0x0a ? "a string is not closed before the end of the line" : "a control character inside a string must be escaped");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("\\u must be followed by four hex digits");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`invalid escape ${JSON.stringify("\\" + (e ?? ""))} in a string`);
      } else i++;
    }
    fail("a string is not closed", start);
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "-") fail(`unexpected ${describe(i)}: expected a JSON value`);
    i += m![0].length;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+\-xXa-zA-Z]/.test(next)) fail(`malformed number near ${describe(i)} (JSON numbers have no leading zeros, hex or trailing dots)`);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail("unexpected end of the text: expected a JSON value");
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${describe(i)}: expected a member name in double quotes`);
        string();
        ws();
        if (text[i] !== ":") fail(`unexpected ${describe(i)}: expected ':' after a member name`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "}") fail("a trailing comma before '}' is not allowed in JSON");
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`unexpected ${describe(i)}: expected ',' or '}' after an object member`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "]") fail("a trailing comma before ']' is not allowed in JSON");
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`unexpected ${describe(i)}: expected ',' or ']' after an array element`);
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "'") fail("strings must use double quotes, not single quotes");
    return number();
  };
  try {
    value();
    ws();
    if (i < n) fail(`unexpected ${describe(i)} after the end of the JSON value (one value per text; NDJSON puts one per line)`);
    return { offset: n, reason: "not valid JSON" };
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, reason: error.reason };
    // A stack overflow on absurd nesting: report it as the nesting limit would.
    return { offset: 0, reason: `nested too deeply to read (the limit is ${MAX_JSON_DEPTH} levels)` };
  }
}
