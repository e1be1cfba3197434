import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeLeaves, isWellFormedText } from "./block";

const utf8 = new TextEncoder();

describe("encodeLeaves", () => {
  it("gives each statement's exact UTF-8 bytes, with the 0x00 prefix, as views and as one packed buffer", () => {
    const statement = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 30 }).map((list) => list.filter(isWellFormedText)), (statements) => {
        const leaves = encodeLeaves(statements);
        const { bytes, offsets } = leaves.packed;
        expect(offsets.length).toBe(statements.length + 1);
        statements.forEach((s, i) => {
          const expected = utf8.encode(s);
          expect(leaves.data[i]).toEqual(expected);
          expect(leaves.prefixed[i]).toEqual(Uint8Array.from([0, ...expected]));
          expect(bytes.subarray(offsets[i], offsets[i + 1])).toEqual(Uint8Array.from([0, ...expected]));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("handles ASCII turning into non-ASCII mid-statement, surrogate pairs, U+0000 and lone surrogates as TextEncoder does", () => {
    const statements = ["a+b=c", "x ∈ ℝ → x² ≥ 0", "😀 emoji", "nul\u0000inside", "", "café", "\u07ff\u0800\uffff", "lone \ud800 x", "end \udc00", "\ud83d"];
    const leaves = encodeLeaves(statements);
    statements.forEach((s, i) => expect(leaves.data[i]).toEqual(utf8.encode(s)));
  });
});
