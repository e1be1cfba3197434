/**
 * Prometheus-style latency histograms as plain data (the exposition format's histogram: cumulative `_bucket{le}`
 * counts, `_sum` and `_count`; https://prometheus.io/docs/concepts/metric_types/#histogram). Observations are
 * counted per bucket (non-cumulative) where they are made, so counts from many batches and processes add up; the
 * cumulative form is computed only when the histogram is exposed.
 */

/** Upper bounds, in seconds, of the per-block latency buckets (0.5 ms to 10 s); +Inf is implied. */
export const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10] as const;

export interface BucketCount {
  /** Upper bound in seconds (Infinity for the last bucket). */
  le: number;
  /** Observations in this bucket alone (greater than the previous bound, at most `le`). */
  count: number;
  /** Their total, in seconds. */
  sum: number;
}

/** Counts `values` (seconds) into the buckets; only buckets with observations are returned, in bound order. */
export function countIntoBuckets(values: readonly number[], bounds: readonly number[] = LATENCY_BUCKETS_SECONDS): BucketCount[] {
  const all = [...bounds, Infinity];
  const counts = all.map((le) => ({ le, count: 0, sum: 0 }));
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) continue;
    const i = all.findIndex((le) => v <= le);
    counts[i].count++;
    counts[i].sum += v;
  }
  return counts.filter((c) => c.count > 0);
}

export interface ExposedHistogram {
  /** Cumulative counts per bound, the last one +Inf (= count). */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

/** The exposition form of stored per-bucket counts: every bound listed, counts cumulative. */
export function cumulativeHistogram(stored: readonly BucketCount[], bounds: readonly number[] = LATENCY_BUCKETS_SECONDS): ExposedHistogram {
  const all = [...bounds, Infinity];
  let running = 0;
  let sum = 0;
  const buckets = all.map((le) => {
    for (const s of stored) if (s.le === le) running += s.count;
    return { le, count: running };
  });
  // Rows stored under a bound no longer listed (the bounds changed) still count in +Inf, _sum and _count.
  const total = stored.reduce((n, s) => n + s.count, 0);
  buckets[buckets.length - 1].count = total;
  for (const s of stored) sum += s.sum;
  return { buckets, sum, count: total };
}
