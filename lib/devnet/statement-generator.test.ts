import { describe, expect, it } from "vitest";
import { createPrng, generateFixedStatements, generateStatements } from "./statement-generator";
import { defaultDevnetRegistry } from "./default-registry";
import { isWellFormedText } from "../consensus/block";

describe("createPrng", () => {
  it("is deterministic per seed and stays in [0, 1)", () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createPrng(43)()).not.toBe(xs[0]);
  });
});

describe("generateStatements", () => {
  it("gives the same statements for the same seed and block, different ones for another block", () => {
    const one = generateStatements({ seed: 7, blockNumber: 10 });
    expect(generateStatements({ seed: 7, blockNumber: 10 })).toEqual(one);
    expect(generateStatements({ seed: 7, blockNumber: 11 })).not.toEqual(one);
  });
  it("varies the count within the bounds and produces well-formed labelled text", () => {
    const counts = new Set<number>();
    for (let n = 0; n < 200; n++) {
      const s = generateStatements({ seed: 1, blockNumber: n, minCount: 2, maxCount: 9 });
      counts.add(s.length);
      expect(s.length).toBeGreaterThanOrEqual(2);
      expect(s.length).toBeLessThanOrEqual(9);
      for (const text of s) {
        expect(text).toMatch(/^(theorem|lemma|proposition|corollary|claim)_\d+: .+/);
        expect(isWellFormedText(text)).toBe(true);
      }
    }
    expect(counts.size).toBe(8);
  });
  it("generateFixedStatements returns exactly the count asked for", () => {
    expect(generateFixedStatements(3, 1000)).toHaveLength(1000);
    expect(generateFixedStatements(3, 0)).toEqual([]);
  });
});

describe("defaultDevnetRegistry", () => {
  it("starts legacy at 0 and schedules the dual epoch at the activation block", () => {
    const r = defaultDevnetRegistry(1_700_000_000);
    expect(r.map((e) => [e.start_block, e.end_block, e.rule_version, e.algorithm_name])).toEqual([
      [0, 199, "v1-legacy", "SHA-256"],
      [200, null, "v2-dual-required", "SHA3-256"],
    ]);
  });
});
