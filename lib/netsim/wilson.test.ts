import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson";

describe("wilsonInterval", () => {
  it("matches published values (Newcombe 1998, table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605)", () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(15, 148);
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
  });

  it("stays inside [0, 1] at the edges, where the normal interval would not (0/10 → 0–0.2775)", () => {
    const zero = wilsonInterval(0, 10);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    const all = wilsonInterval(10, 10);
    expect(all.high).toBeCloseTo(1, 12);
    expect(all.low).toBeCloseTo(0.7225, 4);
  });

  it("contains the estimate and narrows as trials grow", () => {
    const small = wilsonInterval(2, 100);
    const large = wilsonInterval(20, 1000);
    for (const i of [small, large]) expect(i.low <= i.estimate && i.estimate <= i.high).toBe(true);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it("refuses impossible counts", () => {
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });
});
