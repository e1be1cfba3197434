// A smoke run of the network-sim stage in --quick mode (a few hundred nodes, a few blocks): the result must be
// complete and well-formed. No assertion here depends on how fast anything ran or on the simulated figures' size.
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, evaluateAcceptance } from "../../lib/bench/acceptance";
import { metricValues, resultToCsv, type StageResult } from "../../lib/bench/bench-result";
import { networkSimStage } from "./network-sim";

describe("networkSimStage --quick", () => {
  let result: StageResult;
  const run = async () => (result ??= await networkSimStage.run({ quick: true, progress: () => {} }));

  it("produces every metric the acceptance criteria read, so each is judged PASS or FAIL (never MISSING)", async () => {
    const verdicts = evaluateAcceptance({ "network-sim": metricValues(await run()) });
    expect(verdicts.map((v) => v.criterion.id)).toEqual(ACCEPTANCE_CRITERIA.filter((c) => c.stage === "network-sim").map((c) => c.id));
    for (const v of verdicts) expect(["PASS", "FAIL"]).toContain(v.status);
  });

  it("compares legacy and dual blocks of the same statements: the dual block is 97 bytes larger and validated separately", async () => {
    const { metrics, measurements } = await run();
    for (const n of [100, 1000]) {
      expect(metrics[`pq_vs_legacy.${n}.statements`].value).toBe(n);
      expect(metrics[`pq_vs_legacy.${n}.dual_block_bytes`].value - metrics[`pq_vs_legacy.${n}.legacy_block_bytes`].value).toBe(184 - 87);
      for (const q of ["p50", "p90", "p95"]) expect(metrics[`pq_vs_legacy.${n}.t90_${q}_ratio`].value).toBeGreaterThan(0);
    }
    expect(measurements.map((m) => m.params.case)).toEqual(["validate_legacy", "validate_v2", "validate_legacy", "validate_v2"]);
  });

  it("reports the calibration run with a fork-rate interval that contains the estimate", async () => {
    const { metrics } = await run();
    const low = metrics["calibration.fork_rate_ci_low_pct"].value;
    const high = metrics["calibration.fork_rate_ci_high_pct"].value;
    const estimate = metrics["calibration.fork_rate_pct"].value;
    expect(low).toBeLessThanOrEqual(estimate);
    expect(estimate).toBeLessThanOrEqual(high);
    expect(metrics["calibration.blocks"].value).toBeGreaterThan(0);
  });

  it("has finite metrics with units, tables whose rows only use declared columns, and survives JSON and CSV", async () => {
    const r = await run();
    for (const [key, m] of Object.entries(r.metrics)) {
      expect(Number.isFinite(m.value), key).toBe(true);
      expect(m.unit, key).not.toBe("");
    }
    expect(r.tables.map((t) => t.id)).toEqual(["network-sim-calibration", "network-sim-speed", "network-sim-pq-vs-legacy", "week4_network_results"]);
    for (const t of r.tables) {
      const keys = new Set(t.columns.map((c) => c.key));
      for (const row of t.rows) for (const k of Object.keys(row)) expect(keys.has(k), `${t.id}: ${k}`).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const csv = resultToCsv({ ...r, acceptance: [] });
    expect(csv.trimEnd().split("\r\n")).toHaveLength(1 + r.measurements.length + Object.keys(r.metrics).length);
  });
});
