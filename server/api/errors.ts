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
  // Consensus and registry codes (lib/errors.ts names these as examples).
  UNKNOWN_ALGORITHM: "BAD_REQUEST",
  EPOCH_OVERLAP: "CONFLICT",
  // Governance (lib/governance/reason-codes.ts, docs/spec/governance.md §7): malformed input is BAD_REQUEST, a
  // signature or key that does not authorise the action is FORBIDDEN, a rule of the engine refusing it is
  // CONFLICT / UNPROCESSABLE_CONTENT, an unknown target NOT_FOUND. domainCode carries the exact reason.
  INVALID_MESSAGE: "BAD_REQUEST",
  INVALID_ENVELOPE: "BAD_REQUEST",
  INVALID_PROPOSAL: "UNPROCESSABLE_CONTENT",
  BAD_SIGNATURE_ED25519: "FORBIDDEN",
  BAD_SIGNATURE_ML_DSA: "FORBIDDEN",
  WRONG_DOMAIN: "FORBIDDEN",
  WRONG_NETWORK: "FORBIDDEN",
  EXPIRED: "FORBIDDEN",
  FUTURE_DATED: "FORBIDDEN",
  NONCE_NOT_INCREASING: "CONFLICT",
  UNKNOWN_SIGNER: "FORBIDDEN",
  MISSING_ROLE: "FORBIDDEN",
  WRONG_PHASE: "CONFLICT",
  DUPLICATE_SIGNER: "CONFLICT",
  ZERO_VOTING_POWER: "FORBIDDEN",
  UNKNOWN_TARGET: "NOT_FOUND",
  TARGET_MISMATCH: "UNPROCESSABLE_CONTENT",
  DUPLICATE_TARGET: "CONFLICT",
  ACTIVATION_TOO_SOON: "UNPROCESSABLE_CONTENT",
  ROLLBACK_NOT_ABOVE_TIP: "UNPROCESSABLE_CONTENT",
  NO_GOVERNANCE: "PRECONDITION_FAILED",
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
