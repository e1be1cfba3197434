/**
 * Performance drift: sealing and validation time per block against a rolling baseline.
 *
 * The baseline is the last `window` samples judged normal (its p50 and p95 are reported). A sample is slow when it
 * exceeds max(p95 × factor, p95 + min_excess_ms); after `consecutive_blocks` slow samples in a row, i.e. once the
 * p95 of the recent run itself exceeds the baseline by the factor, the monitor finds drift (HIGH). Slow samples are
 * kept out of the baseline, so sustained drift does not teach the baseline to accept it.
 */
import { quantileSorted } from "../bench/statistics";
import type { BlockObservation } from "./block-observation";
import type { DriftFinding } from "./drift-event";
import type { PerformanceThresholds } from "./radar-thresholds";

export const PERFORMANCE_METRICS = ["sealing_ms", "validation_ms"] as const;
export type PerformanceMetric = (typeof PERFORMANCE_METRICS)[number];

class RollingBaseline {
  private readonly samples: number[] = [];
  private sorted: number[] | null = null;
  constructor(private readonly size: number) {}
  push(x: number): void {
    this.samples.push(x);
    if (this.samples.length > this.size) this.samples.shift();
    this.sorted = null;
  }
  get length(): number {
    return this.samples.length;
  }
  quantile(q: number): number {
    this.sorted ??= [...this.samples].sort((a, b) => a - b);
    return quantileSorted(this.sorted, q);
  }
}

export class PerformanceMonitor {
  private readonly baselines = new Map<PerformanceMetric, RollingBaseline>();
  private readonly slowRun = new Map<PerformanceMetric, number[]>();
  /** The metrics judged by the last observe (a metric still warming its baseline is not judged). */
  private judged: PerformanceMetric[] = [];

  constructor(private readonly t: PerformanceThresholds) {
    for (const m of PERFORMANCE_METRICS) {
      this.baselines.set(m, new RollingBaseline(t.window));
      this.slowRun.set(m, []);
    }
  }

  /** Baseline p50/p95 per metric (null until there are samples), for the dashboard. */
  baseline(metric: PerformanceMetric): { p50: number; p95: number; samples: number } | null {
    const b = this.baselines.get(metric)!;
    return b.length ? { p50: b.quantile(0.5), p95: b.quantile(0.95), samples: b.length } : null;
  }

  observe(obs: BlockObservation): DriftFinding[] {
    const out: DriftFinding[] = [];
    this.judged = [];
    for (const metric of PERFORMANCE_METRICS) {
      const x = obs.timings?.[metric];
      if (x === null || x === undefined || !Number.isFinite(x) || x < 0) continue;
      const base = this.baselines.get(metric)!;
      const run = this.slowRun.get(metric)!;
      if (base.length < this.t.min_samples) {
        base.push(x);
        continue;
      }
      this.judged.push(metric);
      const p50 = base.quantile(0.5);
      const p95 = base.quantile(0.95);
      const threshold = Math.max(p95 * this.t.factor, p95 + this.t.min_excess_ms);
      if (x <= threshold) {
        run.length = 0;
        base.push(x);
        continue;
      }
      run.push(x);
      if (run.length < this.t.consecutive_blocks) continue;
      const recent = [...run.slice(-this.t.consecutive_blocks)].sort((a, b) => a - b);
      const recentP95 = quantileSorted(recent, 0.95);
      const label = metric === "sealing_ms" ? "sealing" : "validation";
      out.push({
        condition: `performance:${metric}`,
        group: `performance:${metric}`,
        drift_category: "performance",
        severity: "HIGH",
        block_number: obs.block_number,
        block_hash: obs.block_hash,
        message: `Performance drift detected: ${label} p95 ${recentP95.toFixed(1)} ms over the last ${recent.length} blocks against a baseline p95 of ${p95.toFixed(1)} ms (limit ×${this.t.factor})`,
        details: {
          metric,
          baseline_p50_ms: round(p50),
          baseline_p95_ms: round(p95),
          recent_p95_ms: round(recentP95),
          threshold_ms: round(threshold),
          factor: this.t.factor,
          consecutive_blocks: this.t.consecutive_blocks,
          baseline_samples: base.length,
        },
      });
    }
    return out;
  }

  /**
   * Groups judged by the last observe (for auto-resolution). While a baseline warms up (after a restart) nothing is
   * judged, so a restored event is not resolved by blocks that were never compared with anything.
   */
  groupsObserved(): string[] {
    return this.judged.map((m) => `performance:${m}`);
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
