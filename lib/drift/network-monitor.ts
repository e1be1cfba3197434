/**
 * Network drift from node reports: mean propagation time and mean peer count over each node's latest report, and
 * the orphan rate over every report, all within a window of the radar's clock.
 *   propagation above the limit, or orphan rate above the limit → HIGH;
 *   a low peer count alone → MEDIUM (a thin network is a risk, not yet a failure).
 */
import type { DriftFinding, Severity } from "./drift-event";
import type { NodeReport } from "./node-report";
import type { NetworkThresholds } from "./radar-thresholds";

export interface NetworkSummary {
  reports: number;
  nodes: number;
  avg_propagation_ms: number | null;
  avg_peer_count: number | null;
  orphan_rate: number | null;
}

export class NetworkMonitor {
  private reports: NodeReport[] = [];

  constructor(private readonly t: NetworkThresholds) {}

  add(report: NodeReport): void {
    this.reports.push(report);
  }

  summary(nowSeconds: number): NetworkSummary {
    const cutoff = nowSeconds - this.t.window_seconds;
    this.reports = this.reports.filter((r) => r.observed_at >= cutoff);
    const latest = new Map<string, NodeReport>();
    for (const r of this.reports) {
      const seen = latest.get(r.node_id);
      if (!seen || seen.observed_at <= r.observed_at) latest.set(r.node_id, r);
    }
    const nodes = [...latest.values()];
    const received = this.reports.reduce((s, r) => s + r.blocks_received, 0);
    const orphans = this.reports.reduce((s, r) => s + r.orphan_blocks, 0);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    return {
      reports: this.reports.length,
      nodes: nodes.length,
      avg_propagation_ms: avg(nodes.map((r) => r.propagation_ms)),
      avg_peer_count: avg(nodes.map((r) => r.peer_count)),
      orphan_rate: received > 0 ? orphans / received : null,
    };
  }

  /** The findings that hold now; `tip` is the block they are filed against. */
  evaluate(nowSeconds: number, tip: { block_number: number | null; block_hash: string | null }): DriftFinding[] {
    const s = this.summary(nowSeconds);
    if (s.reports < this.t.min_reports) return [];
    const out: DriftFinding[] = [];
    const add = (what: string, severity: Severity, message: string, details: Record<string, unknown>) =>
      out.push({
        condition: `network:${what}`,
        group: `network:${what}`,
        drift_category: "network",
        severity,
        block_number: tip.block_number,
        block_hash: tip.block_hash,
        message,
        details: { ...details, reports: s.reports, nodes: s.nodes, window_seconds: this.t.window_seconds },
      });
    if (s.avg_propagation_ms !== null && s.avg_propagation_ms > this.t.max_propagation_ms) {
      add("propagation", "HIGH", `Network drift: mean propagation ${Math.round(s.avg_propagation_ms)} ms (limit ${this.t.max_propagation_ms} ms)`, {
        avg_propagation_ms: round(s.avg_propagation_ms),
        max_propagation_ms: this.t.max_propagation_ms,
      });
    }
    if (s.orphan_rate !== null && s.orphan_rate > this.t.max_orphan_rate) {
      add("orphan_rate", "HIGH", `Network drift: orphan rate ${(s.orphan_rate * 100).toFixed(1)}% (limit ${(this.t.max_orphan_rate * 100).toFixed(1)}%)`, {
        orphan_rate: round(s.orphan_rate),
        max_orphan_rate: this.t.max_orphan_rate,
      });
    }
    if (s.avg_peer_count !== null && s.avg_peer_count < this.t.min_peer_count) {
      add("peer_count", "MEDIUM", `Low peer count: ${s.avg_peer_count.toFixed(1)} peers on average (minimum ${this.t.min_peer_count})`, {
        avg_peer_count: round(s.avg_peer_count),
        min_peer_count: this.t.min_peer_count,
      });
    }
    return out;
  }

  /** The groups judged at `nowSeconds` (none while there are too few reports to judge). */
  groupsObserved(nowSeconds: number): string[] {
    return this.summary(nowSeconds).reports >= this.t.min_reports ? ["network:propagation", "network:orphan_rate", "network:peer_count"] : [];
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
