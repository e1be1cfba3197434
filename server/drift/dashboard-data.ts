/**
 * GET /api/v1/dashboard: the plan's dashboard JSON (PLAN.md §3 "Dashboard JSON Schema"), key for key, computed from
 * the last 1000 block observations, the node reports of the last few minutes and the drift events. Its
 * current_block, current_epoch and network_health are GET /api/v1/status's (one getChainStatus), so the two agree.
 */
import type pg from "pg";
import { findEpoch } from "../../lib/consensus/epochs";
import { algorithmInfo } from "../../lib/crypto/hash-algorithms";
import type { Violation } from "../../lib/consensus/violations";
import type { EventSource, GovernanceAlertKind, Severity } from "../../lib/drift/drift-event";
import { categoryOfViolation } from "../../lib/drift/violation-categories";
import { createSingleFlightPerOwner } from "../../lib/async/single-flight";
import { getChainStatus, type ChainStatus } from "../chain/chain-status";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { listDriftEvents } from "./drift-event-repository";

/**
 * One alert of recent_alerts: the plan's five keys, then drift_category and block_number, then where it comes from:
 * `source` "radar" (drift_category one of the seven, kind null) or "governance" (drift_category null, kind
 * EMERGENCY_DECLARED or ROLLBACK_EXECUTED: a council decision routed as CRITICAL).
 */
export interface DashboardAlert {
  event_id: string;
  timestamp: number;
  severity: Severity;
  message: string;
  resolved: boolean;
  drift_category: string | null;
  block_number: number | null;
  source: EventSource;
  kind: GovernanceAlertKind | null;
}

export interface DashboardData {
  timestamp: number;
  current_block: number | null;
  current_epoch: { start_block: number; algorithm_id: number; algorithm_name: string; rule_version: string } | null;
  network_health: ChainStatus["network_health"];
  metrics: {
    algorithm_monitoring: { mismatch_count_last_1000: number; expected_algorithm_distribution: Record<string, number> };
    consistency_monitoring: { consistency_rate: number | null; validation_success_rate: number | null };
    lineage_monitoring: { legacy_chain_valid: boolean; pq_chain_valid: boolean; drift_alerts: DashboardAlert[] };
    performance_monitoring: { avg_sealing_time_ms: number | null; avg_validation_time_ms: number | null; p95_sealing_time_ms: number | null };
    storage_monitoring: { avg_block_size_bytes: number | null; storage_overhead_percent: number | null };
    network_monitoring: { avg_propagation_time_ms: number | null; avg_peer_count: number | null; orphan_rate: number | null };
  };
  recent_alerts: DashboardAlert[];
}

/** Node reports count for the network figures when they arrived within this window. */
export const NETWORK_WINDOW_SECONDS = 120;
const round = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** Concurrent callers share one computation (lib/async/single-flight.ts), as getChainStatus's do. */
const coalesced = createSingleFlightPerOwner<{ dashboard_data: DashboardData }>();

export async function getDashboardData(pool: pg.Pool, options: { expectedIntervalSeconds: number; nowMs?: number }): Promise<{ dashboard_data: DashboardData }> {
  if (options.nowMs !== undefined) return computeDashboardData(pool, options);
  return coalesced(pool, String(options.expectedIntervalSeconds), () => computeDashboardData(pool, options));
}

async function computeDashboardData(pool: pg.Pool, options: { expectedIntervalSeconds: number; nowMs?: number }): Promise<{ dashboard_data: DashboardData }> {
  const [status, epochs, observations, network, alerts, lineage] = await Promise.all([
    getChainStatus(pool, options),
    loadEpochRegistry(pool),
    // The last 1000 observations read once for every figure drawn from them (one round trip, not three).
    pool.query<{
      n: number;
      valid: number;
      avg_seal: number | null;
      p95_seal: number | null;
      avg_val: number | null;
      avg_bytes: number | null;
      overhead: number | null;
      flagged: Violation[][];
      numbers: number[];
    }>(
      `WITH recent AS (SELECT * FROM block_observations ORDER BY id DESC LIMIT 1000)
       SELECT count(*)::int AS n, count(*) FILTER (WHERE verdict = 'VALID')::int AS valid,
              avg(sealing_ms) AS avg_seal, percentile_cont(0.95) WITHIN GROUP (ORDER BY sealing_ms) AS p95_seal,
              avg(validation_ms) AS avg_val, avg(block_bytes)::float8 AS avg_bytes,
              avg((block_bytes - legacy_block_bytes)::float8 / NULLIF(legacy_block_bytes, 0)) * 100 AS overhead,
              coalesce(jsonb_agg(violations) FILTER (WHERE violations IS NOT NULL), '[]'::jsonb) AS flagged,
              coalesce(array_agg(block_number::int) FILTER (WHERE block_number IS NOT NULL), '{}') AS numbers
       FROM recent`,
    ),
    pool.query<{ avg_propagation: number | null; avg_peers: number | null; received: number | null; orphans: number | null }>(
      `WITH recent AS (SELECT * FROM node_reports WHERE received_at > now() - make_interval(secs => $1)),
            latest AS (SELECT DISTINCT ON (node_id) * FROM recent ORDER BY node_id, id DESC)
       SELECT (SELECT avg(propagation_ms) FROM latest) AS avg_propagation, (SELECT avg(peer_count)::float8 FROM latest) AS avg_peers,
              (SELECT sum(blocks_received)::float8 FROM recent) AS received, (SELECT sum(orphan_blocks)::float8 FROM recent) AS orphans`,
      [NETWORK_WINDOW_SECONDS],
    ),
    listDriftEvents(pool, { limit: 20 }),
    listDriftEvents(pool, { category: "lineage", open: true, limit: 20 }),
  ]);
  const a = observations.rows[0];
  let mismatches = 0;
  let inconsistent = 0;
  for (const violations of a.flagged) {
    const categories = new Set(violations.map(categoryOfViolation));
    if (categories.has("algorithm_mismatch")) mismatches++;
    if (categories.has("consistency")) inconsistent++;
  }
  // The algorithm each of the last 1000 blocks had to use, by its epoch; every algorithm of the registry is listed.
  const distribution: Record<string, number> = {};
  for (const e of epochs) distribution[e.algorithm_name] ??= 0;
  if (!("SHA-256" in distribution)) distribution["SHA-256"] = 0;
  for (const block_number of a.numbers) {
    const epoch = findEpoch(epochs, Number(block_number));
    if (epoch) distribution[epoch.algorithm_name] = (distribution[epoch.algorithm_name] ?? 0) + 1;
  }
  const toAlert = (e: (typeof alerts)[number]): DashboardAlert => ({
    event_id: e.event_id,
    timestamp: e.timestamp,
    severity: e.severity,
    message: e.message,
    resolved: e.resolved,
    drift_category: e.drift_category,
    block_number: e.block_number,
    source: e.source,
    kind: e.kind,
  });
  const net = network.rows[0];
  const epoch = status.current_epoch;
  return {
    dashboard_data: {
      timestamp: status.timestamp,
      current_block: status.current_block,
      current_epoch: epoch
        ? { start_block: epoch.start_block, algorithm_id: epoch.algorithm_id, algorithm_name: algorithmInfo(epoch.algorithm_id).name, rule_version: epoch.rule_version }
        : null,
      network_health: status.network_health,
      metrics: {
        algorithm_monitoring: { mismatch_count_last_1000: mismatches, expected_algorithm_distribution: distribution },
        consistency_monitoring: {
          consistency_rate: a.n ? round(1 - inconsistent / a.n, 4) : null,
          validation_success_rate: a.n ? round(a.valid / a.n, 4) : null,
        },
        lineage_monitoring: {
          legacy_chain_valid: !lineage.some((e) => e.details.legacy_chain_valid === false),
          pq_chain_valid: !lineage.some((e) => e.details.pq_chain_valid === false),
          drift_alerts: lineage.map(toAlert),
        },
        performance_monitoring: {
          avg_sealing_time_ms: round(a.avg_seal),
          avg_validation_time_ms: round(a.avg_val),
          p95_sealing_time_ms: round(a.p95_seal),
        },
        storage_monitoring: { avg_block_size_bytes: round(a.avg_bytes, 1), storage_overhead_percent: round(a.overhead, 2) },
        network_monitoring: {
          avg_propagation_time_ms: round(net.avg_propagation, 1),
          avg_peer_count: round(net.avg_peers, 2),
          orphan_rate: net.received ? round((net.orphans ?? 0) / net.received, 4) : null,
        },
      },
      recent_alerts: alerts.map(toAlert),
    },
  };
}
