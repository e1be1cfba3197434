import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { describeValue, fromHex, fromUserHex, isCanonicalHex, toHex } from "./hex";

describe("toHex / fromHex", () => {
  it("round-trips any bytes through canonical 0x-lowercase hex", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      expect(fromHex(toHex(b))).toEqual(b);
    }));
  });
  it("rejects non-canonical spellings: uppercase, no prefix, odd length, wrong length", () => {
    for (const bad of ["0xAB", "ab", "0xabc", "0x0g", "0X00", " 0x00"]) expect(() => fromHex(bad), bad).toThrow(/expected 0x-prefixed lowercase hex/);
    expect(() => fromHex("0x00", 32)).toThrow(/of 32 bytes/);
    expect(isCanonicalHex("0x" + "00".repeat(32), 32)).toBe(true);
    expect(isCanonicalHex(42)).toBe(false);
  });
});

describe("fromUserHex", () => {
  it("accepts either case and an optional prefix", () => {
    expect(Array.from(fromUserHex("0xAbCd"))).toEqual([0xab, 0xcd]);
    expect(Array.from(fromUserHex("abcd"))).toEqual([0xab, 0xcd]);
    expect(fromUserHex("").length).toBe(0);
  });
  it("says what is wrong: a bad character or an odd number of digits", () => {
    expect(() => fromUserHex("abz1")).toThrow(/non-hex character "z"/);
    expect(() => fromUserHex("abc")).toThrow(/odd number of digits \(3\)/);
  });
});

describe("describeValue", () => {
  it("never returns more than 80 characters", () => {
    expect(describeValue("x".repeat(10_000)).length).toBeLessThanOrEqual(80);
    expect(describeValue(undefined)).toBe("nothing");
  });
});

describe("describeValue on hostile input", () => {
  it("does not throw on values nested far too deep to print", () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(describeValue(deep)).toBe("[a deeply nested array]");
  });
});
