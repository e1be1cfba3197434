/** The alert delivery log (alert_deliveries), for the radar page and the CLI; kept apart from the senders. */
import type pg from "pg";

type Db = pg.Pool | pg.PoolClient;

export interface DeliveryLogEntry {
  id: number;
  event_id: string;
  channel: string;
  target: string;
  idempotency_key: string;
  status: string;
  folded_count: number;
  folded_into: number | null;
  reason: string | null;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** The delivery log (newest first), for one event or all. */
export async function deliveryLog(db: Db, options: { eventId?: string; limit?: number } = {}): Promise<DeliveryLogEntry[]> {
  const { rows } = await db.query(
    `SELECT id, event_id, channel, target, idempotency_key, status, folded_count, folded_into, reason, attempts, last_error, created_at, sent_at
     FROM alert_deliveries ${options.eventId ? "WHERE event_id = $2" : ""} ORDER BY id DESC LIMIT $1`,
    options.eventId ? [options.limit ?? 100, options.eventId] : [options.limit ?? 100],
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    folded_into: r.folded_into === null ? null : Number(r.folded_into),
    created_at: (r.created_at as Date).toISOString(),
    sent_at: r.sent_at ? (r.sent_at as Date).toISOString() : null,
  }));
}
