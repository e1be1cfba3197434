/**
 * Stage "stress": ingest until it breaks (PLAN.md §2 "Week 5: Stress Benchmarks"; issue 9 §1).
 *
 * 1. Throughput ramp on a real database: one chain of 100-statement v2-dual-required blocks (the ingest stage's
 *    blocks) is offered to ingestBlocks, the path the HTTP push and the devnet producer use (admission, validation
 *    against the predecessor, fork choice, one transaction with the advisory lock per batch), at rising rates. Blocks
 *    "arrive" on a fixed schedule (open loop: k / rate seconds after the step starts) and are ingested in batches of
 *    whatever has arrived, up to 500. A step is sustained when, at its end, the backlog is at most a quarter of a
 *    second of arrivals; the first step that is not is the break. Reported: the largest sustained rate, the rate
 *    achieved at the break, the process's memory there, and what was saturated first (the main thread's event-loop
 *    utilization, this process's CPU, PostgreSQL's backend CPU, per second of the step).
 * 2. Largest block validated within the plan's 100 ms: v2 blocks of doubling statement counts validated against
 *    their predecessor (median of 5) until one takes longer, then a bisection between the last pass and the first
 *    fail; with the process's memory at that point.
 * The week-5 table has the plan's CSV name (week5_stress_results.csv).
 */
import { performance as nodePerformance } from "node:perf_hooks";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { SHA3_256_ID, type HashSuite } from "../../lib/crypto/hash-algorithms";
import type { Block } from "../../lib/consensus/block";
import { makeEpoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import { generateFixedStatements } from "../../lib/devnet/statement-generator";
import { median } from "../../lib/bench/statistics";
import type { PlanRow } from "../../lib/bench/plan-weeks";
import type { Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { ingestBlocks } from "../../server/ingest/ingest-blocks";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { benchmarkStatements } from "../fixtures/statements";
import { BENCH_EPOCHS, BENCH_T0, freshBenchDatabase, storedCounts } from "./ingest-fixture";
import { backendCpu, backendCpuDelta } from "./ingest-probes";

export const STRESS_CSV_NAME = "week5_stress_results.csv";
const VALIDATION_BUDGET_MS = 100; // PLAN.md §2: block_validation_latency ≤ 100 ms
const MAX_BATCH = 500;

interface Plan {
  rates: readonly number[];
  stepSeconds: number;
  statementsPerBlock: number;
  firstBlockSize: number;
  maxBlockSize: number;
  bisectSteps: number;
  validations: number;
}

const FULL: Plan = {
  rates: [100, 250, 500, 750, 1000, 1500, 2000, 3000, 4000],
  stepSeconds: 3,
  statementsPerBlock: 100,
  firstBlockSize: 1000,
  maxBlockSize: 1 << 19,
  bisectSteps: 5,
  validations: 5,
};
const QUICK: Plan = {
  rates: [20, 40],
  stepSeconds: 0.4,
  statementsPerBlock: 10,
  firstBlockSize: 100,
  maxBlockSize: 800,
  bisectSteps: 1,
  validations: 1,
};

interface Step {
  offeredPerS: number;
  offered: number;
  ingested: number;
  achievedPerS: number;
  backlogAtEnd: number;
  lagMs: number;
  sustained: boolean;
  elu: number;
  nodeCpuPerS: number;
  pgCpuPerS: number | null;
  rssMb: number;
  heapUsedMb: number;
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Extends `chain` by `count` blocks (each step seals its own blocks before it is timed; the ramp stops at the break). */
function extendChain(chain: Block[], count: number, statements: number, suite: HashSuite): void {
  let prev: Block | null = chain.length > 0 ? chain[chain.length - 1] : null;
  for (let i = 0; i < count; i++) {
    const n = chain.length;
    prev = sealBlock({ statements: generateFixedStatements(0x57e5_0000 + n, statements), epochs: BENCH_EPOCHS, prev, timestamp: BENCH_T0 + n * 2, suite });
    chain.push(prev);
  }
}

async function runRamp(plan: Plan, suite: HashSuite, progress: (m: string) => void): Promise<Step[]> {
  const total = plan.rates.reduce((s, r) => s + Math.ceil(r * plan.stepSeconds), 0);
  const chain: Block[] = [];
  const fresh = await freshBenchDatabase();
  const steps: Step[] = [];
  const now = () => BENCH_T0 + total * 2 + 60; // the validator's clock: after every block, so none is "in the future"
  try {
    let next = 0;
    for (const rate of plan.rates) {
      const start = next;
      const offered = Math.ceil(rate * plan.stepSeconds);
      progress(`stress: sealing ${offered} blocks of ${plan.statementsPerBlock} statements, then offering ${rate} blocks/s for ${plan.stepSeconds} s`);
      extendChain(chain, offered, plan.statementsPerBlock, suite);
      const pgBefore = await backendCpu(fresh.pool);
      const elu0 = nodePerformance.eventLoopUtilization();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let rssPeak = process.memoryUsage().rss;
      for (;;) {
        const elapsed = (performance.now() - t0) / 1000;
        if (elapsed >= plan.stepSeconds) break;
        const due = start + Math.min(offered, Math.floor(elapsed * rate));
        if (due > next) {
          const batch = chain.slice(next, Math.min(due, next + MAX_BATCH));
          const summary = await ingestBlocks(fresh.pool, batch, { source: "import", suite, now: now() });
          if (summary.valid !== batch.length) throw new Error(`stress: ${batch.length - summary.valid} blocks of a valid chain were judged invalid`);
          next += batch.length;
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        } else {
          await sleep(Math.min(5, ((next + 1 - start) / rate - elapsed) * 1000));
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const elu = nodePerformance.eventLoopUtilization(elu0).utilization;
      const pgCpu = backendCpuDelta(pgBefore, await backendCpu(fresh.pool));
      const ingested = next - start;
      const backlog = start + offered - next;
      const memory = process.memoryUsage();
      const step: Step = {
        offeredPerS: rate,
        offered,
        ingested,
        achievedPerS: ingested / seconds,
        backlogAtEnd: backlog,
        lagMs: (backlog / rate) * 1000,
        sustained: backlog <= rate * 0.25,
        elu,
        nodeCpuPerS: (cpu.user + cpu.system) / 1000 / seconds,
        pgCpuPerS: pgCpu === null ? null : pgCpu / seconds,
        rssMb: mb(Math.max(rssPeak, memory.rss)),
        heapUsedMb: mb(memory.heapUsed),
      };
      steps.push(step);
      // Catch up before the next step, untimed, so each step starts from an empty backlog.
      while (next < start + offered) {
        const batch = chain.slice(next, Math.min(start + offered, next + MAX_BATCH));
        await ingestBlocks(fresh.pool, batch, { source: "import", suite, now: now() });
        next += batch.length;
      }
      if (!step.sustained) break;
    }
    const counts = await storedCounts(fresh.pool);
    if (counts.blocks !== next || counts.valid !== next || counts.canonical !== next) throw new Error(`stress: stored ${JSON.stringify(counts)} after ${next} blocks`);
  } finally {
    await fresh.close();
  }
  return steps;
}

/** What a saturated step was limited by, from where its time went. */
export function bottleneck(step: Pick<Step, "elu" | "nodeCpuPerS" | "pgCpuPerS">): string {
  if (step.elu >= 0.9) return `the Node main thread (event loop ${formatNumber(step.elu * 100)}% busy: admission, validation, fork choice, SQL building)`;
  if (step.pgCpuPerS !== null && step.pgCpuPerS >= 0.9 * 1000) return `PostgreSQL (backend CPU ${formatNumber(step.pgCpuPerS / 10)}% of a core)`;
  if (step.nodeCpuPerS + (step.pgCpuPerS ?? 0) >= 1800) return "the machine's two cores (Node and PostgreSQL together)";
  return "waiting on PostgreSQL (commits and round trips; neither side's CPU saturated)";
}

interface BlockSizeProbe {
  statements: number;
  validateMs: number;
  within: boolean;
}

function validationMs(statements: number, suite: HashSuite, runs: number): number {
  const epochs = [makeEpoch(0, "v2-dual-required", SHA3_256_ID, BENCH_T0)];
  const prev = sealBlock({ statements: benchmarkStatements(10, 3), epochs, timestamp: BENCH_T0, suite });
  const block = sealBlock({ statements: benchmarkStatements(statements, 4711), epochs, prev, timestamp: BENCH_T0 + 2, suite });
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const verdict = validateBlock(block, { epochs, prev, suite }).verdict;
    if (verdict !== "VALID") throw new Error(`stress: the ${statements}-statement block does not validate`);
    if (i > 0) times.push(performance.now() - t0); // the first run warms up
  }
  return median(times);
}

function largestBlock(plan: Plan, suite: HashSuite, progress: (m: string) => void): { probes: BlockSizeProbe[]; largest: number; rssMb: number; heapUsedMb: number } {
  const probes: BlockSizeProbe[] = [];
  const probe = (n: number) => {
    progress(`stress: validating a ${n}-statement block`);
    const ms = validationMs(n, suite, plan.validations);
    const p = { statements: n, validateMs: ms, within: ms <= VALIDATION_BUDGET_MS };
    probes.push(p);
    return p;
  };
  let pass = 0;
  let fail = 0;
  for (let n = plan.firstBlockSize; n <= plan.maxBlockSize; n *= 2) {
    if (probe(n).within) pass = n;
    else {
      fail = n;
      break;
    }
  }
  for (let i = 0; fail > 0 && i < plan.bisectSteps && fail - pass > 1; i++) {
    const mid = Math.floor((pass + fail) / 2);
    if (probe(mid).within) pass = mid;
    else fail = mid;
  }
  const memory = process.memoryUsage();
  return { probes, largest: pass, rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed) };
}

/** The week 5 CSV (lib/bench/plan-weeks.ts STRESS_COLUMNS): a row per ramp step, then a row per block-size probe. */
function stressPlanRows(plan: Plan, steps: readonly Step[], probes: readonly BlockSizeProbe[]): PlanRow[] {
  return [
    ...steps.map((s) => ({
      scenario_name: `ingest_ramp_${s.offeredPerS}_blocks_per_s`,
      statements_per_block: plan.statementsPerBlock,
      offered_blocks_per_s: s.offeredPerS,
      achieved_blocks_per_s: s.achievedPerS,
      backlog_ms: s.lagMs,
      sustained: s.sustained,
      event_loop_utilization_pct: s.elu * 100,
      node_cpu_pct: s.nodeCpuPerS / 10,
      postgres_cpu_pct: s.pgCpuPerS === null ? null : s.pgCpuPerS / 10,
      rss_mb: s.rssMb,
      heap_used_mb: s.heapUsedMb,
    })),
    ...probes.map((p) => ({ scenario_name: `validate_block_${p.statements}_statements`, statements_per_block: p.statements, validate_ms: p.validateMs, within_100ms: p.within })),
  ];
}

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

async function runStress(context: StageContext): Promise<StageResult> {
  const plan = context.quick ? QUICK : FULL;
  const suite = await loadWasmHashSuite();
  const steps = await runRamp(plan, suite, context.progress);
  const sustained = steps.filter((s) => s.sustained);
  const broke = steps.find((s) => !s.sustained) ?? null;
  const size = largestBlock(plan, suite, context.progress);

  const metrics: Record<string, Metric> = {
    "stress.largest_sustained_blocks_per_s": metric(sustained.length ? Math.max(...sustained.map((s) => s.offeredPerS)) : 0, "blocks/s", `largest offered rate of ${plan.statementsPerBlock}-statement blocks ingested with ≤ 250 ms of backlog`),
    "stress.peak_achieved_blocks_per_s": metric(Math.max(...steps.map((s) => s.achievedPerS)), "blocks/s", "highest rate ingestBlocks reached in any step"),
    "stress.broke": metric(broke ? 1 : 0, "bool", "1 when a step was not sustained (the ramp found the break), 0 when the top rate held"),
    "stress.rss_at_break_mb": metric((broke ?? steps[steps.length - 1]).rssMb, "MB", "this process's peak RSS in the breaking step (or the last step)"),
    "stress.heap_at_break_mb": metric((broke ?? steps[steps.length - 1]).heapUsedMb, "MB", "V8 heap in use at the end of that step"),
    "stress.largest_block_within_100ms_statements": metric(size.largest, "statements", "largest v2 block validated against its predecessor within 100 ms (median)"),
    "stress.rss_at_largest_block_mb": metric(size.rssMb, "MB", "this process's RSS after the block-size search"),
  };
  for (const s of steps) {
    metrics[`ramp.${s.offeredPerS}.achieved_blocks_per_s`] = metric(s.achievedPerS, "blocks/s", `offered ${s.offeredPerS} blocks/s: ingested per second`);
    metrics[`ramp.${s.offeredPerS}.lag_ms`] = metric(s.lagMs, "ms", "backlog at the end of the step, in seconds of arrivals");
    metrics[`ramp.${s.offeredPerS}.event_loop_utilization_pct`] = metric(s.elu * 100, "%", "main thread's event-loop utilization during the step");
  }
  const rampTable: ReportTable = {
    id: "week5_stress_results",
    title: `Stress (${STRESS_CSV_NAME}): ingestBlocks at rising offered rates, ${plan.statementsPerBlock}-statement v2 blocks, ${plan.stepSeconds} s per step`,
    columns: [
      { key: "offered", label: "offered/s", align: "right" },
      { key: "achieved", label: "ingested/s", align: "right" },
      { key: "lag", label: "backlog", align: "right" },
      { key: "sustained", label: "sustained" },
      { key: "elu", label: "event loop", align: "right" },
      { key: "node", label: "Node CPU", align: "right" },
      { key: "pg", label: "PG CPU", align: "right" },
      { key: "rss", label: "RSS", align: "right" },
    ],
    rows: steps.map((s) => ({
      offered: String(s.offeredPerS),
      achieved: formatNumber(s.achievedPerS),
      lag: `${formatNumber(s.lagMs)} ms`,
      sustained: s.sustained ? "yes" : "NO (break)",
      elu: `${formatNumber(s.elu * 100)}%`,
      node: `${formatNumber(s.nodeCpuPerS / 10)}%`,
      pg: s.pgCpuPerS === null ? "n/a" : `${formatNumber(s.pgCpuPerS / 10)}%`,
      rss: `${formatNumber(s.rssMb)} MB`,
    })),
    notes: [
      broke ? `Broke at ${broke.offeredPerS} blocks/s: ${bottleneck(broke)}.` : `No break up to ${plan.rates[plan.rates.length - 1]} blocks/s.`,
      "CPU columns are % of one core (the machine has two, shared). Backlog = arrivals not yet ingested at the step's end, as time.",
    ],
  };
  const sizeTable: ReportTable = {
    id: "stress-block-size",
    title: `Largest v2 block validated within ${VALIDATION_BUDGET_MS} ms (server suite, median of ${plan.validations})`,
    columns: [
      { key: "n", label: "statements", align: "right" },
      { key: "ms", label: "validate", align: "right" },
      { key: "within", label: "≤ 100 ms" },
    ],
    rows: size.probes.map((p) => ({ n: String(p.statements), ms: `${formatNumber(p.validateMs)} ms`, within: p.within ? "yes" : "no" })),
    notes: [`Largest within the budget: ${size.largest} statements; RSS ${formatNumber(size.rssMb)} MB, heap ${formatNumber(size.heapUsedMb)} MB.`],
  };
  return {
    stage: "stress",
    title: "Stress: ingest until it breaks, largest block within 100 ms",
    measurements: [],
    metrics,
    tables: [rampTable, sizeTable],
    plan_rows: { week5_stress_results: stressPlanRows(plan, steps, size.probes) },
    notes: [
      broke ? `What broke first: ${bottleneck(broke)} at ${broke.offeredPerS} blocks/s offered (${formatNumber(broke.achievedPerS)} ingested/s).` : "The ramp's top rate held; raise FULL.rates to find the break.",
      ...(context.quick ? ["--quick: tiny blocks and rates; shape only."] : []),
    ],
  };
}

export const stressStage: BenchStage = {
  id: "stress",
  title: "Stress: ingest until it breaks, largest block within 100 ms",
  description: "ramp of offered blocks/s into ingestBlocks on a fresh PostgreSQL database until the backlog grows; largest v2 block validated within 100 ms",
  runsByDefault: false,
  run: runStress,
};
