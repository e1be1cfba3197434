import { describe, expect, it } from "vitest";
import {
  mean,
  median,
  medianAbsoluteDeviation,
  overheadPercent,
  percentile,
  quantile,
  quantileSorted,
  ratio,
  standardDeviation,
  summarize,
  throughputMBps,
} from "./statistics";

describe("quantile", () => {
  it("interpolates linearly between closest ranks (definition 7)", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
  it("gives the minimum at 0 and the maximum at 1", () => {
    expect(quantile([5, 1, 9, 3], 0)).toBe(1);
    expect(quantile([5, 1, 9, 3], 1)).toBe(9);
  });
  it("gives the one value of a single sample for every q", () => {
    for (const q of [0, 0.1, 0.5, 0.99, 1]) expect(quantile([7], q)).toBe(7);
  });
  it("sorts a copy and leaves the input untouched", () => {
    const input = [3, 1, 2];
    expect(quantile(input, 0.5)).toBe(2);
    expect(input).toEqual([3, 1, 2]);
  });
  it("refuses an empty sample, a non-finite value and q outside 0..1", () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, NaN], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, Infinity], 0.5)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], -0.1)).toThrow(RangeError);
  });
});

describe("median", () => {
  it("is the middle value for odd n and the mean of the two middle values for even n", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, 1, 1, 100])).toBe(1);
  });
});

describe("percentile", () => {
  it("is the quantile at p / 100", () => {
    const xs = Array.from({ length: 101 }, (_, i) => i); // 0..100: the p-th percentile is p
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
  });
});

describe("mean, standardDeviation, medianAbsoluteDeviation", () => {
  it("match hand-computed values", () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(standardDeviation(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12); // sample deviation, divisor n - 1
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });
  it("give zero spread for a single sample", () => {
    expect(standardDeviation([3])).toBe(0);
    expect(medianAbsoluteDeviation([3])).toBe(0);
  });
});

describe("summarize", () => {
  it("reports count, extremes, centre and percentiles of the samples", () => {
    const xs = Array.from({ length: 101 }, (_, i) => 100 - i); // 100..0, unsorted order
    const s = summarize(xs);
    expect(s).toMatchObject({ count: 101, min: 0, max: 100, mean: 50, median: 50, p90: 90, p95: 95, p99: 99 });
    expect(s.mad).toBe(25);
  });
  it("refuses an empty sample", () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe("ratio and overheadPercent", () => {
  it("express a value against its baseline", () => {
    expect(ratio(5, 2)).toBe(2.5);
    expect(overheadPercent(2, 5)).toBe(150);
    expect(overheadPercent(4, 3)).toBe(-25);
    expect(overheadPercent(3, 3)).toBe(0);
  });
  it("refuse a zero, negative or non-finite baseline", () => {
    expect(() => ratio(1, 0)).toThrow(RangeError);
    expect(() => overheadPercent(-1, 1)).toThrow(RangeError);
    expect(() => ratio(NaN, 1)).toThrow(RangeError);
  });
});

describe("throughputMBps", () => {
  it("uses MB = 10^6 bytes", () => {
    expect(throughputMBps(1e6, 1)).toBe(1);
    expect(throughputMBps(64, 1.6e-6)).toBeCloseTo(40, 9);
  });
  it("refuses a zero duration and a negative byte count", () => {
    expect(() => throughputMBps(1, 0)).toThrow(RangeError);
    expect(() => throughputMBps(-1, 1)).toThrow(RangeError);
  });
});
