import { describe, expect, it } from "vitest";
import type { RadarSnapshot } from "@/server/drift/radar-snapshot";
import { radarSeries } from "./radar-series";

const point = (n: number, valid: number) => ({ block_number: n, validation_ms: n / 10, sealing_ms: null, overhead_percent: 25, block_bytes: 500, valid });

describe("radarSeries", () => {
  it("shapes one series set per monitor from the snapshot, valid share over the last 20 blocks", () => {
    const blocks = Array.from({ length: 30 }, (_, i) => point(i, i === 25 ? 0 : 1));
    const s = radarSeries({
      blocks,
      network: [{ t: 100, avg_propagation_ms: 200, avg_peer_count: 8, orphan_rate: 0.01 }],
      alerts_by_minute: [{ t: 60, CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 0 }],
    } as unknown as RadarSnapshot);
    expect(s.consistency[0].points[24].y).toBe(1);
    expect(s.consistency[0].points[25].y).toBe(19 / 20);
    expect(s.consistency[0].points[29].y).toBe(19 / 20);
    expect(s.performance[0].points[10]).toEqual({ x: 10, y: 1 });
    expect(s.performance[1].points[10]).toEqual({ x: 10, y: null });
    expect(s.storage[0].points[0]).toEqual({ x: 0, y: 25 });
    expect(s.network[0].points).toEqual([{ x: 100_000, y: 200 }]);
    expect(s.orphans[1].points).toEqual([{ x: 100_000, y: 0.08 }]);
    expect(s.alerts.map((a) => [a.id, a.points[0].y])).toEqual([["CRITICAL", 1], ["HIGH", 0], ["MEDIUM", 2], ["LOW", 0]]);
  });
});
