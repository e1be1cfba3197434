/** Worker liveness: each worker upserts its heartbeat row every few seconds; /api/health reports the age. */
import type pg from "pg";

export async function beat(pool: pg.Pool, workerId: string, role: string): Promise<void> {
  await pool.query(
    `INSERT INTO worker_heartbeats (worker_id, role, pid, last_beat_at, started_at) VALUES ($1, $2, $3, now(), now())
     ON CONFLICT (worker_id) DO UPDATE SET last_beat_at = now(), pid = EXCLUDED.pid`,
    [workerId, role, process.pid],
  );
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
