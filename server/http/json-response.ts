/**
 * Helpers for the plain REST routes (GET /api/health, GET /api/v1/status, POST /api/v1/blocks): JSON responses and
 * error bodies whose status comes from the one error table (lib/error-codes.ts), the same status tRPC answers.
 */
import { isClientFacing } from "../../lib/error-codes";
import { classifyError, isAppError } from "../../lib/errors";
import { asDatabaseUnavailable } from "../db/database-errors";

/** Seconds a client is told to wait (Retry-After) when the database is down. */
const RETRY_AFTER_SECONDS = "5";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/**
 * `{"error": {"code", "message"}}` with the status of the code's row; an unreachable database is 503
 * DATABASE_UNAVAILABLE with Retry-After. A 500 (a bug, or the server's own configuration) is logged and answered
 * without its message, which may carry internals. A rate-limit refusal says when to come back (RFC 9110 §10.2.3:
 * `Retry-After`, and `retry_after_seconds` in the body).
 */
export function errorResponse(error: unknown): Response {
  // A lost or refused database connection is an outage, not a bug: 503 with a message saying so, never a 500.
  const { code, message, outcome } = classifyError(asDatabaseUnavailable(error) ?? error);
  if (!isClientFacing(outcome)) {
    console.error(`[api] ${code}:`, error);
    return json({ error: { code, message: "internal error; see the server log" } }, outcome.http);
  }
  const headers: Record<string, string> = {};
  // The node reconnects by itself: tell clients when to try again.
  if (code === "DATABASE_UNAVAILABLE") headers["retry-after"] = RETRY_AFTER_SECONDS;
  // After a 408 the rest of a late body may still arrive: the connection is not reused.
  if (outcome.http === 408) headers.connection = "close";
  const retryAfter = isAppError(error) ? error.details?.retryAfterSeconds : undefined;
  if (typeof retryAfter === "number") {
    headers["retry-after"] = String(retryAfter);
    return json({ error: { code, message, retry_after_seconds: retryAfter } }, outcome.http, headers);
  }
  return json({ error: { code, message } }, outcome.http, headers);
}
