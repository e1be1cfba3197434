import { describe, expect, it } from "vitest";
import { readBlockInput, utf8Length } from "./block-input";

const ok = (text: string, limits = {}) => {
  const r = readBlockInput(text, limits);
  if (!r.ok) throw new Error(r.error.message);
  return r.input;
};
const err = (text: string, limits = {}) => {
  const r = readBlockInput(text, limits);
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
};

describe("readBlockInput", () => {
  it("reads one block, an array, an envelope and NDJSON, with the line each block starts on", () => {
    expect(ok('\n  {"block_number": 1}')).toEqual({ format: "block", blocks: [{ block_number: 1 }], lines: [2] });
    expect(ok('[\n  {"block_number": 1},\n  {"block_number": 2,\n "x": [1]}\n]')).toMatchObject({ format: "array", lines: [2, 3] });
    expect(ok('{"blocks": [\n{"a": "[,"},\n\n{"b": 2}]}')).toMatchObject({ format: "envelope", blocks: [{ a: "[," }, { b: 2 }], lines: [2, 4] });
    expect(ok('{"block_number": 1}\n\n{"block_number": 2}\r\n')).toEqual({ format: "ndjson", blocks: [{ block_number: 1 }, { block_number: 2 }], lines: [1, 3] });
  });

  it("keeps blocks with malformed fields (they are judged, not refused)", () => {
    expect(ok('[{"block_number": "x"}, 7]').blocks).toEqual([{ block_number: "x" }, 7]);
  });

  it("says which line of an NDJSON file is not JSON or not a block, and why", () => {
    expect(err('{"a": 1}\n{"b": 2\n{"c": 3}')).toEqual({ line: 2, message: expect.stringMatching(/^line 2 is not valid JSON \(column 8: .*expected ',' or '\}'/) });
    expect(err('{"a": 1}\n[1]')).toEqual({ line: 2, message: expect.stringMatching(/^line 2 is \[1\], not a block/) });
  });

  it("refuses a single document that is not JSON with its line and column", () => {
    expect(err('[\n {"a": 1},\n {"b": }\n]')).toEqual({ line: 3, message: expect.stringMatching(/^not valid JSON at line 3, column 8/) });
  });

  it("refuses input over the size, block-count or depth limit, and non-containers", () => {
    expect(err("[" + "{},".repeat(10) + "{}]", { maxBlocks: 10 }).message).toMatch(/11 blocks; the limit is 10/);
    expect(err('{"a":1}\n'.repeat(12), { maxBlocks: 10 })).toMatchObject({ line: 11 });
    expect(err('{"a": "' + "x".repeat(2000) + '"}', { maxBytes: 1024 }).message).toMatch(/larger than the 1 KiB limit/);
    expect(err('{"a":' + "[".repeat(70) + "]".repeat(70) + "}").message).toMatch(/nested more than 64 levels/);
    expect(err("42").message).toMatch(/expected a block/);
    expect(err("[]").message).toMatch(/no blocks/);
    expect(err("  ").message).toMatch(/empty/);
    expect(err('{"blocks": 3}').message).toMatch(/"blocks" must be an array/);
  });
});

describe("utf8Length", () => {
  it("matches TextEncoder", () => {
    for (const s of ["", "abc", "∀ n ∈ ℕ", "😀x", "é"]) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});
