/**
 * POST /api/v1/radar/actions: an operator acknowledges, resolves (with a note) or silences. The body is one action:
 *   {"action": "ack", "event_id"}                                   acknowledge (the event stays open)
 *   {"action": "resolve", "event_id", "note"}                       resolve with a note
 *   {"action": "silence", "matchers", "duration_seconds", "comment"} silence matching events until expiry
 *   {"action": "expire_silence", "silence_id"}                      end a silence now
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { acknowledgeDriftEvent, resolveDriftEvent } from "./drift-event-repository";
import { createSilence, expireSilence } from "./alert-silences";

const str = (v: unknown, name: string, max = 200): string => {
  if (typeof v !== "string" || v.length === 0 || v.length > max) throw new AppError("INVALID_INPUT", `${name} must be a string of 1 to ${max} characters, got ${describeValue(v)}`);
  return v;
};

export async function applyOperatorAction(pool: pg.Pool, body: unknown, actor: string, nowSeconds: number): Promise<unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AppError("INVALID_INPUT", `body must be a JSON object, got ${describeValue(body)}`);
  const b = body as Record<string, unknown>;
  switch (b.action) {
    case "ack":
      return acknowledgeDriftEvent(pool, str(b.event_id, "event_id"), actor);
    case "resolve":
      return resolveDriftEvent(pool, str(b.event_id, "event_id"), actor, typeof b.note === "string" ? b.note : "", nowSeconds);
    case "silence":
      return createSilence(pool, { matchers: b.matchers, duration_seconds: b.duration_seconds, comment: b.comment }, actor, nowSeconds);
    case "expire_silence":
      await expireSilence(pool, str(b.silence_id, "silence_id"), nowSeconds);
      return { expired: b.silence_id };
    default:
      throw new AppError("INVALID_INPUT", `action must be one of ack, resolve, silence, expire_silence; got ${describeValue(b.action)}`);
  }
}
