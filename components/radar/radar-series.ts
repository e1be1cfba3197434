/**
 * Shapes a radar snapshot into chart series (one chart per monitor). Pure, so the numbers drawn are exactly the
 * snapshot's.
 */
import type { ChartSeries } from "@/components/charts/series";
import type { RadarSnapshot } from "@/server/drift/radar-snapshot";

export function radarSeries(s: RadarSnapshot) {
  const b = s.blocks;
  // Consistency: the share of valid blocks over a sliding window of the last 20 observed blocks.
  const rolling: { x: number; y: number }[] = [];
  for (let i = 0; i < b.length; i++) {
    const from = Math.max(0, i - 19);
    const window = b.slice(from, i + 1);
    rolling.push({ x: b[i].block_number, y: window.reduce((n, p) => n + p.valid, 0) / window.length });
  }
  const consistency: ChartSeries[] = [{ id: "valid", label: "valid share (last 20 blocks)", points: rolling }];
  const performance: ChartSeries[] = [
    { id: "validation", label: "validation ms", points: b.map((p) => ({ x: p.block_number, y: p.validation_ms })) },
    { id: "sealing", label: "sealing ms", points: b.map((p) => ({ x: p.block_number, y: p.sealing_ms })) },
  ];
  const storage: ChartSeries[] = [{ id: "overhead", label: "PQ overhead %", points: b.map((p) => ({ x: p.block_number, y: p.overhead_percent })) }];
  const network: ChartSeries[] = [
    { id: "propagation", label: "propagation ms", points: s.network.map((p) => ({ x: p.t * 1000, y: p.avg_propagation_ms })) },
  ];
  const orphans: ChartSeries[] = [
    { id: "orphan", label: "orphan rate", points: s.network.map((p) => ({ x: p.t * 1000, y: p.orphan_rate })) },
    { id: "peers", label: "peers / 100", points: s.network.map((p) => ({ x: p.t * 1000, y: p.avg_peer_count / 100 })) },
  ];
  const alerts: ChartSeries[] = (["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const).map((sev) => ({
    id: sev,
    label: sev,
    points: s.alerts_by_minute.map((a) => ({ x: a.t * 1000, y: a[sev] })),
  }));
  return { consistency, performance, storage, network, orphans, alerts };
}
