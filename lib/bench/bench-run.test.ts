import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { sampleDocument } from "./test-documents";
import { acceptanceCounts, claimedBenchRunId, compareMetrics, firstJsonDifference, parseBenchResultDocument, proposalBenchmarkResults, runPassed } from "./bench-run";

describe("parseBenchResultDocument", () => {
  it("accepts a document and keeps fields it does not know", () => {
    const doc = { ...sampleDocument(), extra: { added: "later" } };
    expect(parseBenchResultDocument(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });

  it("rejects another schema, naming the field", () => {
    const run = () => parseBenchResultDocument({ ...sampleDocument(), schema: "something/else@1" });
    expect(run).toThrow(/schema/);
    try {
      run();
    } catch (error) {
      expect(isAppError(error, "INVALID_BENCH_RESULT")).toBe(true);
    }
  });

  it("rejects a bad start time, a non-finite metric and an unknown verdict, naming each path", () => {
    expect(() => parseBenchResultDocument({ ...sampleDocument(), started_at: "yesterday" })).toThrow(/started_at/);
    const bad = sampleDocument();
    (bad.metrics["noble.sha3-256.64.mb_per_s"] as { value: unknown }).value = "fast";
    expect(() => parseBenchResultDocument(bad)).toThrow(/metrics\.noble\.sha3-256\.64\.mb_per_s\.value/);
    const verdict = sampleDocument();
    (verdict.acceptance[0] as { status: string }).status = "MAYBE";
    expect(() => parseBenchResultDocument(verdict)).toThrow(/acceptance\.0\.status/);
  });

  it("rejects what is not an object, and a stage id that could not be a file name", () => {
    expect(() => parseBenchResultDocument(null)).toThrow(/INVALID|not a/);
    expect(() => parseBenchResultDocument([])).toThrow(/not a/);
    expect(() => parseBenchResultDocument({ ...sampleDocument(), stage: "../etc" })).toThrow(/stage/);
  });
});

describe("acceptanceCounts / runPassed", () => {
  it("counts PASS, FAIL and everything that is not PASS", () => {
    expect(acceptanceCounts([{ status: "PASS" }, { status: "FAIL" }, { status: "MISSING" }])).toEqual({ pass: 1, fail: 1, notPassed: 2, total: 3 });
  });
  it("a run passes only when every verdict is PASS; a stage without criteria passes", () => {
    expect(runPassed([{ status: "PASS" }, { status: "MISSING" }])).toBe(false);
    expect(runPassed([{ status: "PASS" }])).toBe(true);
    expect(runPassed([])).toBe(true);
  });
});

describe("proposalBenchmarkResults", () => {
  it("names the run and carries each criterion with its value, target, verdict and plan bar, as plain JSON", () => {
    const out = proposalBenchmarkResults({ id: "7", runId: "r-1", document: sampleDocument() });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    expect(out).toMatchObject({ bench_run_id: "7", run_id: "r-1", stage: "micro", passed: false, criteria_passed: 1, criteria_total: 2, quick: true });
    expect(out.environment).toMatchObject({ cpu_count: 2, load_average_start: 1.5 });
    expect(out.acceptance).toEqual([
      expect.objectContaining({ id: "crit_a", value: 2, target: 3, status: "PASS", plan_bar: 100, plan_criterion: "block_validation_latency" }),
      expect.objectContaining({ id: "crit_b", value: 10, target: 20, status: "FAIL", plan_bar: null }),
    ]);
  });
});

describe("compareMetrics", () => {
  it("pairs metrics by key with the ratio b / a, and keeps a metric only one run has", () => {
    const a = sampleDocument();
    const b = sampleDocument({
      metrics: {
        "hash-wasm.sha256.64.mb_per_s": { value: 140, unit: "MB/s", description: "sha256 64 B" },
        "new.metric": { value: 1, unit: "x", description: "only in b" },
      },
    });
    const out = compareMetrics(a, b);
    expect(out.find((m) => m.key === "hash-wasm.sha256.64.mb_per_s")).toMatchObject({ a: 70, b: 140, ratio: 2 });
    expect(out.find((m) => m.key === "noble.sha3-256.64.mb_per_s")).toMatchObject({ a: 8, b: null, ratio: null });
    expect(out.find((m) => m.key === "new.metric")).toMatchObject({ a: null, b: 1, ratio: null, unit: "x" });
    expect(out.map((m) => m.key)).toHaveLength(4);
  });
  it("has no ratio over a zero baseline", () => {
    const a = sampleDocument({ metrics: { k: { value: 0, unit: "%", description: "" } } });
    const b = sampleDocument({ metrics: { k: { value: 5, unit: "%", description: "" } } });
    expect(compareMetrics(a, b)[0].ratio).toBeNull();
  });
});

describe("claimedBenchRunId", () => {
  it("is null for free JSON, the id for the bench's object, and refuses a claim without a valid id", () => {
    expect(claimedBenchRunId({ blocks_per_second: 40 })).toBeNull();
    expect(claimedBenchRunId({ source: "mathledger-pq bench", bench_run_id: "12" })).toBe("12");
    expect(claimedBenchRunId({ bench_run_id: "7" })).toBe("7");
    for (const bad of [{ source: "mathledger-pq bench" }, { bench_run_id: 7 }, { bench_run_id: "07" }, { bench_run_id: "" }, { bench_run_id: null }]) {
      expect(() => claimedBenchRunId(bad), JSON.stringify(bad)).toThrow(/bench_run_id/);
    }
  });
});

describe("firstJsonDifference", () => {
  it("ignores key order, names the first differing path, and compares arrays in order", () => {
    expect(firstJsonDifference({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBeNull();
    expect(firstJsonDifference({ a: 1, b: [1, { c: "x" }] }, { a: 1, b: [1, { c: "y" }] })).toBe("benchmark_results.b[1].c");
    expect(firstJsonDifference({ a: [1, 2] }, { a: [2, 1] })).toBe("benchmark_results.a[0]");
    expect(firstJsonDifference({ a: [1] }, { a: [1, 2] })).toMatch(/^benchmark_results\.a \(length 1, stored 2\)$/);
    expect(firstJsonDifference({ a: 1 }, { a: 1, b: null })).toBe("benchmark_results.b");
    expect(firstJsonDifference({ a: null }, { a: 0 })).toBe("benchmark_results.a");
    expect(firstJsonDifference({ a: "1" }, { a: 1 })).toBe("benchmark_results.a");
    expect(firstJsonDifference([], {})).toBe("benchmark_results");
  });
});
