import { describe, expect, it } from "vitest";
import { countIntoBuckets, cumulativeHistogram, LATENCY_BUCKETS_SECONDS } from "./latency-histogram";

describe("countIntoBuckets", () => {
  it("puts a value on a bound into that bound's bucket (le is inclusive) and the rest above the last bound into +Inf", () => {
    expect(countIntoBuckets([0.001, 0.0011, 50], [0.001, 0.01])).toEqual([
      { le: 0.001, count: 1, sum: 0.001 },
      { le: 0.01, count: 1, sum: 0.0011 },
      { le: Infinity, count: 1, sum: 50 },
    ]);
  });
  it("ignores values that are no latencies (negative, NaN) and returns nothing for none", () => {
    expect(countIntoBuckets([-1, Number.NaN])).toEqual([]);
    expect(countIntoBuckets([])).toEqual([]);
  });
});

describe("cumulativeHistogram", () => {
  it("lists every bound with cumulative counts ending at the total, adding stored counts of many batches", () => {
    const stored = [...countIntoBuckets([0.002, 0.003]), ...countIntoBuckets([0.002, 3])];
    const h = cumulativeHistogram(stored);
    expect(h.buckets).toHaveLength(LATENCY_BUCKETS_SECONDS.length + 1);
    expect(h.buckets.find((b) => b.le === 0.001)!.count).toBe(0);
    expect(h.buckets.find((b) => b.le === 0.0025)!.count).toBe(2);
    expect(h.buckets.find((b) => b.le === 0.005)!.count).toBe(3);
    expect(h.buckets.find((b) => b.le === 2.5)!.count).toBe(3);
    expect(h.buckets.at(-1)).toEqual({ le: Infinity, count: 4 });
    expect(h.count).toBe(4);
    expect(h.sum).toBeCloseTo(3.007, 10);
  });
  it("counts rows stored under a bound no longer listed in +Inf, _count and _sum", () => {
    const h = cumulativeHistogram([{ le: 0.003, count: 2, sum: 0.005 }], [0.001, 0.01]);
    expect(h.buckets).toEqual([
      { le: 0.001, count: 0 },
      { le: 0.01, count: 0 },
      { le: Infinity, count: 2 },
    ]);
  });
});
