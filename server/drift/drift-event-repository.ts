/**
 * drift_events in PostgreSQL: rows ↔ the plan's DriftEvent, plus the operator's acknowledgement and resolution.
 * The table also holds governance alerts (source "governance", drift_category null: lib/drift/governance-alert.ts),
 * so they are shown, acknowledged and routed exactly like the radar's events.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import type { AlertEvent, DriftCategory, DriftEvent, EventSource, GovernanceAlertKind, Severity } from "../../lib/drift/drift-event";

export interface StoredDriftEvent extends AlertEvent {
  source: EventSource;
  kind: GovernanceAlertKind | null;
  seq: number;
  resolved_by: string | null;
  resolution_note: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/** A drift_events row: the event's own fields (the plan's schema) and the operator's bookkeeping. */
interface EventRow extends AlertEvent {
  source: EventSource;
  kind: GovernanceAlertKind | null;
  seq: number;
  resolved_by: string | null;
  resolution_note: string | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

const COLUMNS =
  "seq, event_id, timestamp, drift_category, severity, block_number, block_hash, message, details, resolved, resolution_timestamp, source, kind, resolved_by, resolution_note, acknowledged_at, acknowledged_by";

function fromRow(r: EventRow): StoredDriftEvent {
  return {
    event_id: r.event_id,
    timestamp: r.timestamp,
    drift_category: r.drift_category,
    severity: r.severity,
    block_number: r.block_number,
    block_hash: r.block_hash,
    message: r.message,
    details: r.details,
    resolved: r.resolved,
    resolution_timestamp: r.resolution_timestamp,
    source: r.source,
    kind: r.kind,
    seq: Number(r.seq),
    resolved_by: r.resolved_by,
    resolution_note: r.resolution_note,
    acknowledged_at: r.acknowledged_at ? r.acknowledged_at.toISOString() : null,
    acknowledged_by: r.acknowledged_by,
  };
}

type Db = pg.Pool | pg.PoolClient;

/** Inserts raised events (an event id already stored is left alone). Events without a source are the radar's. */
export async function insertDriftEvents(db: Db, events: readonly AlertEvent[]): Promise<void> {
  if (events.length === 0) return;
  const col = <T>(f: (e: AlertEvent) => T) => events.map(f);
  await db.query(
    `INSERT INTO drift_events (event_id, timestamp, drift_category, severity, block_number, block_hash, message, details, resolved, resolution_timestamp, source, kind)
     SELECT * FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::jsonb[], $9::bool[], $10::float8[], $11::text[], $12::text[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      col((e) => e.event_id),
      col((e) => e.timestamp),
      col((e) => e.drift_category),
      col((e) => e.severity),
      col((e) => e.block_number),
      col((e) => e.block_hash),
      col((e) => e.message),
      col((e) => JSON.stringify(e.details)),
      col((e) => e.resolved),
      col((e) => e.resolution_timestamp),
      col((e) => e.source ?? "radar"),
      col((e) => e.kind ?? null),
    ],
  );
}

/**
 * Marks events resolved by the radar (only those still open: an operator's resolution is kept). Returns the ids it
 * resolved, so an event an operator resolved first is not reported as resolved by the radar.
 */
export async function autoResolveDriftEvents(db: Db, events: readonly DriftEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const { rows } = await db.query<{ event_id: string }>(
    `UPDATE drift_events d SET resolved = true, resolution_timestamp = x.ts, resolved_by = 'auto',
            resolution_note = 'condition clear for the configured number of observations'
     FROM unnest($1::text[], $2::float8[]) AS x(id, ts) WHERE d.event_id = x.id AND NOT d.resolved
     RETURNING d.event_id`,
    [events.map((e) => e.event_id), events.map((e) => e.resolution_timestamp ?? 0)],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** The radar's open events (what its monitors restore after a restart; governance alerts are not theirs). */
export async function loadOpenDriftEvents(db: Db): Promise<(StoredDriftEvent & DriftEvent)[]> {
  const { rows } = await db.query<EventRow>(`SELECT ${COLUMNS} FROM drift_events WHERE NOT resolved AND source = 'radar' ORDER BY seq`);
  return rows.map(fromRow).filter((e): e is StoredDriftEvent & DriftEvent => e.drift_category !== null);
}

/** Which of `eventIds` are resolved in the table (by an operator, or by another process). One index probe per id. */
export async function resolvedAmong(db: Db, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<{ event_id: string }>("SELECT event_id FROM drift_events WHERE event_id = ANY($1::text[]) AND resolved", [eventIds]);
  return rows.map((r) => r.event_id);
}

/** Stored events by id (order not kept). */
export async function getDriftEvents(db: Db, eventIds: readonly string[]): Promise<StoredDriftEvent[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<EventRow>(`SELECT ${COLUMNS} FROM drift_events WHERE event_id = ANY($1::text[]) ORDER BY seq`, [eventIds]);
  return rows.map(fromRow);
}

export interface DriftEventFilter {
  category?: DriftCategory;
  severity?: Severity;
  open?: boolean;
  afterSeq?: number;
  limit?: number;
}

/** Newest first (oldest first when `afterSeq` is given, for a live feed). */
export async function listDriftEvents(db: Db, f: DriftEventFilter = {}): Promise<StoredDriftEvent[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.category) where.push(`drift_category = ${arg(f.category)}`);
  if (f.severity) where.push(`severity = ${arg(f.severity)}`);
  if (f.open) where.push("NOT resolved");
  if (f.afterSeq !== undefined) where.push(`seq > ${arg(f.afterSeq)}`);
  const order = f.afterSeq !== undefined ? "seq ASC" : "seq DESC";
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM drift_events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ${arg(Math.min(f.limit ?? 100, 1000))}`,
    args,
  );
  return rows.map(fromRow);
}

export async function getDriftEvent(db: Db, eventId: string): Promise<StoredDriftEvent> {
  const { rows } = await db.query<EventRow>(`SELECT ${COLUMNS} FROM drift_events WHERE event_id = $1`, [eventId]);
  if (!rows[0]) throw new AppError("NOT_FOUND", `no drift event ${JSON.stringify(eventId)}`);
  return fromRow(rows[0]);
}

/** An operator acknowledges an event (it stays open). Acknowledging twice keeps the first acknowledgement. */
export async function acknowledgeDriftEvent(db: Db, eventId: string, by: string): Promise<StoredDriftEvent> {
  await getDriftEvent(db, eventId);
  await db.query("UPDATE drift_events SET acknowledged_at = now(), acknowledged_by = $2 WHERE event_id = $1 AND acknowledged_at IS NULL", [eventId, by]);
  return getDriftEvent(db, eventId);
}

/** An operator resolves an event with a note (required: the next operator must know why). */
export async function resolveDriftEvent(db: Db, eventId: string, by: string, note: string, nowSeconds: number): Promise<StoredDriftEvent> {
  const trimmed = note.trim();
  if (trimmed.length === 0) throw new AppError("INVALID_INPUT", "a resolution needs a note saying why the event is resolved");
  if (trimmed.length > 2000) throw new AppError("INVALID_INPUT", `the resolution note is ${trimmed.length} characters; the limit is 2000`);
  const event = await getDriftEvent(db, eventId);
  if (event.resolved) throw new AppError("CONFLICT", `drift event ${eventId} is already resolved (${event.resolved_by ?? "unknown"})`);
  await db.query(
    "UPDATE drift_events SET resolved = true, resolution_timestamp = $2, resolved_by = $3, resolution_note = $4 WHERE event_id = $1 AND NOT resolved",
    [eventId, nowSeconds, by, trimmed],
  );
  return getDriftEvent(db, eventId);
}
