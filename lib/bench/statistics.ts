/**
 * Descriptive statistics for benchmark samples: order statistics, spread, and the derived figures reports print.
 *
 * Quantiles interpolate linearly between closest ranks (Hyndman & Fan 1996, definition 7: R's default, NumPy's
 * "linear"): the q-quantile of n sorted samples sits at rank (n - 1)·q, so median([1, 2, 3, 4]) = 2.5 and the 95th
 * percentile of [1..5] is 4.8. Benchmarks report the median because it ignores the occasional slow sample (a GC pause,
 * another process taking the core) that drags a mean upwards; p95 and the MAD say how noisy the run was.
 *
 * Pure functions of their arguments (no clock, no I/O), so a dashboard page can reuse them in the browser.
 * Every function refuses an empty sample or a non-finite value with a RangeError rather than returning NaN.
 */

function requireSamples(samples: readonly number[], what: string): void {
  if (samples.length === 0) throw new RangeError(`${what} of no samples is undefined`);
  for (const x of samples) {
    if (!Number.isFinite(x)) throw new RangeError(`${what}: sample ${x} is not a finite number`);
  }
}

/** A sorted copy (ascending); the input is left untouched. */
export function sortedCopy(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

/** The q-quantile (0 ≤ q ≤ 1) of samples already sorted ascending (definition 7, see the module comment). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  requireSamples(sorted, "quantile");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside 0..1`);
  const rank = (sorted.length - 1) * q;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** The q-quantile (0 ≤ q ≤ 1) of unsorted samples. */
export function quantile(samples: readonly number[], q: number): number {
  return quantileSorted(sortedCopy(samples), q);
}

/** The p-th percentile (0 ≤ p ≤ 100). */
export function percentile(samples: readonly number[], p: number): number {
  return quantile(samples, p / 100);
}

/** The median (the 0.5-quantile; the mean of the two middle samples when n is even). */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** The arithmetic mean. */
export function mean(samples: readonly number[]): number {
  requireSamples(samples, "mean");
  let sum = 0;
  for (const x of samples) sum += x;
  return sum / samples.length;
}

/** The sample standard deviation (divisor n - 1); 0 for a single sample. */
export function standardDeviation(samples: readonly number[]): number {
  const m = mean(samples);
  if (samples.length === 1) return 0;
  let sq = 0;
  for (const x of samples) sq += (x - m) ** 2;
  return Math.sqrt(sq / (samples.length - 1));
}

/** The median absolute deviation from the median (unscaled): a spread measure that outliers barely move. */
export function medianAbsoluteDeviation(samples: readonly number[]): number {
  const m = median(samples);
  return median(samples.map((x) => Math.abs(x - m)));
}

/** Everything a report says about one set of samples, in the samples' own unit. */
export interface SampleSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  p95: number;
  p99: number;
  stddev: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
}

/** Summarizes samples (sorted once; the input is left untouched). */
export function summarize(samples: readonly number[]): SampleSummary {
  const sorted = sortedCopy(samples);
  requireSamples(sorted, "summary");
  return {
    count: sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: mean(sorted),
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    stddev: standardDeviation(sorted),
    mad: medianAbsoluteDeviation(sorted),
  };
}

function requirePositive(value: number, what: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive finite number, got ${value}`);
}

/** value / baseline: how many times the baseline a value is (2 = twice as slow, for times). */
export function ratio(value: number, baseline: number): number {
  requirePositive(baseline, "baseline");
  if (!Number.isFinite(value)) throw new RangeError(`value must be finite, got ${value}`);
  return value / baseline;
}

/** How much larger value is than baseline, in percent: (value - baseline) / baseline · 100 (negative when smaller). */
export function overheadPercent(baseline: number, value: number): number {
  return (ratio(value, baseline) - 1) * 100;
}

/** Throughput in MB/s with MB = 10^6 bytes (as hash benchmarks and ../shared/STACK.md quote it). */
export function throughputMBps(bytes: number, seconds: number): number {
  requirePositive(seconds, "duration");
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`byte count must be a non-negative finite number, got ${bytes}`);
  return bytes / seconds / 1e6;
}
