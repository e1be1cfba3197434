/**
 * Helpers for the plain REST routes (GET /api/health, GET /api/v1/status, POST /api/v1/blocks): JSON responses and
 * the one table from domain error codes to HTTP statuses for this API.
 */
import { isAppError } from "../../lib/errors";

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
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  ORPHAN_BLOCK: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  NO_EPOCH_REGISTRY: 503,
};

/** `{"error": {"code", "message"}}` with the status of the code; unexpected errors are 500 without internals. */
export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 400;
    const retryAfter = error.details?.retryAfterSeconds;
    // RFC 9110 §10.2.3: a 429 says when to come back (also sent as a number in the body's error object).
    const headers: Record<string, string> = typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {};
    const body = typeof retryAfter === "number" ? { code: error.code, message: error.message, retry_after_seconds: retryAfter } : { code: error.code, message: error.message };
    return json({ error: body }, status, headers);
  }
  console.error("[api] unexpected error:", error);
  return json({ error: { code: "INTERNAL", message: "internal error; see the server log" } }, 500);
}
