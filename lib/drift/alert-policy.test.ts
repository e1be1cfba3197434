import { describe, expect, it } from "vitest";
import { alertText, inhibitor, silenceMatches, silencedBy, throttleDecision, throttleGroup, type Silence } from "./alert-policy";

const ev = (drift_category: string, block_number: number | null, extra = {}) =>
  ({ event_id: `${drift_category}-${block_number}`, drift_category, block_number, severity: "CRITICAL", message: "m", resolved: false, details: {}, ...extra }) as never;

describe("inhibitor", () => {
  it("a lineage event at the same height inhibits consistency and commitment events, nothing else", () => {
    const others = [ev("lineage", 10)];
    expect(inhibitor(ev("consistency", 10), others)).toBe("lineage-10");
    expect(inhibitor(ev("commitment", 10), others)).toBe("lineage-10");
    expect(inhibitor(ev("consistency", 11), others)).toBeNull();
    expect(inhibitor(ev("algorithm_mismatch", 10), others)).toBeNull();
    expect(inhibitor(ev("lineage", 10), others)).toBeNull();
    expect(inhibitor(ev("consistency", 10), [ev("lineage", 10, { resolved: true })])).toBeNull();
  });
});

describe("silences", () => {
  const s: Silence = { id: "s1", matchers: [{ name: "drift_category", value: "storage" }, { name: "severity", value: "MEDIUM|LOW", regex: true }], starts_at: 100, ends_at: 200 };
  const storage = { drift_category: "storage", severity: "MEDIUM", block_number: 5, message: "x" } as never;
  it("matches only while active and when every matcher matches (regexes anchored)", () => {
    expect(silenceMatches(s, storage, 150)).toBe(true);
    expect(silenceMatches(s, storage, 99)).toBe(false);
    expect(silenceMatches(s, storage, 200)).toBe(false);
    expect(silenceMatches(s, { ...(storage as object), severity: "HIGH" } as never, 150)).toBe(false);
    expect(silenceMatches({ ...s, matchers: [{ name: "severity", value: "MED", regex: true }] }, storage, 150)).toBe(false);
    expect(silenceMatches({ ...s, matchers: [{ name: "block_number", value: "5" }] }, storage, 150)).toBe(true);
    expect(silencedBy(storage, [s], 150)).toBe("s1");
  });
});

describe("throttleDecision", () => {
  it("sends when no window is open or the route has none, folds inside a window", () => {
    expect(throttleDecision(null, 10, 300)).toBe("send");
    expect(throttleDecision({ ends_at: 20 }, 10, 300)).toBe("fold");
    expect(throttleDecision({ ends_at: 20 }, 20, 300)).toBe("send");
    expect(throttleDecision({ ends_at: 20 }, 10, 0)).toBe("send");
    expect(throttleGroup({ severity: "HIGH", drift_category: "performance" }, "email")).toBe("HIGH/performance/email");
  });
});

describe("alertText", () => {
  it("names severity, category, block and the folded count", () => {
    const t = alertText({ severity: "HIGH", drift_category: "performance", block_number: 7, message: "slow", event_id: "e", details: {} }, 37);
    expect(t.subject).toBe("[MathLedger HIGH] performance at block 7: slow (and 37 more)");
    expect(t.text).toMatch(/37 more event/);
  });
});
