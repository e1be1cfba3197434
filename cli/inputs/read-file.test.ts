import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../lib/errors";
import { decodeUtf8, firstInvalidUtf8Offset, jsonDepth, MAX_JSON_DEPTH, parseJsonText, readInputBytes, readInputJson } from "./read-file";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mathledger-read-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("readInputBytes", () => {
  it("reads a file relative to the given directory", async () => {
    await writeFile(path.join(dir, "x.bin"), Uint8Array.of(1, 2, 3));
    expect(await readInputBytes({ path: "x.bin", label: "test file" }, dir)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it.each([
    ["absent.bin", "FILE_NOT_FOUND", "test file absent.bin: no such file"],
    [".", "NOT_A_FILE", "test file .: a directory, not a file"],
    ["", "FILE_NOT_FOUND", "test file : an empty path names no file"],
    ["x.bin/inside", "FILE_NOT_FOUND", "test file x.bin/inside: no such file (a part of the path is not a directory)"],
  ])("refuses %j with %s", async (name, code, message) => {
    expect(await errorOf(readInputBytes({ path: name, label: "test file" }, dir))).toEqual({ code, message });
  });
});

describe("decodeUtf8", () => {
  it("refuses bytes that are not UTF-8, naming the offset of the first bad byte", () => {
    expect(() => decodeUtf8(Uint8Array.of(0x61, 0x62, 0xc3, 0x28), { path: "f", label: "statements file" })).toThrow(
      "statements file f: not valid UTF-8 text (first bad byte at offset 2)",
    );
  });
});

describe("firstInvalidUtf8Offset", () => {
  it("agrees with the platform's strict decoder on arbitrary bytes and on valid text", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    const valid = (bytes: Uint8Array) => {
      try {
        strict.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.string({ unit: "binary" }).map((s) => new TextEncoder().encode(s))), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        expect(offset === -1).toBe(valid(bytes));
        if (offset >= 0) expect(valid(bytes.subarray(0, offset))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("finds surrogates, overlongs and truncated sequences", () => {
    expect(firstInvalidUtf8Offset(Uint8Array.of(0x61, 0xed, 0xa0, 0x80))).toBe(1); // U+D800
    expect(firstInvalidUtf8Offset(Uint8Array.of(0xc0, 0x80))).toBe(0); // overlong NUL
    expect(firstInvalidUtf8Offset(Uint8Array.of(0x61, 0x62, 0xe2, 0x88))).toBe(2); // cut-off "∀"
  });
});

describe("jsonDepth", () => {
  it("counts nesting of arrays and objects, ignoring brackets inside strings", () => {
    expect(jsonDepth('"[[["')).toBe(0);
    expect(jsonDepth('{"a": [1, {"b": "]\\"[["}]}')).toBe(3);
  });
});

describe("parseJsonText", () => {
  const file = { path: "f.json", label: "block file" };
  it("refuses empty text, broken JSON and nesting past the limit, in one line", () => {
    expect(() => parseJsonText("  \n", file)).toThrow("block file f.json: empty, not JSON");
    expect(() => parseJsonText('{"a":', file)).toThrow(/^block file f\.json: not valid JSON \(/);
    const deep = "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1);
    expect(() => parseJsonText(deep, file)).toThrow(`block file f.json: nested ${MAX_JSON_DEPTH + 1} levels deep; the limit is ${MAX_JSON_DEPTH}`);
  });
});

describe("readInputJson", () => {
  it("accepts a leading byte order mark", async () => {
    await writeFile(path.join(dir, "bom.json"), "\ufeff[1]");
    expect(await readInputJson({ path: "bom.json", label: "f" }, dir)).toEqual([1]);
  });
});
