/**
 * The one table that turns domain errors into tRPC (and HTTP) errors.
 *
 * Domain code throws an error carrying a stable string `code` (see `AppError` in lib/errors.ts). The web layer does
 * not import that class: any error-like object with `code: string` and `message: string` whose code appears in
 * {@link DOMAIN_ERROR_CODES} is a domain error. Everything else (a pg error such as "23505", a Node system error
 * such as "ECONNREFUSED", a plain bug) stays an internal server error on purpose, so an unmapped code is loud (500)
 * rather than silently reported as the client's fault.
 *
 * To expose a new domain code: add one line to the table.
 */
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/** The tRPC error codes a domain error may map to (a subset of TRPCError's codes). */
export type MappedTRPCCode = Extract<
  TRPCError["code"],
  "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED" | "PAYLOAD_TOO_LARGE" | "UNPROCESSABLE_CONTENT" | "TOO_MANY_REQUESTS"
>;

/** Domain error code → tRPC error code. HTTP statuses follow from tRPC's own code → status table. */
export const DOMAIN_ERROR_CODES: Readonly<Record<string, MappedTRPCCode>> = {
  // Generic codes any service may use.
  VALIDATION_FAILED: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  // Security (server/security/rate-limit.ts, proxy.ts).
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  CROSS_SITE_REQUEST: "FORBIDDEN",
  // Consensus and registry codes (lib/errors.ts names these as examples).
  UNKNOWN_ALGORITHM: "BAD_REQUEST",
  EPOCH_OVERLAP: "CONFLICT",
};

/** An error-like value carrying a string code, as thrown by domain code. */
export interface CodedError {
  code: string;
  message: string;
}

function isCodedError(value: unknown): value is CodedError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === "string" && typeof candidate.message === "string";
}

/**
 * The domain error inside `value` when its code is in the table, else null.
 * TRPCErrors are never domain errors (their `code` is a tRPC code, not a domain code).
 */
export function asDomainError(value: unknown): CodedError | null {
  if (value instanceof TRPCError) return null;
  if (!isCodedError(value)) return null;
  return Object.hasOwn(DOMAIN_ERROR_CODES, value.code) ? value : null;
}

/** The TRPCError for a domain error (message kept, original as `cause`), or null when `value` is not one. */
export function toTRPCError(value: unknown): TRPCError | null {
  const domain = asDomainError(value);
  if (!domain) return null;
  return new TRPCError({ code: DOMAIN_ERROR_CODES[domain.code]!, message: domain.message, cause: domain });
}

/**
 * The HTTP status for any thrown value, for plain route handlers (e.g. POST /api/v1/blocks) that do not go through
 * tRPC but should answer a domain error the same way: mapped domain codes get their 4xx, anything else 500.
 */
export function httpStatusForError(value: unknown): number {
  if (value instanceof TRPCError) return getHTTPStatusCodeFromError(value);
  const mapped = toTRPCError(value);
  return mapped ? getHTTPStatusCodeFromError(mapped) : 500;
}

/** Seconds to wait before retrying, for a RATE_LIMITED domain error (its `details.retryAfterSeconds`), else null. */
export function retryAfterOf(value: unknown): number | null {
  const domain = asDomainError(value);
  if (domain?.code !== "RATE_LIMITED") return null;
  const seconds = (domain as { details?: { retryAfterSeconds?: unknown } }).details?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds : null;
}

/** Response headers for a tRPC response whose errors include a RATE_LIMITED one: `Retry-After` (else none). */
export function rateLimitHeaders(errors: ReadonlyArray<{ cause?: unknown }>): Record<string, string> {
  const seconds = errors.map((error) => retryAfterOf(error.cause)).find((s) => s !== null);
  return seconds == null ? {} : { "retry-after": String(seconds) };
}
