/**
 * The rate-limit counters in PostgreSQL (table rate_limit_counters). One statement counts a request and moves the
 * counter into a new window when the old one is over, so concurrent requests in any number of processes each get
 * a distinct count (the upsert takes the row lock; no read-then-write race).
 */
import type pg from "pg";

export interface CounterHit {
  /** Requests counted in the window, this one included. */
  hits: number;
  /** Start of the window the count belongs to (ms since the epoch). */
  windowStartMs: number;
}

/**
 * Counts one request of `key` in `bucket` for the window starting at `windowStartMs`.
 * A row still in an older window restarts at 1. A row already in a newer window (another process whose clock runs
 * ahead) keeps its window and counts this request there, so a window is never moved backwards.
 */
export async function hitCounter(pool: pg.Pool | pg.PoolClient, bucket: string, key: string, windowStartMs: number): Promise<CounterHit> {
  const { rows } = await pool.query<{ hits: number; window_start: Date }>(
    `INSERT INTO rate_limit_counters AS c (bucket, key, window_start, hits)
     VALUES ($1, $2, $3, 1)
     ON CONFLICT (bucket, key) DO UPDATE SET
       hits = CASE WHEN c.window_start >= EXCLUDED.window_start THEN c.hits + 1 ELSE 1 END,
       window_start = GREATEST(c.window_start, EXCLUDED.window_start)
     RETURNING hits, window_start`,
    [bucket, key, new Date(windowStartMs)],
  );
  return { hits: rows[0].hits, windowStartMs: rows[0].window_start.getTime() };
}

/** Deletes counters whose window started before `beforeMs` (they can no longer refuse anything). */
export async function pruneCounters(pool: pg.Pool, beforeMs: number): Promise<number> {
  const result = await pool.query(`DELETE FROM rate_limit_counters WHERE window_start < $1`, [new Date(beforeMs)]);
  return result.rowCount ?? 0;
}
