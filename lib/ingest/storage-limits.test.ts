import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { heightOutOfRangeMessage, MAX_STORED_BLOCK_NUMBER, parseTypedHeight } from "./storage-limits";

describe("parseTypedHeight", () => {
  it("reads decimal heights with an optional # and surrounding spaces, leading zeros allowed", () => {
    expect(parseTypedHeight("0")).toEqual({ height: 0 });
    expect(parseTypedHeight(" #42 ")).toEqual({ height: 42 });
    expect(parseTypedHeight("007")).toEqual({ height: 7 });
    expect(parseTypedHeight("2147483647")).toEqual({ height: MAX_STORED_BLOCK_NUMBER });
    expect(parseTypedHeight("000000000002147483647")).toEqual({ height: MAX_STORED_BLOCK_NUMBER });
  });

  it("says out-of-range for any run of digits above 2^31 - 1, however long", () => {
    for (const text of ["2147483648", "9999999999", "99999999999", "1".repeat(400)]) expect(parseTypedHeight(text)).toEqual({ problem: "out-of-range" });
  });

  it("says not-a-height for signs, decimals, exponents, hex and empty text", () => {
    for (const text of ["", "#", "-1", "+1", "1.0", "1e3", "0x10", "1 2", "١٢"]) expect(parseTypedHeight(text)).toEqual({ problem: "not-a-height" });
  });

  it("agrees with BigInt on every digit string (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,30}$/), (digits) => {
        const result = parseTypedHeight(digits);
        const value = BigInt(digits);
        if (value <= BigInt(MAX_STORED_BLOCK_NUMBER)) expect(result).toEqual({ height: Number(value) });
        else expect(result).toEqual({ problem: "out-of-range" });
      }),
    );
  });
});

describe("heightOutOfRangeMessage", () => {
  it("names the range and quotes at most a short prefix of the input", () => {
    expect(heightOutOfRangeMessage("9999999999")).toBe("9999999999 is not a block height this node can hold: heights go from 0 to 2147483647");
    expect(heightOutOfRangeMessage("9".repeat(500)).length).toBeLessThan(100);
  });
});
