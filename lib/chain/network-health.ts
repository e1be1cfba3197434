/**
 * The network health shown on the dashboard and in GET /api/v1/status (`network_health`, as in the plan's dashboard
 * schema). A pure rule over a few observations, so the web page, the API and the CLI agree:
 *
 *   CRITICAL  a CRITICAL violation among the last received blocks, or no worker heartbeat for 60 s
 *   DEGRADED  any other blocking violation among them, or no new canonical block for 10 expected intervals
 *   HEALTHY   otherwise
 *
 * The drift radar refines this later; the thresholds are arguments so it can.
 */
export type NetworkHealth = "HEALTHY" | "DEGRADED" | "CRITICAL";

export interface HealthObservations {
  /** Seconds since the freshest worker heartbeat; null when no worker ever ran. */
  heartbeatAgeSeconds: number | null;
  /** Seconds since the canonical tip was received; null on an empty chain. */
  secondsSinceLastBlock: number | null;
  /** The interval at which blocks are expected (devnet interval), in seconds. */
  expectedIntervalSeconds: number;
  /** Violations by severity among the recently received blocks. */
  recentViolations: { CRITICAL: number; HIGH: number; MEDIUM: number; LOW: number };
}

export interface HealthThresholds {
  heartbeatCriticalSeconds: number;
  stallIntervals: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { heartbeatCriticalSeconds: 60, stallIntervals: 10 };

export interface HealthAssessment {
  health: NetworkHealth;
  reasons: string[];
}

export function assessNetworkHealth(o: HealthObservations, t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthAssessment {
  const critical: string[] = [];
  const degraded: string[] = [];
  if (o.heartbeatAgeSeconds === null) critical.push("no worker has ever reported a heartbeat");
  else if (o.heartbeatAgeSeconds > t.heartbeatCriticalSeconds) critical.push(`no worker heartbeat for ${Math.round(o.heartbeatAgeSeconds)} s`);
  if (o.recentViolations.CRITICAL > 0) critical.push(`${o.recentViolations.CRITICAL} CRITICAL violation(s) among recent blocks`);
  const other = o.recentViolations.HIGH + o.recentViolations.MEDIUM;
  if (other > 0) degraded.push(`${other} HIGH/MEDIUM violation(s) among recent blocks`);
  const stallAfter = o.expectedIntervalSeconds * t.stallIntervals;
  if (o.secondsSinceLastBlock === null) degraded.push("no block yet");
  else if (o.secondsSinceLastBlock > stallAfter) degraded.push(`no new block for ${Math.round(o.secondsSinceLastBlock)} s (expected every ${o.expectedIntervalSeconds} s)`);
  if (critical.length) return { health: "CRITICAL", reasons: [...critical, ...degraded] };
  if (degraded.length) return { health: "DEGRADED", reasons: degraded };
  return { health: "HEALTHY", reasons: [] };
}

/**
 * Blocks per minute from the receive times (ms) of recent blocks: the blocks received in the window ending at
 * `nowMs`, over the time since the oldest of them (so a chain younger than the window is not under-reported, and a
 * stalled one decays towards zero).
 */
export function blocksPerMinute(receivedAtMs: readonly number[], nowMs: number, windowMs = THROUGHPUT_WINDOW_MS): number {
  const inWindow = receivedAtMs.filter((t) => t > nowMs - windowMs && t <= nowMs);
  return blocksPerMinuteInWindow(inWindow.length, inWindow.length ? Math.min(...inWindow) : null, nowMs);
}

/** The window blocks per minute are measured over. */
export const THROUGHPUT_WINDOW_MS = 5 * 60_000;

/**
 * blocksPerMinute from what a database aggregate gives (how many blocks arrived in the window, and the oldest one's
 * time): the count over the time since the oldest block, at least 10 s so one block just in does not read as 360/min.
 */
export function blocksPerMinuteInWindow(count: number, oldestMs: number | null, nowMs: number): number {
  if (count === 0 || oldestMs === null) return 0;
  const spanMs = Math.max(60_000 / 6, nowMs - oldestMs);
  return Math.round((count / (spanMs / 60_000)) * 10) / 10;
}
