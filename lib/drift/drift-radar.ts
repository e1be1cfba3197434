/**
 * The drift radar (the plan's DriftAggregator): runs the seven monitors over every block observation and node
 * report, turns findings into DriftEvents, and resolves them by itself.
 *
 *  - One event per condition while it holds: a slow-validation run raises one event, not one per slow block;
 *    consensus findings are per block (each faulty block is its own event).
 *  - Auto-resolution: every observation in which a monitor looked at a group and found nothing counts as clean for
 *    that group; after `resolve_after_clean` clean observations in a row, every open event of the group is resolved.
 *  - State (open events) survives a restart through `restore`; baselines rebuild from the blocks that follow.
 *
 * Pure: the clock and the id source are arguments, and nothing here does I/O.
 */
import type { BlockObservation } from "./block-observation";
import { CONSENSUS_MONITORS } from "./consensus-monitors";
import { CONSENSUS_CATEGORIES, type DriftEvent, type DriftFinding } from "./drift-event";
import { NetworkMonitor } from "./network-monitor";
import type { NodeReport } from "./node-report";
import { PerformanceMonitor } from "./performance-monitor";
import { DEFAULT_RADAR_THRESHOLDS, type RadarThresholds } from "./radar-thresholds";
import { StorageMonitor } from "./storage-monitor";

export interface RadarClock {
  /** Unix seconds (fractional). */
  now: () => number;
  /** A fresh, unique event id. */
  newId: () => string;
}

export interface RadarOutput {
  raised: DriftEvent[];
  /** Events resolved by this observation (resolved = true, resolution_timestamp set). */
  resolved: DriftEvent[];
}

interface OpenEvent {
  event: DriftEvent;
  condition: string;
  group: string;
}

/** The auto-resolution group of a stored event (consensus events: their category; others: details.group). */
export function groupOfEvent(event: Pick<DriftEvent, "drift_category" | "details">): string {
  if ((CONSENSUS_CATEGORIES as readonly string[]).includes(event.drift_category)) return event.drift_category;
  const g = event.details?.radar_group;
  return typeof g === "string" ? g : event.drift_category;
}

export class DriftRadar {
  readonly performance: PerformanceMonitor;
  readonly storage: StorageMonitor;
  readonly network: NetworkMonitor;
  private readonly open = new Map<string, OpenEvent>();
  private readonly clean = new Map<string, number>();
  private tip: { block_number: number | null; block_hash: string | null } = { block_number: null, block_hash: null };
  private lastNetworkEvaluation = -Infinity;

  constructor(
    private readonly clock: RadarClock,
    readonly thresholds: RadarThresholds = DEFAULT_RADAR_THRESHOLDS,
  ) {
    this.performance = new PerformanceMonitor(thresholds.performance);
    this.storage = new StorageMonitor(thresholds.storage);
    this.network = new NetworkMonitor(thresholds.network);
  }

  /** Re-opens events stored by an earlier run, so they resolve (and are not raised twice) after a restart. */
  restore(events: readonly DriftEvent[]): void {
    for (const event of events) {
      if (event.resolved) continue;
      const condition = typeof event.details?.radar_condition === "string" ? event.details.radar_condition : `restored:${event.event_id}`;
      this.open.set(condition, { event, condition, group: groupOfEvent(event) });
    }
  }

  openEvents(): DriftEvent[] {
    return [...this.open.values()].map((o) => o.event);
  }

  observeBlock(obs: BlockObservation): RadarOutput {
    if (obs.outcome === "stored" && obs.verdict === "VALID") this.tip = { block_number: obs.block_number, block_hash: obs.block_hash };
    const findings: DriftFinding[] = [];
    for (const monitor of CONSENSUS_MONITORS) {
      const f = monitor(obs);
      if (f) findings.push(f);
    }
    findings.push(...this.performance.observe(obs), ...this.storage.observe(obs));
    const observed = [...CONSENSUS_CATEGORIES, ...this.performance.groupsObserved(), ...this.storage.groupsObserved(obs)];
    // The network state changes only with reports and time; judging it once a second is enough (and keeps a bulk
    // import of thousands of blocks a second from re-reading the report window for each).
    const now = this.clock.now();
    if (now - this.lastNetworkEvaluation >= 1) {
      this.lastNetworkEvaluation = now;
      findings.push(...this.network.evaluate(now, this.tip));
      observed.push(...this.network.groupsObserved(now));
    }
    return this.apply(findings, observed);
  }

  observeNodeReport(report: NodeReport): RadarOutput {
    this.network.add(report);
    const now = this.clock.now();
    this.lastNetworkEvaluation = now;
    return this.apply(this.network.evaluate(now, this.tip), this.network.groupsObserved(now));
  }

  /**
   * Operator resolution: forgets the open event so its condition can raise a new one. Returns false when the radar
   * did not hold it open (already resolved, or raised by another process).
   */
  forget(eventId: string): boolean {
    for (const [condition, o] of this.open) {
      if (o.event.event_id === eventId) {
        this.open.delete(condition);
        return true;
      }
    }
    return false;
  }

  private apply(findings: DriftFinding[], observed: string[]): RadarOutput {
    const out: RadarOutput = { raised: [], resolved: [] };
    const firing = new Set(findings.map((f) => f.group));
    for (const f of findings) {
      this.clean.set(f.group, 0);
      if (this.open.has(f.condition)) continue;
      const event: DriftEvent = {
        event_id: this.clock.newId(),
        timestamp: this.clock.now(),
        drift_category: f.drift_category,
        severity: f.severity,
        block_number: f.block_number,
        block_hash: f.block_hash,
        message: f.message,
        details: { ...f.details, radar_condition: f.condition, radar_group: f.group },
        resolved: false,
        resolution_timestamp: null,
      };
      this.open.set(f.condition, { event, condition: f.condition, group: f.group });
      out.raised.push(event);
    }
    for (const group of new Set(observed)) {
      if (firing.has(group)) continue;
      const n = (this.clean.get(group) ?? 0) + 1;
      this.clean.set(group, n);
      if (n < this.thresholds.resolve_after_clean) continue;
      for (const [condition, o] of this.open) {
        if (o.group !== group) continue;
        this.open.delete(condition);
        out.resolved.push({ ...o.event, resolved: true, resolution_timestamp: this.clock.now() });
      }
    }
    return out;
  }
}
