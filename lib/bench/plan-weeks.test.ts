import { describe, expect, it } from "vitest";
import type { AcceptanceRecord } from "./bench-result";
import { componentPlanRows, judgePlanCriteria, microPlanRows, parseWeekSelection, PLAN_WEEKS, weekCsvCells, weekPlanRows, WeekSelectionError } from "./plan-weeks";
import { sampleDocument } from "./test-documents";

const record = (id: string, plan_criterion: string, value: number | null, plan_bar: number, plan_status: "PASS" | "FAIL" | "MISSING"): AcceptanceRecord => ({
  id,
  plan_criterion,
  description: id,
  metric: id,
  unit: "x",
  comparison: "at-most",
  value,
  target: plan_bar,
  status: plan_status,
  plan_bar,
  plan_status,
  source: "test",
});

describe("parseWeekSelection", () => {
  it("reads weeks, lists, ranges and all, in the plan's order", () => {
    expect(parseWeekSelection(["5,2", "2"]).map((w) => w.week)).toEqual([2, 5]);
    expect(parseWeekSelection(["3..5"]).map((w) => w.week)).toEqual([3, 4, 5]);
    expect(parseWeekSelection(["all"])).toEqual(PLAN_WEEKS);
  });
  it("refuses anything else, naming it", () => {
    for (const bad of ["0", "6", "x", "1-2", "3..1", " ", "1,,"]) expect(() => parseWeekSelection([bad]), bad).toThrow(WeekSelectionError);
    expect(() => parseWeekSelection(["7"])).toThrow(/got "7"/);
  });
});

describe("judgePlanCriteria", () => {
  const consensus = {
    stage: "consensus",
    acceptance: [
      record("block_sealing_overhead_10", "block_sealing_overhead", 140, 300, "PASS"),
      record("block_sealing_overhead_1000", "block_sealing_overhead", 50, 300, "PASS"),
      record("block_validation_latency_1000", "block_validation_latency", 1.7, 100, "PASS"),
      record("storage_overhead_100", "storage_overhead", 31, 30, "FAIL"),
    ],
  };
  const sim = { stage: "network-sim", acceptance: [record("network_propagation_p50", "network_propagation", 1.0, 2, "PASS")] };

  it("judges each criterion on its stages only, worst value first; the simulator only supports propagation", () => {
    const v = judgePlanCriteria([consensus, sim], ["consensus", "network-sim"]);
    expect(v.map((x) => [x.criterion.id, x.status, x.worst])).toEqual([
      ["block_sealing_overhead", "PASS", 140],
      ["block_validation_latency", "PASS", 1.7],
      ["storage_overhead", "FAIL", 31],
      ["network_propagation", "MISSING", null],
    ]);
    expect(v[3].reason).toMatch(/stage "network" is not in this build/);
    expect(v[3].supporting.map((s) => s.stage)).toEqual(["network-sim"]);
  });

  it("judges propagation on the testnet stage when it ran, and says why when it did not", () => {
    const net = { stage: "network", acceptance: [record("testnet_propagation", "network_propagation", 1.4, 2, "PASS")] };
    expect(judgePlanCriteria([net, sim], ["network", "network-sim"])[3]).toMatchObject({ status: "PASS", worst: 1.4 });
    expect(judgePlanCriteria([sim], ["network", "network-sim"])[3].reason).toMatch(/no network result in this run/);
    const missingMetric = { stage: "network", acceptance: [record("testnet_propagation", "network_propagation", null, 2, "MISSING")] };
    expect(judgePlanCriteria([missingMetric], ["network"])[3].status).toBe("MISSING");
  });
});

describe("weekPlanRows", () => {
  it("prefixes week 4's scenarios with their stage, and falls back to a stage's report table", () => {
    const week4 = PLAN_WEEKS[3];
    const sim = sampleDocument({ stage: "network-sim", plan_rows: { week4_network_results: [{ scenario_name: "a", node_count: 10, orphan_rate: 0.5 }] } });
    const net = sampleDocument({
      stage: "network",
      tables: [{ id: "week4_network_results", title: "t", columns: [{ key: "scenario_name", label: "s" }], rows: [{ scenario_name: "b", node_count: "5" }] }],
    });
    const rows = weekPlanRows(week4, [net, sim, sampleDocument({ stage: "micro" })]);
    expect(rows.map((r) => r.scenario_name)).toEqual(["network:b", "network-sim:a"]);
    expect(weekCsvCells(week4, rows)[1]).toEqual(["network-sim:a", 10, null, null, null, null, 0.5]);
  });
});

describe("componentPlanRows and microPlanRows", () => {
  const summary = (median: number) => ({ count: 5, min: median, median, p90: median, p95: median, p99: median, max: median, mean: median, stddev: 0, mad: 0 });
  const m = (params: Record<string, string | number>, median: number, bytes: number | null = null) => ({
    id: JSON.stringify(params),
    label: "x",
    params,
    bytes_per_call: bytes,
    iterations_per_sample: 10,
    us: summary(median),
    cpu_us_per_call: null,
    runqueue_wait_pct: null,
  });
  it("names the plan's operations in ms, a dual row's overhead over its legacy row, and leaves other cases out", () => {
    const rows = componentPlanRows({
      measurements: [
        m({ suite: "s", statements: 10, case: "seal_legacy" }, 100),
        m({ suite: "s", statements: 10, case: "seal_dual" }, 250),
        m({ suite: "s", statements: 10, case: "floor_dual" }, 1),
        m({ suite: "s", statements: 10, step: "second_tree" }, 1),
      ],
    });
    expect(rows).toEqual([
      { operation: "block_seal_legacy", implementation: "s", statement_count: 10, iterations: 50, mean_ms: 0.1, median_ms: 0.1, p90_ms: 0.1, p95_ms: 0.1, overhead_pct: null },
      { operation: "block_seal_dual", implementation: "s", statement_count: 10, iterations: 50, mean_ms: 0.25, median_ms: 0.25, p90_ms: 0.25, p95_ms: 0.25, overhead_pct: 150 },
    ]);
  });
  it("gives a hash measurement its size, µs figures and MB/s", () => {
    const [row] = microPlanRows({ measurements: [m({ implementation: "noble", algorithm: "SHA-256", bytes: 1024 }, 2, 1024)] });
    expect(row).toMatchObject({ algorithm: "SHA-256", implementation: "noble", input_size_bytes: 1024, iterations: 50, median_us: 2, throughput_mbps: 512 });
  });
});
