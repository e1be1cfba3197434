/**
 * The one error type that domain code throws.
 *
 * `code` is a stable string (for example "UNKNOWN_ALGORITHM" or "EPOCH_OVERLAP"); the web server, the CLI and the
 * worker each map codes to their own outcome (HTTP status, tRPC code, exit code) in one table rather than by
 * matching on messages.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

/** True when `error` is an AppError with the given code (or any AppError when `code` is omitted). */
export function isAppError(error: unknown, code?: string): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
