/**
 * Helpers for the plain REST routes (GET /api/health, GET /api/v1/status, POST /api/v1/blocks): JSON responses and
 * error bodies whose status comes from the one error table (lib/error-codes.ts), the same status tRPC answers.
 */
import { isClientFacing } from "../../lib/error-codes";
import { classifyError, isAppError } from "../../lib/errors";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/**
 * `{"error": {"code", "message"}}` with the status of the code's row. A 500 (a bug, or the server's own
 * configuration) is logged and answered without its message, which may carry internals. A rate-limit refusal says
 * when to come back (RFC 9110 §10.2.3: `Retry-After`, and `retry_after_seconds` in the body).
 */
export function errorResponse(error: unknown): Response {
  const { code, message, outcome } = classifyError(error);
  if (!isClientFacing(outcome)) {
    console.error(`[api] ${code}:`, error);
    return json({ error: { code, message: "internal error; see the server log" } }, outcome.http);
  }
  const retryAfter = isAppError(error) ? error.details?.retryAfterSeconds : undefined;
  if (typeof retryAfter === "number") {
    return json({ error: { code, message, retry_after_seconds: retryAfter } }, outcome.http, { "retry-after": String(retryAfter) });
  }
  return json({ error: { code, message } }, outcome.http);
}
