/**
 * The one table that turns errors into exit codes (issue 2 §9; docs/cli.md "Exit codes").
 *
 *   0  OK        the command did what was asked; for a check, the answer is VALID
 *   1  INVALID   a check ran and the answer is no (validate-block with violations, verify-proof failing)
 *   2  USAGE     bad arguments, an input file that is missing, unreadable, too large or malformed, a block height
 *                the database does not hold, or a database that cannot be reached
 *   3  INTERNAL  anything not in the table: a bug or a broken environment, reported loudly rather than blamed on
 *                the input (the web layer does the same with its 500s; see server/api/errors.ts)
 *
 * Exit 1 never comes from an error, except for governance: a signed action refused by the rules (a bad signature,
 * a replay, a missing role, the wrong phase ...) exits 1 with its reason code, as issue 8 asks. Every AppError code a command can raise for
 * bad input or an unreachable database must have a row here; to add one, add a line.
 */
import { isAppError } from "../lib/errors";

export const EXIT = { OK: 0, INVALID: 1, USAGE: 2, INTERNAL: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** AppError code → exit code. */
export const ERROR_EXIT_CODES: Readonly<Record<string, ExitCode>> = {
  // The command line itself (cli/args, cli/registry.ts).
  USAGE: EXIT.USAGE,
  UNKNOWN_COMMAND: EXIT.USAGE,
  // Input files (cli/inputs).
  FILE_NOT_FOUND: EXIT.USAGE,
  NOT_A_FILE: EXIT.USAGE,
  FILE_UNREADABLE: EXIT.USAGE,
  FILE_TOO_LARGE: EXIT.USAGE,
  INVALID_UTF8: EXIT.USAGE,
  INVALID_JSON: EXIT.USAGE,
  INVALID_INPUT: EXIT.USAGE,
  // Values typed or read (lib/encoding/hex.ts, lib/crypto/hash-algorithms.ts, lib/consensus/merkle.ts).
  MALFORMED_HEX: EXIT.USAGE,
  UNKNOWN_ALGORITHM: EXIT.USAGE,
  INDEX_OUT_OF_RANGE: EXIT.USAGE,
  // Epoch registry files (lib/consensus/epochs.ts, rule-versions.ts).
  INVALID_EPOCH: EXIT.USAGE,
  EMPTY_EPOCH_REGISTRY: EXIT.USAGE,
  EPOCH_GAP: EXIT.USAGE,
  EPOCH_OVERLAP: EXIT.USAGE,
  RULE_VERSION_REGRESSION: EXIT.USAGE,
  ROLLBACK_WITHOUT_GOVERNANCE: EXIT.USAGE,
  UNKNOWN_RULE_VERSION: EXIT.USAGE,
  NO_EPOCH: EXIT.USAGE,
  // Sealing inputs (lib/consensus/seal-block.ts).
  INVALID_BLOCK_NUMBER: EXIT.USAGE,
  INVALID_TIMESTAMP: EXIT.USAGE,
  INVALID_STATEMENT: EXIT.USAGE,
  // The node's database (online commands: cli/database.ts, server/chain, server/ingest, server/config.ts).
  DATABASE_UNAVAILABLE: EXIT.USAGE,
  CONFIG: EXIT.USAGE,
  BLOCK_NOT_FOUND: EXIT.USAGE,
  NO_EPOCH_REGISTRY: EXIT.USAGE,
  // Imports (server/ingest/import-file.ts, ndjson-file.ts, ingest-blocks.ts): a file that is not a placeable chain.
  INPUT_FILE: EXIT.USAGE,
  ORPHAN_BLOCK: EXIT.USAGE,
  IMPORT_FAILED: EXIT.USAGE,
  // Governance input (lib/governance): malformed messages, envelopes, genesis and key files, a wrong passphrase.
  INVALID_MESSAGE: EXIT.USAGE,
  INVALID_ENVELOPE: EXIT.USAGE,
  INVALID_GENESIS: EXIT.USAGE,
  INVALID_KEY_FILE: EXIT.USAGE,
  WRONG_PASSPHRASE: EXIT.USAGE,
  NO_GOVERNANCE: EXIT.USAGE,
  // Governance refusals by the rules (docs/spec/governance.md §7): exit 1 with the reason code.
  INVALID_PROPOSAL: EXIT.INVALID,
  BAD_SIGNATURE_ED25519: EXIT.INVALID,
  BAD_SIGNATURE_ML_DSA: EXIT.INVALID,
  WRONG_DOMAIN: EXIT.INVALID,
  WRONG_NETWORK: EXIT.INVALID,
  EXPIRED: EXIT.INVALID,
  FUTURE_DATED: EXIT.INVALID,
  NONCE_NOT_INCREASING: EXIT.INVALID,
  UNKNOWN_SIGNER: EXIT.INVALID,
  MISSING_ROLE: EXIT.INVALID,
  WRONG_PHASE: EXIT.INVALID,
  DUPLICATE_SIGNER: EXIT.INVALID,
  ZERO_VOTING_POWER: EXIT.INVALID,
  UNKNOWN_TARGET: EXIT.INVALID,
  TARGET_MISMATCH: EXIT.INVALID,
  DUPLICATE_TARGET: EXIT.INVALID,
  ACTIVATION_TOO_SOON: EXIT.INVALID,
  ROLLBACK_NOT_ABOVE_TIP: EXIT.INVALID,
  AUDIT_CHAIN_BROKEN: EXIT.INVALID,
};

export interface ErrorReport {
  exitCode: ExitCode;
  /** The AppError code, or "INTERNAL" for anything else. */
  code: string;
  message: string;
}

/** Classifies a thrown value. Unknown codes and non-AppErrors are INTERNAL (exit 3). */
export function reportError(error: unknown): ErrorReport {
  if (isAppError(error) && Object.hasOwn(ERROR_EXIT_CODES, error.code)) {
    return { exitCode: ERROR_EXIT_CODES[error.code], code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = isAppError(error) ? error.code : "INTERNAL";
  return { exitCode: EXIT.INTERNAL, code, message: `internal error: ${message}` };
}
