import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, allPassed, evaluateAcceptance, formatBound, meetsBound, type AcceptanceCriterion } from "./acceptance";

const criterion = (over: Partial<AcceptanceCriterion>): AcceptanceCriterion => ({
  id: "c",
  planCriterion: null,
  description: "d",
  stage: "s",
  metric: "m",
  unit: "ms",
  comparison: "at-most",
  target: 5,
  planBar: 100,
  source: "test",
  ...over,
});

describe("ACCEPTANCE_CRITERIA", () => {
  it("holds issue 2's and issue 6's targets with the plan's bars beside them", () => {
    const byId = Object.fromEntries(ACCEPTANCE_CRITERIA.map((c) => [c.id, c]));
    expect(byId.block_validation_latency_1000).toMatchObject({ target: 3, planBar: 100, unit: "ms", comparison: "at-most" });
    expect(byId.block_validation_over_bare_1000).toMatchObject({ target: 1.3, unit: "×", comparison: "at-most" });
    expect(byId.ingest_over_raw_100).toMatchObject({ target: 50, unit: "%", comparison: "at-least" });
    for (const n of [10, 100, 1000]) expect(byId[`block_sealing_overhead_${n}`]).toMatchObject({ target: 150, planBar: 300, unit: "%" });
    expect(byId.storage_overhead_100).toMatchObject({ target: 20, planBar: 30, unit: "%" });
  });
  it("has unique ids, and every target at least as strict as the plan's bar", () => {
    expect(new Set(ACCEPTANCE_CRITERIA.map((c) => c.id)).size).toBe(ACCEPTANCE_CRITERIA.length);
    for (const c of ACCEPTANCE_CRITERIA) {
      if (c.planBar !== null) expect(meetsBound(c.target, c.comparison, c.planBar)).toBe(true);
    }
  });
});

describe("meetsBound", () => {
  it("lets the bound itself pass in both directions", () => {
    expect(meetsBound(5, "at-most", 5)).toBe(true);
    expect(meetsBound(5.0001, "at-most", 5)).toBe(false);
    expect(meetsBound(1000, "at-least", 1000)).toBe(true);
    expect(meetsBound(999, "at-least", 1000)).toBe(false);
  });
});

describe("evaluateAcceptance", () => {
  const table = [
    criterion({ id: "latency", metric: "ms", target: 5, planBar: 100 }),
    criterion({ id: "rate", metric: "rate", comparison: "at-least", target: 1000, planBar: null, unit: "blocks/s" }),
    criterion({ id: "other-stage", stage: "network" }),
  ];
  it("judges our target and the plan's bar separately", () => {
    const [latency, rate] = evaluateAcceptance({ s: { ms: 12, rate: 1500 } }, table);
    expect(latency).toMatchObject({ value: 12, status: "FAIL", planStatus: "PASS" });
    expect(rate).toMatchObject({ value: 1500, status: "PASS", planStatus: null });
  });
  it("leaves out criteria of stages that did not run", () => {
    expect(evaluateAcceptance({ s: { ms: 1, rate: 2000 } }, table).map((r) => r.criterion.id)).toEqual(["latency", "rate"]);
    expect(evaluateAcceptance({}, table)).toEqual([]);
  });
  it("marks a metric the stage did not produce (or produced as NaN) as MISSING, which is not a pass", () => {
    const results = evaluateAcceptance({ s: { ms: NaN } }, table);
    expect(results.map((r) => r.status)).toEqual(["MISSING", "MISSING"]);
    expect(results[0].planStatus).toBe("MISSING");
    expect(allPassed(results)).toBe(false);
  });
  it("passes only when every judged criterion passes", () => {
    expect(allPassed(evaluateAcceptance({ s: { ms: 5, rate: 1000 } }, table))).toBe(true);
    expect(allPassed([])).toBe(true);
  });
});

describe("formatBound", () => {
  it("writes the comparison and unit as a reader expects", () => {
    expect(formatBound("at-most", 5, "ms")).toBe("≤ 5 ms");
    expect(formatBound("at-most", 150, "%")).toBe("≤ 150%");
    expect(formatBound("at-least", 1000, "blocks/s")).toBe("≥ 1000 blocks/s");
  });
});
