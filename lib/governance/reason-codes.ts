/**
 * Reason codes for refused governance actions (docs/spec/governance.md §7).
 *
 * Every refusal throws AppError with one of these codes and stores nothing; the web server, the CLI and the offline
 * recount all report the same code for the same fault, so a test (or a user) can tell exactly why an action failed.
 */
export const GOVERNANCE_REASON_CODES = [
  // Form of the input.
  "INVALID_MESSAGE",
  "INVALID_ENVELOPE",
  "INVALID_PROPOSAL",
  "INVALID_GENESIS",
  "INVALID_KEY_FILE",
  "WRONG_PASSPHRASE",
  // Signature and envelope checks (signature.ts, envelope.ts).
  "BAD_SIGNATURE_ED25519",
  "BAD_SIGNATURE_ML_DSA",
  "WRONG_DOMAIN",
  "WRONG_NETWORK",
  "EXPIRED",
  "FUTURE_DATED",
  "NONCE_NOT_INCREASING",
  "UNKNOWN_SIGNER",
  // Rules of the engine.
  "MISSING_ROLE",
  "WRONG_PHASE",
  "DUPLICATE_SIGNER",
  "ZERO_VOTING_POWER",
  "UNKNOWN_TARGET",
  "TARGET_MISMATCH",
  "DUPLICATE_TARGET",
  "ACTIVATION_TOO_SOON",
  "ROLLBACK_NOT_ABOVE_TIP",
  "AUDIT_CHAIN_BROKEN",
  // A decision relayed by a peer whose signed records do not reach the threshold here (lib/relay/governance-record.ts).
  "THRESHOLD_NOT_MET",
  // Sign-in (sign-in.ts, §12): a challenge the server did not issue, or one already answered.
  "UNKNOWN_CHALLENGE",
] as const;

export type GovernanceReasonCode = (typeof GOVERNANCE_REASON_CODES)[number];
