/**
 * The chain's status as the dashboard, GET /api/v1/status and `mathledger-cli node status` show it: the canonical
 * tip, the epoch in force and the next scheduled transition, health, throughput and totals.
 */
import type pg from "pg";
import { findEpoch, nextTransitionAfter, type Epoch } from "../../lib/consensus/epochs";
import { assessNetworkHealth, blocksPerMinuteInWindow, THROUGHPUT_WINDOW_MS, type NetworkHealth } from "../../lib/chain/network-health";
import { loadEpochRegistry } from "./epoch-registry";
import { heartbeatAgeSeconds } from "./heartbeat";

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
}

const summarize = (e: Epoch): EpochSummary => ({
  start_block: e.start_block,
  end_block: e.end_block,
  algorithm_id: e.algorithm_id,
  algorithm_name: e.algorithm_name,
  rule_version: e.rule_version,
});

export async function getChainStatus(pool: pg.Pool, options: { expectedIntervalSeconds: number; nowMs?: number }): Promise<ChainStatus> {
  const nowMs = options.nowMs ?? Date.now();
  const [epochs, tipResult, recentResult, totalsResult, severityResult, heartbeatAge] = await Promise.all([
    loadEpochRegistry(pool),
    pool.query<{ block_number: number; legacy_hash: string; pq_hash: string | null; received_at: Date }>(
      "SELECT block_number, legacy_hash, pq_hash, received_at FROM blocks WHERE canonical ORDER BY block_number DESC LIMIT 1",
    ),
    // Throughput from one aggregate over the received_at index, not every row of the window shipped to JavaScript.
    pool.query<{ n: number; oldest: Date | null }>(
      "SELECT count(*)::int AS n, min(received_at) AS oldest FROM blocks WHERE canonical AND received_at > $1 AND received_at <= $2",
      [new Date(nowMs - THROUGHPUT_WINDOW_MS), new Date(nowMs)],
    ),
    // Totals kept exact by triggers (the chain_totals migration): constant cost however long the chain.
    pool.query<{ blocks: number; canonical: number; invalid: number; violations: number; reorgs: number }>(
      "SELECT blocks, canonical, invalid, violations, reorgs FROM chain_totals WHERE id = 1",
    ),
    pool.query<{ severity: string; n: number }>(
      `SELECT v.severity, count(*)::int AS n FROM violations v
       JOIN (SELECT id FROM blocks ORDER BY received_at DESC, id DESC LIMIT 100) recent ON recent.id = v.block_id
       GROUP BY v.severity`,
    ),
    heartbeatAgeSeconds(pool),
  ]);
  const tip = tipResult.rows[0] ?? null;
  const currentBlock = tip ? Number(tip.block_number) : null;
  const epoch = currentBlock === null ? epochs[0] : findEpoch(epochs, currentBlock);
  const next = nextTransitionAfter(epochs, currentBlock ?? -1);
  const recent_violations = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const r of severityResult.rows) recent_violations[r.severity as keyof typeof recent_violations] = r.n;
  const secondsSinceLastBlock = tip ? Math.max(0, (nowMs - tip.received_at.getTime()) / 1000) : null;
  const health = assessNetworkHealth({
    heartbeatAgeSeconds: heartbeatAge,
    secondsSinceLastBlock,
    expectedIntervalSeconds: options.expectedIntervalSeconds,
    recentViolations: recent_violations,
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
    blocks_per_minute: blocksPerMinuteInWindow(recentResult.rows[0].n, recentResult.rows[0].oldest?.getTime() ?? null, nowMs),
    seconds_since_last_block: secondsSinceLastBlock === null ? null : Math.round(secondsSinceLastBlock * 10) / 10,
    worker_heartbeat_age_seconds: heartbeatAge === null ? null : Math.round(heartbeatAge * 10) / 10,
    totals: totalsResult.rows[0] ?? { blocks: 0, canonical: 0, invalid: 0, violations: 0, reorgs: 0 },
    recent_violations,
  };
}
