/**
 * What happens to a drift event between the radar and people, Alertmanager-style (pure rules; the outbox in
 * server/drift applies them inside the radar's transaction):
 *
 *  - inhibition: a lineage event explains the consistency and commitment events at the same height (a block on a
 *    broken link fails its other checks too), so those are stored and shown but not sent;
 *  - silences: an operator mutes events matching every matcher of a silence until it expires;
 *  - throttling per (severity, category) and channel: the first event of a group is sent at once and opens a window
 *    of the route's throttle_seconds; later events of the group inside the window are folded into the window's next
 *    delivery as a count ("and 37 more"). CRITICAL routes have no window (the plan: no throttling for critical).
 */
import type { AlertEvent } from "./drift-event";

export const INHIBITED_BY_LINEAGE = ["consistency", "commitment"] as const;

/**
 * The event that inhibits `event` among `others` (open or just raised), or null: a lineage event at the same block
 * height inhibits consistency and commitment events there.
 */
export function inhibitor(event: Pick<AlertEvent, "drift_category" | "block_number">, others: readonly Pick<AlertEvent, "event_id" | "drift_category" | "block_number" | "resolved">[]): string | null {
  if (event.drift_category === null || !(INHIBITED_BY_LINEAGE as readonly string[]).includes(event.drift_category) || event.block_number === null) return null;
  const source = others.find((o) => o.drift_category === "lineage" && !o.resolved && o.block_number === event.block_number);
  return source ? source.event_id : null;
}

export const SILENCE_FIELDS = ["drift_category", "severity", "block_number", "message"] as const;
export type SilenceField = (typeof SILENCE_FIELDS)[number];

export interface SilenceMatcher {
  name: SilenceField;
  value: string;
  /** Match `value` as a regular expression over the whole field (anchored), as Alertmanager's =~. */
  regex?: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  /** Unix seconds. */
  starts_at: number;
  ends_at: number;
}

function fieldText(event: Pick<AlertEvent, SilenceField>, name: SilenceField): string {
  const v = event[name];
  return v === null ? "" : String(v);
}

/** True when `silence` is active at `now` and every matcher matches the event. */
export function silenceMatches(silence: Silence, event: Pick<AlertEvent, SilenceField>, now: number): boolean {
  if (now < silence.starts_at || now >= silence.ends_at || silence.matchers.length === 0) return false;
  return silence.matchers.every((m) => {
    const text = fieldText(event, m.name);
    if (!m.regex) return text === m.value;
    try {
      return new RegExp(`^(?:${m.value})$`).test(text);
    } catch {
      return false;
    }
  });
}

/** The id of the first active silence that matches the event, or null. */
export function silencedBy(event: Pick<AlertEvent, SilenceField>, silences: readonly Silence[], now: number): string | null {
  return silences.find((s) => silenceMatches(s, event, now))?.id ?? null;
}

/** What an event is about, for groups and texts: its drift category, or for a governance alert its kind. */
export function alertTopic(event: Pick<AlertEvent, "drift_category" | "source" | "kind">): string {
  return event.drift_category ?? `governance ${event.kind ?? "event"}`;
}

/** The throttle group of an event on a channel. */
export function throttleGroup(event: Pick<AlertEvent, "severity" | "drift_category" | "source" | "kind">, channel: string): string {
  return `${event.severity}/${event.drift_category ?? `governance:${event.kind ?? "event"}`}/${channel}`;
}

export interface ThrottleWindow {
  /** Unix seconds. */
  ends_at: number;
}

/** "send" when no window of the group is open at `now` (or the route has none), "fold" otherwise. */
export function throttleDecision(window: ThrottleWindow | null, now: number, throttleSeconds: number): "send" | "fold" {
  if (throttleSeconds <= 0) return "send";
  return window && now < window.ends_at ? "fold" : "send";
}

/** The subject line and text of one alert (with the events folded into it since the last delivery, if any). */
export function alertText(
  event: Pick<AlertEvent, "severity" | "drift_category" | "block_number" | "message" | "event_id" | "details" | "source" | "kind">,
  folded = 0,
): { subject: string; text: string } {
  const more = folded > 0 ? ` (and ${folded} more)` : "";
  const topic = alertTopic(event);
  const subject = `[MathLedger ${event.severity}] ${topic} at block ${event.block_number ?? "?"}: ${event.message}${more}`;
  const text = [
    event.drift_category === null ? `${event.severity} ${topic} (block ${event.block_number ?? "unknown"})` : `${event.severity} ${topic} drift at block ${event.block_number ?? "unknown"}`,
    event.message,
    folded > 0 ? `${folded} more event(s) of this group were folded into this alert by the throttle window.` : null,
    `event id: ${event.event_id}`,
    `details: ${JSON.stringify(event.details)}`,
  ]
    .filter((x) => x !== null)
    .join("\n");
  return { subject, text };
}
