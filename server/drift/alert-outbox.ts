/**
 * The alert outbox: turns the events the radar raised into delivery rows and queued jobs (in the radar's own
 * transaction), sends them, and flushes throttle windows. The rules are lib/drift/alert-policy.ts's; this module
 * keeps their state in PostgreSQL (alert_deliveries, alert_throttle_windows, alert_silences).
 */
import type pg from "pg";
import type { AlertEvent, DriftEvent } from "../../lib/drift/drift-event";
import { inhibitor, silencedBy, throttleDecision, throttleGroup, type Silence } from "../../lib/drift/alert-policy";
import type { AlertChannel, RadarAlertConfig } from "../../lib/drift/radar-config";
import type { Severity } from "../../lib/drift/drift-event";
import type { AlertQueue } from "./alert-queue";
import { sendDelivery, type DeliveryJob } from "./alert-channels";
import { getDriftEvent } from "./drift-event-repository";

type Db = pg.Pool | pg.PoolClient;

export function idempotencyKey(eventId: string, channel: string): string {
  return `${eventId}:${channel}`;
}

function targetsOf(config: RadarAlertConfig, channel: AlertChannel): string[] {
  if (channel === "network_broadcast") return (config.channels.network_broadcast?.endpoints ?? []).map((e) => e.url);
  return [""];
}

/** A broadcast endpoint is throttled on its own (a down peer must not hold back the others' windows). */
function groupKeyOf(event: AlertEvent, channel: string, target: string): string {
  return target ? `${throttleGroup(event, channel)}/${target}` : throttleGroup(event, channel);
}

export async function activeSilences(db: Db, now: number): Promise<Silence[]> {
  const { rows } = await db.query<{ id: string; matchers: Silence["matchers"]; starts_at: number; ends_at: number }>(
    "SELECT id, matchers, starts_at, ends_at FROM alert_silences WHERE ends_at > $1 AND starts_at <= $1",
    [now],
  );
  return rows;
}

/**
 * Routes freshly raised events (the radar's sink, inside its transaction): one row per (event, channel, target),
 * "pending" with its job, or "folded" / "silenced" / "inhibited" with the reason. Governance alerts (a council
 * decision taken by 5 of 7 members) are never silenced or inhibited: an operator's silence of noisy drift must not
 * mute an emergency declaration or a rollback.
 */
export async function enqueueAlerts(client: pg.PoolClient, raised: readonly AlertEvent[], config: RadarAlertConfig, queue: AlertQueue, now: number): Promise<void> {
  if (!config.sending || raised.length === 0) return;
  const silences = await activeSilences(client, now);
  const heights = [...new Set(raised.map((e) => e.block_number).filter((n): n is number => n !== null))];
  const { rows: openLineage } = await client.query<Pick<DriftEvent, "event_id" | "drift_category" | "block_number" | "resolved">>(
    "SELECT event_id, drift_category, block_number, resolved FROM drift_events WHERE drift_category = 'lineage' AND NOT resolved AND block_number = ANY($1::int[])",
    [heights],
  );
  const context = [...raised.filter((e) => e.drift_category === "lineage").map((e) => ({ ...e, resolved: false })), ...openLineage];
  for (const event of raised) {
    const route = config.routing[event.severity];
    const governance = event.source === "governance";
    const muted = governance ? null : inhibitor(event, context);
    const silence = muted || governance ? null : silencedBy(event, silences, now);
    for (const channel of route.channels) {
      if (channel === "dashboard") continue;
      for (const target of targetsOf(config, channel)) {
        const group = groupKeyOf(event, channel, target);
        const insert = (status: string, reason: string | null) =>
          client.query<{ id: number }>(
            `INSERT INTO alert_deliveries (event_id, channel, target, idempotency_key, status, group_key, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id, channel, target) DO NOTHING RETURNING id`,
            [event.event_id, channel, target, idempotencyKey(event.event_id, channel), status, group, reason],
          );
        if (muted) {
          await insert("inhibited", `inhibited by lineage event ${muted} at the same height`);
          continue;
        }
        if (silence) {
          await insert("silenced", `silenced by ${silence}`);
          continue;
        }
        const { rows: windows } = await client.query<{ ends_at: number }>("SELECT ends_at FROM alert_throttle_windows WHERE group_key = $1 FOR UPDATE", [group]);
        if (throttleDecision(windows[0] ?? null, now, route.throttle_seconds) === "fold") {
          await insert("folded", null);
          continue;
        }
        const { rows } = await insert("pending", null);
        if (!rows[0]) continue;
        await queue.enqueueDelivery(client, Number(rows[0].id));
        if (route.throttle_seconds > 0) await openWindow(client, queue, group, now, route.throttle_seconds);
      }
    }
  }
}

async function openWindow(client: pg.PoolClient, queue: AlertQueue, group: string, now: number, seconds: number): Promise<void> {
  await client.query(
    `INSERT INTO alert_throttle_windows (group_key, starts_at, ends_at) VALUES ($1, $2, $3)
     ON CONFLICT (group_key) DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at`,
    [group, now, now + seconds],
  );
  await queue.scheduleFlush(client, group, seconds);
}

interface DeliveryRow {
  id: number;
  event_id: string;
  channel: DeliveryJob["channel"];
  target: string;
  idempotency_key: string;
  status: string;
  folded_count: number;
}

/**
 * Sends one pending delivery (the queue's handler). Sent rows are skipped, so a job run twice sends once unless the
 * process dies between sending and recording: then the receiver sees the same idempotency key twice.
 */
export async function deliver(pool: pg.Pool, config: RadarAlertConfig, deliveryId: number): Promise<"sent" | "skipped"> {
  const { rows } = await pool.query<DeliveryRow>(
    "SELECT id, event_id, channel, target, idempotency_key, status, folded_count FROM alert_deliveries WHERE id = $1",
    [deliveryId],
  );
  const row = rows[0];
  if (!row || row.status !== "pending") return "skipped";
  const event = await getDriftEvent(pool, row.event_id);
  try {
    await sendDelivery(config, {
      event,
      channel: row.channel,
      target: row.target,
      idempotencyKey: row.idempotency_key,
      foldedCount: row.folded_count,
      recipients: config.routing[event.severity].recipients,
    });
  } catch (error) {
    await pool.query("UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1", [deliveryId, (error as Error).message.slice(0, 500)]);
    throw error;
  }
  await pool.query("UPDATE alert_deliveries SET attempts = attempts + 1, status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1", [deliveryId]);
  return "sent";
}

/**
 * At the end of a throttle window: the latest folded event of the group is sent, carrying the count of the others
 * ("and N more"), and a new window opens; with nothing folded the window closes.
 */
export async function flushWindow(pool: pg.Pool, config: RadarAlertConfig, queue: AlertQueue, groupKey: string, now: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows: windows } = await client.query<{ ends_at: number }>("SELECT ends_at FROM alert_throttle_windows WHERE group_key = $1 FOR UPDATE", [groupKey]);
    const window = windows[0];
    let sent = 0;
    if (window && now + 0.5 < window.ends_at) {
      await queue.scheduleFlush(client, groupKey, window.ends_at - now); // ran early: come back at the end
    } else if (window) {
      const { rows: folded } = await client.query<{ id: number }>(
        "SELECT id FROM alert_deliveries WHERE group_key = $1 AND status = 'folded' AND folded_into IS NULL ORDER BY id",
        [groupKey],
      );
      if (folded.length === 0) {
        await client.query("DELETE FROM alert_throttle_windows WHERE group_key = $1", [groupKey]);
      } else {
        const carrier = Number(folded[folded.length - 1].id);
        await client.query("UPDATE alert_deliveries SET status = 'pending', folded_count = $2 WHERE id = $1", [carrier, folded.length - 1]);
        await client.query("UPDATE alert_deliveries SET folded_into = $1 WHERE id = ANY($2::bigint[]) AND id <> $1", [carrier, folded.map((f) => f.id)]);
        await queue.enqueueDelivery(client, carrier);
        const severity = groupKey.split("/")[0] as Severity;
        await openWindow(client, queue, groupKey, now, config.routing[severity]?.throttle_seconds ?? 300);
        sent = 1;
      }
    }
    await client.query("COMMIT");
    return sent;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
