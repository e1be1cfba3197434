// A smoke run of the integration stage in --quick mode: the plan's four scenarios, with the plan's result fields.
// No assertion here depends on how fast anything ran.
import { describe, expect, it } from "vitest";
import { evaluateAcceptance } from "../../lib/bench/acceptance";
import { metricValues, type StageResult } from "../../lib/bench/bench-result";
import { INTEGRATION_COLUMNS, integrationCsv, integrationStage, type IntegrationBenchmarkResult } from "./integration";

describe("integrationStage --quick", () => {
  let result: StageResult;
  const run = async () => (result ??= await integrationStage.run({ quick: true, progress: () => {} }));

  it("runs the plan's four scenarios and reports them with the plan's columns", async () => {
    const [table] = (await run()).tables;
    expect(table.id).toBe("week3_integration_results");
    expect(table.columns.map((c) => c.key)).toEqual([...INTEGRATION_COLUMNS]);
    const names = table.rows.map((r) => r.scenario_name);
    expect(names.some((n) => n.startsWith("full_block_validation_"))).toBe(true);
    expect(names.some((n) => n.startsWith("chain_validation_"))).toBe(true);
    expect(names).toContain("historical_verification_4_epochs_with_rollback");
    expect(names).toContain("epoch_transition_cutover_blocks");
  });

  it("derives mean time and throughput from the total, and every metric is finite", async () => {
    const { metrics } = await run();
    const scenarios = Object.keys(metrics).filter((k) => k.endsWith(".total_validation_time_ms")).map((k) => k.replace(".total_validation_time_ms", ""));
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    for (const s of scenarios) {
      const total = metrics[`${s}.total_validation_time_ms`].value;
      expect(total).toBeGreaterThan(0);
      expect(metrics[`${s}.throughput_blocks_per_second`].value * metrics[`${s}.mean_block_time_ms`].value).toBeCloseTo(1000, 6);
    }
    for (const [key, m] of Object.entries(metrics)) expect(Number.isFinite(m.value), key).toBe(true);
    for (const v of evaluateAcceptance({ integration: metricValues(await run()) })) expect(["PASS", "FAIL"]).toContain(v.status);
  });

  it("renders the plan's CSV with a header and one row per scenario", () => {
    const rows: IntegrationBenchmarkResult[] = [
      { scenario_name: "chain_validation_10", block_count: 10, statement_count_per_block: 100, total_validation_time_ms: 5, mean_block_time_ms: 0.5, throughput_blocks_per_second: 2000 },
    ];
    expect(integrationCsv(rows)).toBe(
      "scenario_name,block_count,statement_count_per_block,total_validation_time_ms,mean_block_time_ms,throughput_blocks_per_second\r\nchain_validation_10,10,100,5,0.5,2000\r\n",
    );
  });
});
