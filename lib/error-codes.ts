/**
 * The one error vocabulary: every code an `AppError` (lib/errors.ts) may carry, and what each surface answers for it.
 *
 *   trpc  the tRPC error code (server/api/errors.ts turns a thrown AppError into a TRPCError with it)
 *   http  the HTTP status, identical through tRPC's fetch adapter and the plain REST routes
 *         (server/http/json-response.ts); a test holds it equal to tRPC's own code → status mapping
 *   exit  the CLI exit code (cli/exit-codes.ts): 2 for anything the user typed, gave or pointed at (including an
 *         unreachable database); 3 only for a bug or a broken environment
 *
 * Pure data, imported by lib, the web server and the CLI alike. A thrown value that is not an AppError, or whose code
 * is missing here, is INTERNAL on every surface (500, exit 3): loud rather than blamed on the input.
 *
 * To add a code: add one row. `AppError`'s constructor only accepts codes of this table, so the type checker finds a
 * code thrown without a row; server/errors.test.ts walks every row through all three surfaces.
 */

/**
 * Process exit codes of the CLI (docs/cli.md "Exit codes"). Exit 1 is a verdict (INVALID): a check that answered no, or
 * a governance action the rules refused (the reason code printed); never a bug or bad input.
 */
export const EXIT = { OK: 0, INVALID: 1, USAGE: 2, INTERNAL: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The tRPC error codes this table uses (names from @trpc/server's TRPC_ERROR_CODE_KEY; lib imports no tRPC, and
 * server/api/errors.ts checks at compile time that each is one of tRPC's).
 */
export type TrpcCodeName =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNPROCESSABLE_CONTENT"
  | "TOO_MANY_REQUESTS"
  | "PRECONDITION_FAILED"
  | "TIMEOUT"
  | "INTERNAL_SERVER_ERROR"
  | "SERVICE_UNAVAILABLE";

/** What one error code becomes on each surface. */
export interface ErrorOutcome {
  readonly trpc: TrpcCodeName;
  readonly http: number;
  readonly exit: ExitCode;
}

const BAD_INPUT: ErrorOutcome = { trpc: "BAD_REQUEST", http: 400, exit: EXIT.USAGE };
const CONFLICT: ErrorOutcome = { trpc: "CONFLICT", http: 409, exit: EXIT.USAGE };
const NOT_FOUND: ErrorOutcome = { trpc: "NOT_FOUND", http: 404, exit: EXIT.USAGE };
const UNAVAILABLE: ErrorOutcome = { trpc: "SERVICE_UNAVAILABLE", http: 503, exit: EXIT.USAGE };
const BUG: ErrorOutcome = { trpc: "INTERNAL_SERVER_ERROR", http: 500, exit: EXIT.INTERNAL };
const GOVERNANCE_FORBIDDEN: ErrorOutcome = { trpc: "FORBIDDEN", http: 403, exit: EXIT.INVALID };
const GOVERNANCE_CONFLICT: ErrorOutcome = { trpc: "CONFLICT", http: 409, exit: EXIT.INVALID };
const GOVERNANCE_UNPROCESSABLE: ErrorOutcome = { trpc: "UNPROCESSABLE_CONTENT", http: 422, exit: EXIT.INVALID };

export const ERROR_TABLE = {
  // Generic: any service or route.
  INVALID_INPUT: BAD_INPUT,
  NOT_FOUND,
  CONFLICT,
  UNAUTHENTICATED: { trpc: "UNAUTHORIZED", http: 401, exit: EXIT.USAGE },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403, exit: EXIT.USAGE },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413, exit: EXIT.USAGE },
  UNSUPPORTED_MEDIA_TYPE: { trpc: "UNSUPPORTED_MEDIA_TYPE", http: 415, exit: EXIT.USAGE },
  /** An invariant the code relies on does not hold: a bug. */
  INTERNAL: BUG,

  // The command line itself (cli/args, cli/registry.ts).
  USAGE: BAD_INPUT,
  UNKNOWN_COMMAND: BAD_INPUT,

  // Input files (cli/inputs).
  FILE_NOT_FOUND: BAD_INPUT,
  NOT_A_FILE: BAD_INPUT,
  FILE_UNREADABLE: BAD_INPUT,
  FILE_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413, exit: EXIT.USAGE },
  INVALID_UTF8: BAD_INPUT,
  INVALID_JSON: BAD_INPUT,

  // Values typed or read (lib/encoding/hex.ts, lib/crypto/hash-algorithms.ts, lib/consensus/merkle.ts, block.ts).
  MALFORMED_HEX: BAD_INPUT,
  MALFORMED_FIELD: BAD_INPUT,
  UNKNOWN_ALGORITHM: BAD_INPUT,
  INDEX_OUT_OF_RANGE: BAD_INPUT,

  // Epoch registries (lib/consensus/epochs.ts, rule-versions.ts). A malformed epoch is bad input; one that does not
  // fit the epochs around it (or the finalized chain) conflicts with them.
  INVALID_EPOCH: BAD_INPUT,
  EMPTY_EPOCH_REGISTRY: BAD_INPUT,
  UNKNOWN_RULE_VERSION: BAD_INPUT,
  EPOCH_GAP: CONFLICT,
  EPOCH_OVERLAP: CONFLICT,
  RULE_VERSION_REGRESSION: CONFLICT,
  ROLLBACK_WITHOUT_GOVERNANCE: CONFLICT,
  ACTIVATION_NOT_ABOVE_FINALITY: CONFLICT,
  NO_EPOCH: NOT_FOUND,
  /** Fork-choice parameters the caller chose are inconsistent (lib/consensus/fork-choice.ts): a bug, not input. */
  INVALID_PARAMS: BUG,

  // Sealing inputs (lib/consensus/seal-block.ts).
  INVALID_BLOCK_NUMBER: BAD_INPUT,
  INVALID_TIMESTAMP: BAD_INPUT,
  INVALID_STATEMENT: BAD_INPUT,

  // The node and its database (cli/database.ts, server/chain, server/ingest, server/config.ts).
  DATABASE_UNAVAILABLE: UNAVAILABLE,
  NO_EPOCH_REGISTRY: UNAVAILABLE,
  /** A bad environment variable: the operator's to fix (exit 2), but over HTTP the server's fault, not the client's. */
  CONFIG: { trpc: "INTERNAL_SERVER_ERROR", http: 500, exit: EXIT.USAGE },
  BLOCK_NOT_FOUND: NOT_FOUND,

  // Imports and pushes (server/ingest/import-file.ts, ndjson-file.ts, ingest-blocks.ts, server/http/push-blocks.ts).
  INPUT_FILE: BAD_INPUT,
  ORPHAN_BLOCK: CONFLICT,
  IMPORT_FAILED: { trpc: "UNPROCESSABLE_CONTENT", http: 422, exit: EXIT.USAGE },
  /** A client that has not sent its whole request body in time (server/http/read-body.ts). */
  REQUEST_TIMEOUT: { trpc: "TIMEOUT", http: 408, exit: EXIT.USAGE },

  // Exports (server/ingest/export-file.ts, cli/commands/export.ts) and the registry an export file carries.
  FILE_EXISTS: CONFLICT,
  FILE_UNWRITABLE: BAD_INPUT,
  /** The file's registry differs from that of a node already holding blocks (server/chain/epoch-registry.ts). */
  REGISTRY_MISMATCH: CONFLICT,

  // Another node asked over HTTP (mathledger-cli validate-block --server, cli/remote/validate-on-node.ts).
  REMOTE_NODE_UNREACHABLE: UNAVAILABLE,
  /** The node refused the request (its 4xx): the input sent, the user's to fix. */
  REMOTE_NODE_REFUSED: BAD_INPUT,
  /** The URL answered, but not like a MathLedger node. */
  REMOTE_NODE_BAD_RESPONSE: UNAVAILABLE,
  // The drift radar (server/drift, server/devnet/devnet-injections.ts): `drift inject` with no devnet running.
  NO_DEVNET: UNAVAILABLE,

  // Web security baseline (proxy.ts, server/security/rate-limit.ts): too many requests, and cross-site writes.
  RATE_LIMITED: { trpc: "TOO_MANY_REQUESTS", http: 429, exit: EXIT.USAGE },
  CROSS_SITE_REQUEST: { trpc: "FORBIDDEN", http: 403, exit: EXIT.USAGE },

  // Governance (lib/governance/reason-codes.ts, docs/spec/governance.md §7). Malformed input is 400 / exit 2. A
  // signature or key that does not authorise the action is 403, a rule of the engine refusing it 409 / 422, an unknown
  // target 404: all exit 1, "refused by the rules", as `governance ...` documents; the reason code says which.
  INVALID_MESSAGE: BAD_INPUT,
  INVALID_ENVELOPE: BAD_INPUT,
  INVALID_KEY_FILE: BAD_INPUT,
  WRONG_PASSPHRASE: BAD_INPUT,
  INVALID_GENESIS: { trpc: "INTERNAL_SERVER_ERROR", http: 500, exit: EXIT.USAGE },
  NO_GOVERNANCE: { trpc: "PRECONDITION_FAILED", http: 412, exit: EXIT.USAGE },
  INVALID_PROPOSAL: GOVERNANCE_UNPROCESSABLE,
  BAD_SIGNATURE_ED25519: GOVERNANCE_FORBIDDEN,
  BAD_SIGNATURE_ML_DSA: GOVERNANCE_FORBIDDEN,
  WRONG_DOMAIN: GOVERNANCE_FORBIDDEN,
  WRONG_NETWORK: GOVERNANCE_FORBIDDEN,
  EXPIRED: GOVERNANCE_FORBIDDEN,
  FUTURE_DATED: GOVERNANCE_FORBIDDEN,
  NONCE_NOT_INCREASING: GOVERNANCE_CONFLICT,
  UNKNOWN_SIGNER: GOVERNANCE_FORBIDDEN,
  MISSING_ROLE: GOVERNANCE_FORBIDDEN,
  WRONG_PHASE: GOVERNANCE_CONFLICT,
  DUPLICATE_SIGNER: GOVERNANCE_CONFLICT,
  ZERO_VOTING_POWER: GOVERNANCE_FORBIDDEN,
  UNKNOWN_TARGET: { trpc: "NOT_FOUND", http: 404, exit: EXIT.INVALID },
  TARGET_MISMATCH: GOVERNANCE_UNPROCESSABLE,
  DUPLICATE_TARGET: GOVERNANCE_CONFLICT,
  ACTIVATION_TOO_SOON: GOVERNANCE_UNPROCESSABLE,
  ROLLBACK_NOT_ABOVE_TIP: GOVERNANCE_UNPROCESSABLE,
  AUDIT_CHAIN_BROKEN: GOVERNANCE_CONFLICT,
  /** A relayed decision whose verified signatures do not reach the approval or council threshold (lib/relay). */
  THRESHOLD_NOT_MET: GOVERNANCE_UNPROCESSABLE,
  /** A sign-in answer to a challenge this server did not issue, or already used, or whose time ran out (§12). */
  UNKNOWN_CHALLENGE: GOVERNANCE_FORBIDDEN,

  // Benchmarks: a result file given to `npm run bench -- --import` that is not a bench result document.
  INVALID_BENCH_RESULT: BAD_INPUT,
} as const satisfies Record<string, ErrorOutcome>;

/** Every code an AppError may carry. */
export type ErrorCode = keyof typeof ERROR_TABLE;

/** The code every surface reports for a thrown value that is not an AppError with a code of the table. */
export const INTERNAL_CODE = "INTERNAL" satisfies ErrorCode;

/** True when `code` is a row of the table (own keys only: "toString" is not a code). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_TABLE, code);
}

/** The outcome of a code; INTERNAL's for a code the table does not hold. */
export function errorOutcome(code: string): ErrorOutcome {
  return isErrorCode(code) ? ERROR_TABLE[code] : ERROR_TABLE[INTERNAL_CODE];
}

/**
 * Whether a message with this outcome may be shown to a remote client. A 500 is the server's own failure: its
 * message may carry internals (paths, SQL, configuration), so the web surfaces log it and send a generic text.
 */
export function isClientFacing(outcome: ErrorOutcome): boolean {
  return outcome.http !== 500;
}
