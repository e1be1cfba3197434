// A smoke run of the stress stage in --quick mode on a fresh PostgreSQL database (tiny blocks, low rates): the
// result must be complete and well-formed. No assertion depends on how fast anything ran.
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, evaluateAcceptance } from "../../lib/bench/acceptance";
import { metricValues, type StageResult } from "../../lib/bench/bench-result";
import { bottleneck, stressStage } from "./stress";

describe("stressStage --quick", () => {
  let result: StageResult;
  const run = async () => (result ??= await stressStage.run({ quick: true, progress: () => {} }));

  it("ramps the offered rate on a real database and reports each step with the plan's CSV name", async () => {
    const { tables, metrics } = await run();
    const ramp = tables.find((t) => t.id === "week5_stress_results")!;
    expect(ramp.rows.length).toBeGreaterThanOrEqual(1);
    for (const row of ramp.rows) expect(Number(row.offered)).toBeGreaterThan(0);
    expect(metrics["stress.peak_achieved_blocks_per_s"].value).toBeGreaterThan(0);
    expect(metrics["stress.rss_at_break_mb"].value).toBeGreaterThan(0);
  }, 120_000);

  it("searches the block size by doubling, and the largest block within 100 ms is one it validated within it", async () => {
    const { tables, metrics } = await run();
    const size = tables.find((t) => t.id === "stress-block-size")!;
    const probed = size.rows.map((r) => Number(r.n));
    expect(probed.slice(0, 2)).toEqual([100, 200]);
    const largest = metrics["stress.largest_block_within_100ms_statements"].value;
    expect(size.rows.find((r) => Number(r.n) === largest)?.within).toBe("yes");
  }, 120_000);

  it("judges every stress criterion PASS or FAIL, and every metric is finite", async () => {
    const verdicts = evaluateAcceptance({ stress: metricValues(await run()) });
    expect(verdicts.map((v) => v.criterion.id)).toEqual(ACCEPTANCE_CRITERIA.filter((c) => c.stage === "stress").map((c) => c.id));
    for (const v of verdicts) expect(["PASS", "FAIL"]).toContain(v.status);
    for (const [key, m] of Object.entries((await run()).metrics)) expect(Number.isFinite(m.value), key).toBe(true);
  }, 120_000);
});

describe("bottleneck", () => {
  it("names the main thread when the event loop is saturated, PostgreSQL when its backend is, else the wait", () => {
    expect(bottleneck({ elu: 0.97, nodeCpuPerS: 950, pgCpuPerS: 300 })).toMatch(/main thread/);
    expect(bottleneck({ elu: 0.6, nodeCpuPerS: 500, pgCpuPerS: 950 })).toMatch(/PostgreSQL \(backend CPU/);
    expect(bottleneck({ elu: 0.6, nodeCpuPerS: 1000, pgCpuPerS: 850 })).toMatch(/two cores/);
    expect(bottleneck({ elu: 0.5, nodeCpuPerS: 400, pgCpuPerS: 200 })).toMatch(/waiting on PostgreSQL/);
    expect(bottleneck({ elu: 0.5, nodeCpuPerS: 400, pgCpuPerS: null })).toMatch(/waiting on PostgreSQL/);
  });
});
