/**
 * Governance alerts through the radar's routing, durably across processes (issue 8 §3). Governance decides in the
 * web process (or the CLI); alert delivery runs where the radar runs (the worker, or `mathledger-cli radar`). So the
 * hand-over is a transactional outbox in PostgreSQL rather than a call:
 *
 *  1. recordGovernanceAlert runs INSIDE the governance transaction that takes the decision (the 5th council signature
 *     of a declaration, or the rollback): it stores the CRITICAL event in drift_events and its id in alert_inbox.
 *     Both commit with the decision or not at all, so an alert can be neither lost (the decision committed, the
 *     process died before sending) nor sent for a decision that was rolled back.
 *  2. The radar's tick (server/drift/radar-runner.ts), in its own transaction, takes the inbox rows (DELETE ...
 *     RETURNING, SKIP LOCKED) and hands the events to the alerting sink, which writes their deliveries and pg-boss
 *     jobs (server/drift/alert-outbox.ts). A crash before that commit leaves the inbox rows in place; after it, the
 *     jobs are durable and retried, each with its idempotency key per (event, channel).
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { governanceAlertEvent, type GovernanceDecision } from "../../lib/drift/governance-alert";
import type { AlertEvent } from "../../lib/drift/drift-event";
import { canonicalTipNumber } from "../chain/epoch-registry";
import { getDriftEvents, insertDriftEvents, type StoredDriftEvent } from "./drift-event-repository";

/** Stores a governance decision's CRITICAL alert and queues it for routing, in the caller's transaction. */
export async function recordGovernanceAlert(client: pg.PoolClient, decision: GovernanceDecision): Promise<AlertEvent> {
  const tip = await canonicalTipNumber(client);
  const event = governanceAlertEvent(decision, { eventId: randomUUID(), tip: tip < 0 ? null : tip });
  await insertDriftEvents(client, [event]);
  await client.query("INSERT INTO alert_inbox (event_id) VALUES ($1)", [event.event_id]);
  // The live radar page refreshes at once (the notification is delivered on commit only).
  await client.query("SELECT pg_notify('radar', $1)", [JSON.stringify({ governance: event.kind })]);
  return event;
}

/** Inbox rows taken per radar tick. */
const INBOX_BATCH = 100;

/**
 * Takes the events waiting in the inbox, in the caller's transaction (the rows come back if it rolls back). Rows
 * another transaction is taking are skipped, so two takers never route one event twice.
 */
export async function takeInbox(client: pg.PoolClient): Promise<StoredDriftEvent[]> {
  const { rows } = await client.query<{ event_id: string }>(
    `DELETE FROM alert_inbox WHERE event_id IN (SELECT event_id FROM alert_inbox ORDER BY created_at, event_id LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING event_id`,
    [INBOX_BATCH],
  );
  return getDriftEvents(client, rows.map((r) => r.event_id));
}
