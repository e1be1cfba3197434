/**
 * The one error type that domain code throws.
 *
 * `code` is a stable string from the one table in lib/error-codes.ts (for example "UNKNOWN_ALGORITHM" or
 * "EPOCH_OVERLAP"); the web server (tRPC and REST) and the CLI read that same table for their HTTP status, tRPC code
 * and exit code, rather than matching on messages.
 */
import { ERROR_TABLE, INTERNAL_CODE, isErrorCode, type ErrorCode, type ErrorOutcome } from "./error-codes";

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

/**
 * True when `error` is an AppError with the given code (or any AppError when `code` is omitted). Besides
 * `instanceof`, an Error named "AppError" whose code is in the table counts: a bundler may load this module twice
 * (Next's server chunks), and a second copy's class is still the same error.
 */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  const isOne =
    error instanceof AppError ||
    (error instanceof Error && error.name === "AppError" && isErrorCode((error as { code?: unknown }).code));
  return isOne && (code === undefined || (error as AppError).code === code);
}

/** How a surface reports one thrown value. */
export interface ClassifiedError {
  /** The AppError's code, or INTERNAL for anything else (including an AppError whose code the table lacks). */
  code: ErrorCode;
  /** The AppError's message, or the thrown value's own text for anything else (log it; do not send it). */
  message: string;
  outcome: ErrorOutcome;
  /** True for an AppError of the table (a deliberate, described refusal), false for anything else. */
  domain: boolean;
}

/** Classifies any thrown value through the one table. */
export function classifyError(error: unknown): ClassifiedError {
  if (isAppError(error) && isErrorCode(error.code)) {
    return { code: error.code, message: error.message, outcome: ERROR_TABLE[error.code], domain: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: INTERNAL_CODE, message, outcome: ERROR_TABLE[INTERNAL_CODE], domain: false };
}
