/** Worker liveness: each worker upserts its heartbeat row every few seconds; /api/health reports the age. */
import type pg from "pg";

export async function beat(pool: pg.Pool, workerId: string, role: string, nodeId: string | null = null): Promise<void> {
  await pool.query(
    `INSERT INTO worker_heartbeats (worker_id, role, pid, last_beat_at, started_at, node_id) VALUES ($1, $2, $3, now(), now(), $4)
     ON CONFLICT (worker_id) DO UPDATE SET last_beat_at = now(), pid = EXCLUDED.pid, node_id = EXCLUDED.node_id`,
    [workerId, role, process.pid, nodeId],
  );
}

/**
 * The relay id the node's freshest worker runs with, or null when no worker recorded one. A CLI in another shell
 * cannot derive it from its own environment: the default id names the web server's PORT, which the shell may not set.
 */
export async function recordedNodeId(pool: pg.Pool): Promise<string | null> {
  const { rows } = await pool.query<{ node_id: string }>("SELECT node_id FROM worker_heartbeats WHERE node_id IS NOT NULL ORDER BY last_beat_at DESC LIMIT 1");
  return rows[0]?.node_id ?? null;
}

/** A scalar subquery: seconds since the freshest heartbeat of any worker, NULL when none ever beat. */
export const HEARTBEAT_AGE_SQL = "(SELECT extract(epoch FROM now() - max(last_beat_at))::float8 FROM worker_heartbeats)";

/** Seconds since the freshest heartbeat of any worker, or null when none ever beat. */
export async function heartbeatAgeSeconds(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query<{ age: number | null }>(`SELECT ${HEARTBEAT_AGE_SQL} AS age`);
  return rows[0].age === null ? null : Number(rows[0].age);
}

export async function removeHeartbeat(pool: pg.Pool, workerId: string): Promise<void> {
  await pool.query("DELETE FROM worker_heartbeats WHERE worker_id = $1", [workerId]);
}
