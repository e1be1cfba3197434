/**
 * The chain's status as the dashboard, GET /api/v1/status and `mathledger-cli node status` show it: the canonical
 * tip, the epoch in force and the next scheduled transition, health, throughput and totals.
 */
import type pg from "pg";
import { findEpoch, nextTransitionAfter, type Epoch } from "../../lib/consensus/epochs";
import { assessNetworkHealth, blocksPerMinuteInWindow, THROUGHPUT_WINDOW_MS, type NetworkHealth } from "../../lib/chain/network-health";
import { loadEpochRegistry } from "./epoch-registry";
import { createSingleFlightPerOwner } from "../../lib/async/single-flight";
import { HEARTBEAT_AGE_SQL } from "./heartbeat";

export interface EpochSummary {
  start_block: number;
  end_block: number | null;
  algorithm_id: number;
  algorithm_name: string;
  rule_version: string;
}

export interface ChainStatus {
  /** Unix seconds when the status was taken. */
  timestamp: number;
  current_block: number | null;
  current_block_hash: string | null;
  current_epoch: EpochSummary | null;
  next_transition: (EpochSummary & { blocks_remaining: number }) | null;
  network_health: NetworkHealth;
  health_reasons: string[];
  blocks_per_minute: number;
  seconds_since_last_block: number | null;
  worker_heartbeat_age_seconds: number | null;
  totals: { blocks: number; canonical: number; invalid: number; violations: number; reorgs: number };
  /** Violations by severity among the 100 most recently received blocks. */
  recent_violations: { CRITICAL: number; HIGH: number; MEDIUM: number; LOW: number };
  /** Open drift events by severity (the drift radar's; they count in network_health). */
  open_drift_events: { CRITICAL: number; HIGH: number; MEDIUM: number; LOW: number };
}

const summarize = (e: Epoch): EpochSummary => ({
  start_block: e.start_block,
  end_block: e.end_block,
  algorithm_id: e.algorithm_id,
  algorithm_name: e.algorithm_name,
  rule_version: e.rule_version,
});

interface StatusRow {
  block_number: number | null;
  legacy_hash: string | null;
  pq_hash: string | null;
  received_at: Date | null;
  window_blocks: number;
  window_oldest: Date | null;
  blocks: number | null;
  canonical: number | null;
  invalid: number | null;
  violations: number | null;
  reorgs: number | null;
  recent_violations: { severity: string; n: number }[];
  open_drift: { severity: string; drift_category: string; count: number }[];
  heartbeat_age: number | null;
}

/**
 * Everything but the epoch registry in one statement, so one status costs two round trips, not seven: with a pool of
 * five connections, fifty dashboards asking at once queued 350 queries (issue 6 §5). Each part keeps its own index:
 *  - the tip: backward scan of (block_number, canonical);
 *  - throughput: one aggregate over the received_at index, not every row of the window shipped to JavaScript;
 *  - totals: chain_totals, kept exact by triggers (the chain_totals migration), constant cost however long the chain;
 *  - violations by severity among the 100 most recently received blocks; open drift events; the freshest heartbeat.
 */
const STATUS_SQL = `
SELECT tip.block_number, tip.legacy_hash, tip.pq_hash, tip.received_at,
       w.n AS window_blocks, w.oldest AS window_oldest,
       t.blocks, t.canonical, t.invalid, t.violations, t.reorgs,
       (SELECT coalesce(json_agg(s), '[]'::json) FROM (
          SELECT v.severity, count(*)::int AS n FROM violations v
          JOIN (SELECT id FROM blocks ORDER BY received_at DESC, id DESC LIMIT 100) recent ON recent.id = v.block_id
          GROUP BY v.severity) s) AS recent_violations,
       (SELECT coalesce(json_agg(d), '[]'::json) FROM (
          -- A governance alert has no drift category: it is named by its kind ("governance EMERGENCY_DECLARED").
          SELECT severity, coalesce(drift_category, 'governance ' || coalesce(kind, 'event')) AS drift_category, count(*)::int AS count
          FROM drift_events WHERE NOT resolved GROUP BY 1, 2 ORDER BY 1, 2) d) AS open_drift,
       ${HEARTBEAT_AGE_SQL} AS heartbeat_age
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT block_number, legacy_hash, pq_hash, received_at FROM blocks WHERE canonical ORDER BY block_number DESC LIMIT 1) tip ON true
CROSS JOIN LATERAL (SELECT count(*)::int AS n, min(received_at) AS oldest FROM blocks WHERE canonical AND received_at > $1 AND received_at <= $2) w
LEFT JOIN chain_totals t ON t.id = 1`;

/** Concurrent callers with the same options share one computation (lib/async/single-flight.ts). */
const coalesced = createSingleFlightPerOwner<ChainStatus>();

export async function getChainStatus(pool: pg.Pool, options: { expectedIntervalSeconds: number; nowMs?: number }): Promise<ChainStatus> {
  // A caller that fixes the clock (tests) gets its own computation; live callers share the flight in progress.
  if (options.nowMs !== undefined) return computeChainStatus(pool, options.expectedIntervalSeconds, options.nowMs);
  return coalesced(pool, String(options.expectedIntervalSeconds), () => computeChainStatus(pool, options.expectedIntervalSeconds, Date.now()));
}

async function computeChainStatus(pool: pg.Pool, expectedIntervalSeconds: number, nowMs: number): Promise<ChainStatus> {
  const [epochs, { rows }] = await Promise.all([
    loadEpochRegistry(pool),
    pool.query<StatusRow>(STATUS_SQL, [new Date(nowMs - THROUGHPUT_WINDOW_MS), new Date(nowMs)]),
  ]);
  const row = rows[0];
  const tip = row.block_number === null ? null : { block_number: row.block_number, legacy_hash: row.legacy_hash as string, pq_hash: row.pq_hash, received_at: row.received_at as Date };
  const currentBlock = tip ? Number(tip.block_number) : null;
  const epoch = currentBlock === null ? epochs[0] : findEpoch(epochs, currentBlock);
  const next = nextTransitionAfter(epochs, currentBlock ?? -1);
  const recent_violations = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const r of row.recent_violations) recent_violations[r.severity as keyof typeof recent_violations] = r.n;
  const secondsSinceLastBlock = tip ? Math.max(0, (nowMs - tip.received_at.getTime()) / 1000) : null;
  const health = assessNetworkHealth({
    heartbeatAgeSeconds: row.heartbeat_age,
    secondsSinceLastBlock,
    expectedIntervalSeconds,
    recentViolations: recent_violations,
    openDrift: row.open_drift,
  });
  const usesPq = epoch !== undefined && epoch.rule_version !== "v1-legacy";
  return {
    timestamp: nowMs / 1000,
    current_block: currentBlock,
    current_block_hash: tip ? (usesPq && tip.pq_hash ? tip.pq_hash : tip.legacy_hash) : null,
    current_epoch: epoch ? summarize(epoch) : null,
    next_transition: next ? { ...summarize(next.to), blocks_remaining: next.block_number - (currentBlock ?? -1) } : null,
    network_health: health.health,
    health_reasons: health.reasons,
    blocks_per_minute: blocksPerMinuteInWindow(row.window_blocks, row.window_oldest?.getTime() ?? null, nowMs),
    seconds_since_last_block: secondsSinceLastBlock === null ? null : Math.round(secondsSinceLastBlock * 10) / 10,
    worker_heartbeat_age_seconds: row.heartbeat_age === null ? null : Math.round(row.heartbeat_age * 10) / 10,
    totals:
      row.blocks === null
        ? { blocks: 0, canonical: 0, invalid: 0, violations: 0, reorgs: 0 }
        : { blocks: row.blocks, canonical: row.canonical ?? 0, invalid: row.invalid ?? 0, violations: row.violations ?? 0, reorgs: row.reorgs ?? 0 },
    recent_violations,
    open_drift_events: countBySeverity(row.open_drift),
  };
}

function countBySeverity(rows: readonly { severity: string; count: number }[]): ChainStatus["open_drift_events"] {
  const out = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const r of rows) if (r.severity in out) out[r.severity as keyof typeof out] += r.count;
  return out;
}
