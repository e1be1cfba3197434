/**
 * Exit codes of the CLI (issue 2 §9; docs/cli.md "Exit codes"):
 *
 *   0  OK        the command did what was asked; for a check, the answer is VALID
 *   1  INVALID   a check ran and the answer is no (validate-block with violations, verify-proof failing)
 *   2  USAGE     bad arguments, an input file that is missing, unreadable, too large or malformed, a block height
 *                the database does not hold, or a database that cannot be reached
 *   3  INTERNAL  anything else: a bug or a broken environment, reported loudly rather than blamed on the input (the
 *                web layer does the same with its 500s)
 *
 * Exit 1 never comes from an error: commands return outcome "invalid". Which error code exits 2 and which 3 is the
 * `exit` column of the one error table, lib/error-codes.ts; this module only applies it.
 */
import { EXIT, type ErrorCode, type ExitCode } from "../lib/error-codes";
import { classifyError } from "../lib/errors";

export { EXIT, type ExitCode };

export interface ErrorReport {
  exitCode: ExitCode;
  /** The AppError code, or "INTERNAL" for anything else. */
  code: ErrorCode;
  message: string;
}

/** Classifies a thrown value. Codes whose row says exit 3, unknown codes and non-AppErrors are internal. */
export function reportError(error: unknown): ErrorReport {
  const { code, message, outcome } = classifyError(error);
  const exitCode = outcome.exit;
  return { exitCode, code, message: exitCode === EXIT.INTERNAL ? `internal error: ${message}` : message };
}
