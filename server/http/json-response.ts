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
  NOT_FOUND: 404,
  CONFLICT: 409,
  ORPHAN_BLOCK: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NO_EPOCH_REGISTRY: 503,
};

/** `{"error": {"code", "message"}}` with the status of the code; unexpected errors are 500 without internals. */
export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 400;
    return json({ error: { code: error.code, message: error.message } }, status);
  }
  console.error("[api] unexpected error:", error);
  return json({ error: { code: "INTERNAL", message: "internal error; see the server log" } }, 500);
}
