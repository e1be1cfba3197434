// A smoke run of the consensus stage in --quick mode: the result must be complete and well-formed.
// No assertion here depends on how fast anything ran.
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, evaluateAcceptance } from "../../lib/bench/acceptance";
import { metricValues, resultToCsv } from "../../lib/bench/bench-result";
import type { StageResult } from "../../lib/bench/bench-result";
import { CASE_KEYS } from "./consensus-scenario";
import { consensusStage, STATEMENT_COUNTS } from "./consensus";

describe("consensusStage --quick", () => {
  let result: StageResult;
  const run = async () => (result ??= await consensusStage.run({ quick: true, progress: () => {} }));

  it("measures every case for all three suites and all three block sizes, with sane summaries", async () => {
    const { measurements, stage } = await run();
    expect(stage).toBe("consensus");
    const ids = measurements.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const suite of ["merkle-wasm", "hash-wasm", "noble"]) {
      for (const n of STATEMENT_COUNTS) {
        for (const key of CASE_KEYS) expect(ids).toContain(`${suite}/${n}/${key}`);
      }
    }
    for (const m of measurements) {
      const s = m.us;
      expect(s.count).toBeGreaterThanOrEqual(3);
      expect(m.iterations_per_sample).toBeGreaterThanOrEqual(1);
      for (const v of Object.values(s)) expect(Number.isFinite(v)).toBe(true);
      expect(s.min).toBeGreaterThan(0);
      expect(s.min).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.p95);
      expect(s.p95).toBeLessThanOrEqual(s.max);
    }
  });

  it("produces every metric the acceptance criteria read, so each is judged PASS or FAIL (never MISSING)", async () => {
    const verdicts = evaluateAcceptance({ consensus: metricValues(await run()) });
    expect(verdicts.map((v) => v.criterion.id)).toEqual(ACCEPTANCE_CRITERIA.filter((c) => c.stage === "consensus").map((c) => c.id));
    for (const v of verdicts) expect(["PASS", "FAIL"]).toContain(v.status);
  });

  it("reports storage from the canonical encodings (sizes are exact, not measured)", async () => {
    const { metrics } = await run();
    for (const n of STATEMENT_COUNTS) {
      expect(metrics[`storage.${n}.legacy_header_bytes`].value).toBe(87); // 1 + 8 + 8 + 2·33 + 4·1
      expect(metrics[`storage.${n}.dual_header_bytes`].value).toBe(184); // 1 + 8 + 8 + 2·33 + 2 + 3·33
      const legacy = metrics[`storage.${n}.legacy_block_bytes`].value;
      expect(metrics[`storage.${n}.dual_block_bytes`].value - legacy).toBe(184 - 87);
      expect(metrics[`storage.${n}.block_overhead_pct`].value).toBeCloseTo(((184 - 87) / legacy) * 100, 9);
    }
  });

  it("has finite metrics with units, and tables whose rows only use declared columns", async () => {
    const { metrics, tables } = await run();
    for (const [key, m] of Object.entries(metrics)) {
      expect(Number.isFinite(m.value), key).toBe(true);
      expect(m.unit, key).not.toBe("");
    }
    expect(tables.map((t) => t.id)).toEqual(expect.arrayContaining(["consensus-merkle-wasm", "consensus-hash-wasm", "consensus-noble", "consensus-storage"]));
    for (const t of tables) {
      expect(t.rows.length, t.id).toBeGreaterThan(0);
      const keys = new Set(t.columns.map((c) => c.key));
      for (const row of t.rows) for (const k of Object.keys(row)) expect(keys.has(k), `${t.id}: ${k}`).toBe(true);
    }
  });

  it("survives a JSON round trip unchanged and renders as CSV with one row per measurement and metric", async () => {
    const r = await run();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const csv = resultToCsv({ ...r, acceptance: [] });
    expect(csv.trimEnd().split("\r\n")).toHaveLength(1 + r.measurements.length + Object.keys(r.metrics).length);
  });
});
