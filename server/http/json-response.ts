/**
 * Helpers for the plain REST routes (GET /api/health, GET /api/v1/status, POST /api/v1/blocks): JSON responses and
 * the one table from domain error codes to HTTP statuses for this API.
 */
import { isAppError } from "../../lib/errors";
import { asDatabaseUnavailable } from "../db/database-errors";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

const STATUS_BY_CODE: Record<string, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORPHAN_BLOCK: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_TIMEOUT: 408,
  NO_EPOCH_REGISTRY: 503,
  DATABASE_UNAVAILABLE: 503,
};

/** Seconds a client is told to wait (Retry-After) when the database is down: the node reconnects by itself. */
const RETRY_AFTER_SECONDS = "5";

/**
 * `{"error": {"code", "message"}}` with the status of the code; an unreachable database is 503 DATABASE_UNAVAILABLE;
 * unexpected errors are 500 without internals.
 */
export function errorResponse(error: unknown): Response {
  // A lost or refused database connection is an outage, not a bug: 503 with a message saying so, never a 500.
  const outage = asDatabaseUnavailable(error);
  if (outage) return json({ error: { code: outage.code, message: outage.message } }, 503, { "retry-after": RETRY_AFTER_SECONDS });
  if (isAppError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 400;
    // After a 408 the rest of a late body may still arrive: the connection is not reused.
    return json({ error: { code: error.code, message: error.message } }, status, status === 408 ? { connection: "close" } : {});
  }
  console.error("[api] unexpected error:", error);
  return json({ error: { code: "INTERNAL", message: "internal error; see the server log" } }, 500);
}
