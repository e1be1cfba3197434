/**
 * Everything the radar page shows, in one object: the plan's dashboard JSON, the health reasons, per-monitor time
 * series, open and recent events, the delivery log and the active silences. The live stream
 * (app/api/v1/radar/stream) pushes a fresh snapshot to every open page when the radar has worked, so no tab polls.
 */
import type pg from "pg";
import { SEVERITIES } from "../../lib/drift/drift-event";
import { getDashboardData, type DashboardData } from "./dashboard-data";
import { deliveryLog, type DeliveryLogEntry } from "./delivery-log";
import { listDriftEvents, type StoredDriftEvent } from "./drift-event-repository";
import { listSilences, type StoredSilence } from "./alert-silences";
import { getChainStatus } from "../chain/chain-status";

export interface RadarSeriesPoint {
  block_number: number;
  validation_ms: number | null;
  sealing_ms: number | null;
  overhead_percent: number | null;
  block_bytes: number | null;
  valid: number;
}

export interface NetworkPoint {
  /** Unix seconds (start of a 10 s bucket). */
  t: number;
  avg_propagation_ms: number;
  avg_peer_count: number;
  orphan_rate: number;
}

export interface AlertBucket {
  /** Unix seconds (start of a one-minute bucket). */
  t: number;
  CRITICAL: number;
  HIGH: number;
  MEDIUM: number;
  LOW: number;
}

export interface RadarSnapshot {
  dashboard: DashboardData;
  health_reasons: string[];
  blocks: RadarSeriesPoint[];
  network: NetworkPoint[];
  alerts_by_minute: AlertBucket[];
  open_events: StoredDriftEvent[];
  recent_events: StoredDriftEvent[];
  deliveries: DeliveryLogEntry[];
  silences: StoredSilence[];
}

export async function getRadarSnapshot(pool: pg.Pool, options: { expectedIntervalSeconds: number }): Promise<RadarSnapshot> {
  const now = Date.now() / 1000;
  const [{ dashboard_data }, status, blocks, network, alerts, open, recent, deliveries, silences] = await Promise.all([
    getDashboardData(pool, options),
    getChainStatus(pool, options),
    pool.query<RadarSeriesPoint>(
      `SELECT block_number, validation_ms, sealing_ms, block_bytes, (verdict = 'VALID')::int AS valid,
              (block_bytes - legacy_block_bytes)::float8 / NULLIF(legacy_block_bytes, 0) * 100 AS overhead_percent
       FROM (SELECT * FROM block_observations WHERE outcome = 'stored' ORDER BY id DESC LIMIT 200) r ORDER BY id`,
    ),
    pool.query<NetworkPoint>(
      `SELECT floor(extract(epoch FROM received_at) / 10) * 10 AS t, avg(propagation_ms) AS avg_propagation_ms, avg(peer_count)::float8 AS avg_peer_count,
              coalesce(sum(orphan_blocks)::float8 / NULLIF(sum(blocks_received), 0), 0) AS orphan_rate
       FROM node_reports WHERE received_at > now() - interval '15 minutes' GROUP BY 1 ORDER BY 1`,
    ),
    pool.query<{ t: number; severity: string; n: number }>(
      "SELECT floor(timestamp / 60) * 60 AS t, severity, count(*)::int AS n FROM drift_events WHERE timestamp > $1 GROUP BY 1, 2 ORDER BY 1",
      [now - 3600],
    ),
    listDriftEvents(pool, { open: true, limit: 100 }),
    listDriftEvents(pool, { limit: 50 }),
    deliveryLog(pool, { limit: 50 }),
    listSilences(pool, now),
  ]);
  const buckets = new Map<number, AlertBucket>();
  for (const r of alerts.rows) {
    const t = Number(r.t);
    const b = buckets.get(t) ?? { t, CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
    if ((SEVERITIES as readonly string[]).includes(r.severity)) b[r.severity as keyof Omit<AlertBucket, "t">] += r.n;
    buckets.set(t, b);
  }
  return {
    dashboard: dashboard_data,
    health_reasons: status.health_reasons,
    blocks: blocks.rows.map((r) => ({ ...r, block_number: Number(r.block_number) })),
    network: network.rows.map((r) => ({ t: Number(r.t), avg_propagation_ms: Number(r.avg_propagation_ms), avg_peer_count: Number(r.avg_peer_count), orphan_rate: Number(r.orphan_rate) })),
    alerts_by_minute: [...buckets.values()],
    open_events: open,
    recent_events: recent,
    deliveries,
    silences,
  };
}
