/**
 * The timing loop: warm-up, calibration and interleaved sampling of a group of cases.
 *
 * - Warm-up runs each case untimed for a while, so V8 has optimized it and the caches hold its data.
 * - Calibration picks how many calls one sample times, so a sample spans at least `minSampleMs` and the timer's
 *   resolution and the loop's own cost disappear in it (hashing 32 bytes takes well under a microsecond).
 * - Sampling interleaves the cases: round after round, every case takes one sample, starting each round at a
 *   different case. On a shared, noisy machine a burst of load then hits all cases of a group alike instead of
 *   whichever case happened to run at that moment, so ratios between them (dual over legacy, validation over bare
 *   hashing) stay meaningful even when absolute times drift.
 *
 * Results are per-call wall times in microseconds, one per sample; lib/bench/statistics.ts summarizes them. Where
 * the main thread's CPU clock is available (thread-clock.ts), the group also adds up the thread's time on a CPU and
 * its time waiting for one, which tells a slow result from a busy machine. That clock advances in scheduler ticks
 * (4 ms here), so it is only reported as a total over all of a case's samples, and only once they span at least
 * MIN_CPU_SPAN_MS (the tick error then stays around a percent).
 */
import { summarize } from "../../lib/bench/statistics";
import type { Measurement } from "../../lib/bench/bench-result";
import { linuxThreadClock, type ThreadClock } from "./thread-clock";

export interface SamplingPlan {
  /** Untimed running time per case before sampling. */
  warmupMs: number;
  /** Each sample batches calls until it lasts at least this long. */
  minSampleMs: number;
  /** Samples wanted per case. */
  samples: number;
  /** Samples every case must have before the time limit may end the group early. */
  minSamples: number;
  /** Soft time limit for the sampling rounds of the whole group. */
  maxMs: number;
}

export interface TimedCase {
  id: string;
  label: string;
  params: Record<string, string | number>;
  /** Input bytes per call, for MB/s; omit when throughput means nothing for the case. */
  bytesPerCall?: number;
  run: () => unknown;
}

/** Sampling time a case needs before its CPU-clock totals are reported (see the module comment). */
export const MIN_CPU_SPAN_MS = 250;

/** Holds the last result of every timed call, so the optimizer cannot prove a call useless and drop it. */
export let blackhole: unknown;

type Clock = () => number;

export interface MeasureClocks {
  /** Wall clock in milliseconds (default performance.now). */
  wall?: Clock;
  /** The main thread's CPU clock; default the Linux one where available, null to go without. */
  thread?: ThreadClock | null;
}

function timeCalls(run: () => unknown, iterations: number, clock: Clock): number {
  const start = clock();
  for (let i = 0; i < iterations; i++) blackhole = run();
  return clock() - start;
}

function warmUp(run: () => unknown, warmupMs: number, clock: Clock): void {
  const start = clock();
  let calls = 0;
  while (calls < 3 || clock() - start < warmupMs) {
    blackhole = run();
    calls++;
  }
}

/** Calls per sample so that one sample lasts at least `minSampleMs`. */
function calibrate(run: () => unknown, minSampleMs: number, clock: Clock): number {
  let iterations = 1;
  for (;;) {
    const elapsed = timeCalls(run, iterations, clock);
    if (elapsed >= minSampleMs) return iterations;
    // Aim 20% past the target from the rate just seen, but never grow more than 100× per step.
    const scaled = Math.ceil((iterations * minSampleMs * 1.2) / Math.max(elapsed, 1e-3));
    iterations = Math.min(Math.max(scaled, iterations * 2), iterations * 100);
  }
}

/** Measures a group of cases, interleaved (see the module comment). Returns one Measurement per case, in order. */
export function measureGroup(cases: readonly TimedCase[], plan: SamplingPlan, clocks: MeasureClocks = {}): Measurement[] {
  const clock = clocks.wall ?? (() => performance.now());
  const thread = clocks.thread === undefined ? linuxThreadClock() : clocks.thread;
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error("measureGroup: case ids must be unique within a group");
  for (const c of cases) warmUp(c.run, plan.warmupMs, clock);
  const iterations = cases.map((c) => calibrate(c.run, plan.minSampleMs, clock));
  const samples: number[][] = cases.map(() => []);
  const onCpuNs = cases.map(() => 0);
  const waitNs = cases.map(() => 0);
  const wallMs = cases.map(() => 0);
  const start = clock();
  for (let round = 0; ; round++) {
    const done = samples.every((s) => s.length >= plan.samples);
    const outOfTime = clock() - start > plan.maxMs && samples.every((s) => s.length >= plan.minSamples);
    if (done || outOfTime) break;
    for (let k = 0; k < cases.length; k++) {
      const i = (round + k) % cases.length;
      if (samples[i].length >= plan.samples) continue;
      const before = thread?.();
      const elapsedMs = timeCalls(cases[i].run, iterations[i], clock);
      const after = thread?.();
      samples[i].push((elapsedMs * 1000) / iterations[i]);
      wallMs[i] += elapsedMs;
      if (before && after) {
        onCpuNs[i] += after.onCpuNs - before.onCpuNs;
        waitNs[i] += after.waitNs - before.waitNs;
      }
    }
  }
  return cases.map((c, i) => {
    const cpuKnown = thread !== null && wallMs[i] >= MIN_CPU_SPAN_MS;
    const calls = samples[i].length * iterations[i];
    return {
      id: c.id,
      label: c.label,
      params: c.params,
      bytes_per_call: c.bytesPerCall ?? null,
      iterations_per_sample: iterations[i],
      us: summarize(samples[i]),
      cpu_us_per_call: cpuKnown ? onCpuNs[i] / 1000 / calls : null,
      runqueue_wait_pct: cpuKnown ? Math.min(100, (waitNs[i] / 1e6 / wallMs[i]) * 100) : null,
    };
  });
}
