/**
 * Stage "integration": the plan's integration benchmarks (PLAN.md §2, "Integration Benchmarks"; issue 9 §1), run on
 * the real consensus core (lib/consensus: sealBlock, validateBlock, validateChain) with the server hash suite.
 *
 * Scenarios, each reported with the plan's IntegrationBenchmarkResult fields (scenario_name, block_count,
 * statement_count_per_block, total_validation_time_ms, mean_block_time_ms, throughput_blocks_per_second):
 *   1. full block validation: chains of v2-dual-required blocks of 10, 50, 100, 500 and 1000 statements, each block
 *      validated against its predecessor;
 *   2. chain validation: validateChain over chains of 10, 100 and 1000 blocks (100 statements each);
 *   3. historical verification: one chain across four epochs (v1-legacy, v2 SHA3-256, a governed rollback to
 *      v1-legacy, v2 BLAKE3), validated from genesis as a node re-verifying history does;
 *   4. epoch transition: the cutover blocks alone (the first block of each epoch, against the last of the one
 *      before) over a registry with every kind of boundary (activation, v1.5, v2, v2.5, v3, algorithm change,
 *      rollback).
 * Every chain is checked VALID before anything is timed, and every timed pass must stay VALID. Times are the median
 * of `iterations` passes. The table "week3_integration_results" has exactly the plan's columns (its CSV name is the
 * plan's, PLAN.md "Week 3"); integrationCsv renders it for the week orchestration.
 */
import { BLAKE3_ID, SHA256_ID, SHA3_256_ID, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { Block } from "../../lib/consensus/block";
import { makeEpoch, type Epoch, type EpochRegistry } from "../../lib/consensus/epochs";
import type { RuleVersion } from "../../lib/consensus/rule-versions";
import { sealBlock } from "../../lib/consensus/seal-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import { validateChain } from "../../lib/consensus/validate-chain";
import { median } from "../../lib/bench/statistics";
import type { Metric, StageResult } from "../../lib/bench/bench-result";
import { INTEGRATION_COLUMNS } from "../../lib/bench/plan-weeks";
import { renderCsv, type ReportTable } from "../../lib/bench/report-table";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { benchmarkStatements } from "../fixtures/statements";

/** PLAN.md §2, IntegrationBenchmarkResult. */
export interface IntegrationBenchmarkResult {
  scenario_name: string;
  block_count: number;
  statement_count_per_block: number;
  total_validation_time_ms: number;
  mean_block_time_ms: number;
  throughput_blocks_per_second: number;
}

/** The plan's fields, in the plan's order (lib/bench/plan-weeks.ts holds every week's columns). */
export { INTEGRATION_COLUMNS };

/** The plan's CSV for week 3 (PLAN.md, "Week 3: Integration Benchmarks"). */
export const INTEGRATION_CSV_NAME = "week3_integration_results.csv";

export function integrationCsv(results: readonly IntegrationBenchmarkResult[]): string {
  return renderCsv(INTEGRATION_COLUMNS, results.map((r) => INTEGRATION_COLUMNS.map((k) => r[k])));
}

interface Plan {
  fullBlockCounts: readonly number[];
  fullBlockChain: number;
  chainLengths: readonly number[];
  chainStatements: number;
  historicalPerEpoch: number;
  historicalStatements: number;
  transitionStatements: number;
  iterations: number;
}

const FULL: Plan = {
  fullBlockCounts: [10, 50, 100, 500, 1000],
  fullBlockChain: 20,
  chainLengths: [10, 100, 1000],
  chainStatements: 100,
  historicalPerEpoch: 100,
  historicalStatements: 100,
  transitionStatements: 100,
  iterations: 7,
};
const QUICK: Plan = {
  fullBlockCounts: [10, 100],
  fullBlockChain: 3,
  chainLengths: [10],
  chainStatements: 10,
  historicalPerEpoch: 3,
  historicalStatements: 10,
  transitionStatements: 10,
  iterations: 1,
};

const T0 = 1_767_225_600;
const GOVERNANCE = "0x" + "9a".repeat(32);

function registry(spec: readonly (readonly [number, RuleVersion, number])[]): Epoch[] {
  return spec.map(([start, version, alg], i) => {
    const next = spec[i + 1];
    return makeEpoch(start, version, alg, T0 + 2 * start, i === 0 ? null : GOVERNANCE, next ? next[0] - 1 : null);
  });
}

function sealChain(epochs: EpochRegistry, length: number, statements: number, suite: HashSuite, seed: number): Block[] {
  const blocks: Block[] = [];
  let prev: Block | null = null;
  for (let n = 0; n < length; n++) {
    prev = sealBlock({ statements: benchmarkStatements(statements, seed + n), epochs, prev, timestamp: T0 + 2 * n, suite });
    blocks.push(prev);
  }
  return blocks;
}

/** Median wall time of `iterations` passes of `run`, which must report VALID every time. */
function timePasses(what: string, iterations: number, run: () => boolean): number {
  if (!run()) throw new Error(`integration: ${what} is not VALID before timing`);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const ok = run();
    times.push(performance.now() - t0);
    if (!ok) throw new Error(`integration: ${what} stopped validating`);
  }
  return median(times);
}

function result(scenario: string, blocks: number, statements: number, totalMs: number): IntegrationBenchmarkResult {
  return {
    scenario_name: scenario,
    block_count: blocks,
    statement_count_per_block: statements,
    total_validation_time_ms: totalMs,
    mean_block_time_ms: totalMs / blocks,
    throughput_blocks_per_second: blocks / (totalMs / 1000),
  };
}

/** Validates each block of `chain` (after the first) against its predecessor, as a node receiving them would. */
function validateEach(chain: readonly Block[], epochs: EpochRegistry, suite: HashSuite): boolean {
  for (let i = 1; i < chain.length; i++) {
    if (validateBlock(chain[i], { epochs, prev: chain[i - 1], suite }).verdict !== "VALID") return false;
  }
  return true;
}

export async function runIntegrationScenarios(plan: Plan, suite: HashSuite, progress: (m: string) => void): Promise<IntegrationBenchmarkResult[]> {
  const out: IntegrationBenchmarkResult[] = [];
  const dual = registry([[0, "v2-dual-required", SHA3_256_ID]]);

  for (const n of plan.fullBlockCounts) {
    progress(`integration: full block validation, ${plan.fullBlockChain} blocks of ${n} statements`);
    const chain = sealChain(dual, plan.fullBlockChain + 1, n, suite, 1000 * n);
    out.push(result(`full_block_validation_${n}`, plan.fullBlockChain, n, timePasses(`the ${n}-statement chain`, plan.iterations, () => validateEach(chain, dual, suite))));
  }

  for (const length of plan.chainLengths) {
    progress(`integration: chain validation, ${length} blocks`);
    const chain = sealChain(dual, length, plan.chainStatements, suite, 7_000_000 + length);
    const ms = timePasses(`the ${length}-block chain`, plan.iterations, () => validateChain(chain, { epochs: dual, suite }).verdict === "VALID");
    out.push(result(`chain_validation_${length}`, length, plan.chainStatements, ms));
  }

  const per = plan.historicalPerEpoch;
  const history = registry([
    [0, "v1-legacy", SHA256_ID],
    [per, "v2-dual-required", SHA3_256_ID],
    [2 * per, "v1-legacy", SHA256_ID], // the emergency rollback epoch (governed)
    [3 * per, "v2-dual-required", BLAKE3_ID],
  ]);
  progress(`integration: historical verification, 4 epochs of ${per} blocks (one a rollback)`);
  const historical = sealChain(history, 4 * per, plan.historicalStatements, suite, 9_000_000);
  const historicalMs = timePasses("the four-epoch history", plan.iterations, () => validateChain(historical, { epochs: history, suite }).verdict === "VALID");
  out.push(result("historical_verification_4_epochs_with_rollback", historical.length, plan.historicalStatements, historicalMs));

  // Every boundary kind, two blocks per epoch so each cutover block has a predecessor in the previous epoch.
  const cutover = registry([
    [0, "v1-legacy", SHA256_ID],
    [2, "v1.5-pq-optional", SHA3_256_ID],
    [4, "v2-dual-required", SHA3_256_ID],
    [6, "v2-dual-required", BLAKE3_ID],
    [8, "v2.5-pq-primary", BLAKE3_ID],
    [10, "v1-legacy", SHA256_ID],
    [12, "v2-dual-required", SHA3_256_ID],
    [14, "v2.5-pq-primary", SHA3_256_ID],
    [16, "v3-pq-only", SHA3_256_ID],
  ]);
  progress("integration: epoch transition (cutover blocks)");
  const crossing = sealChain(cutover, 18, plan.transitionStatements, suite, 11_000_000);
  const boundaries = cutover.slice(1).map((e) => e.start_block);
  const transitionMs = timePasses("the cutover blocks", Math.max(plan.iterations, 3), () =>
    boundaries.every((b) => validateBlock(crossing[b], { epochs: cutover, prev: crossing[b - 1], suite }).verdict === "VALID"),
  );
  out.push(result("epoch_transition_cutover_blocks", boundaries.length, plan.transitionStatements, transitionMs));
  return out;
}

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

async function runIntegration(context: StageContext): Promise<StageResult> {
  const plan = context.quick ? QUICK : FULL;
  const suite = await loadWasmHashSuite();
  const results = await runIntegrationScenarios(plan, suite, context.progress);
  const metrics: Record<string, Metric> = {};
  for (const r of results) {
    metrics[`${r.scenario_name}.total_validation_time_ms`] = metric(r.total_validation_time_ms, "ms", `${r.block_count} blocks of ${r.statement_count_per_block} statements, median of passes`);
    metrics[`${r.scenario_name}.mean_block_time_ms`] = metric(r.mean_block_time_ms, "ms", "total / blocks");
    metrics[`${r.scenario_name}.throughput_blocks_per_second`] = metric(r.throughput_blocks_per_second, "blocks/s", "blocks / total");
  }
  const largest = results.filter((r) => r.scenario_name.startsWith("full_block_validation_")).at(-1)!;
  metrics["full_block_validation.largest_mean_block_ms"] = metric(largest.mean_block_time_ms, "ms", `mean validation time of a ${largest.statement_count_per_block}-statement block against its predecessor`);
  const table: ReportTable = {
    id: "week3_integration_results",
    title: `Integration (${INTEGRATION_CSV_NAME}): the plan's scenarios on lib/consensus, server suite (${suite.implementation}), median of ${plan.iterations} passes`,
    columns: INTEGRATION_COLUMNS.map((key) => ({ key, label: key, align: key === "scenario_name" ? "left" : "right" })),
    rows: results.map((r) => ({
      scenario_name: r.scenario_name,
      block_count: String(r.block_count),
      statement_count_per_block: String(r.statement_count_per_block),
      total_validation_time_ms: formatNumber(r.total_validation_time_ms),
      mean_block_time_ms: formatNumber(r.mean_block_time_ms),
      throughput_blocks_per_second: formatNumber(r.throughput_blocks_per_second),
    })),
    notes: [
      "full_block_validation_N: each block validated against its predecessor (v2-dual-required, SHA3-256). chain_validation_N: validateChain from genesis.",
      "historical verification: v1-legacy, v2 SHA3-256, rollback to v1-legacy (governed), v2 BLAKE3, validated from genesis. epoch transition: only the first block of each new epoch, every boundary kind.",
    ],
  };
  return {
    stage: "integration",
    title: "Integration: block, chain, history and cutover validation on the consensus core",
    measurements: [],
    metrics,
    tables: [table],
    plan_rows: { week3_integration_results: results.map((r) => ({ ...r })) },
    notes: context.quick ? ["--quick: small blocks and short chains, one pass: shape only."] : [],
  };
}

export const integrationStage: BenchStage = {
  id: "integration",
  title: "Integration: block, chain, history and cutover validation on the consensus core",
  description: "the plan's four integration scenarios (10–1000 statements, 10–1000 blocks, four epochs with a rollback, cutover blocks)",
  runsByDefault: false,
  run: runIntegration,
};
