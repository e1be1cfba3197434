/**
 * The catalogue of block violations: a stable code, a fixed severity and what each means.
 *
 * Codes are part of the product's interface (stored in the database, printed by the CLI, routed by the drift radar),
 * so they never change meaning; add new ones instead. A block is INVALID when it has any violation above LOW; LOW
 * violations are advisory and leave the verdict VALID. Documented in docs/spec/consensus.md §7.
 */

export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VIOLATION_CATALOG = {
  MALFORMED_FIELD: { severity: "HIGH", meaning: "a field has the wrong type or form (bad hex, wrong length, not an integer, not text)" },
  UNKNOWN_FIELD: { severity: "LOW", meaning: "the block has a field this version of the protocol does not define; it is ignored and not hashed" },
  NO_EPOCH: { severity: "CRITICAL", meaning: "no epoch in the registry covers the block's number" },
  UNKNOWN_RULE_VERSION: { severity: "CRITICAL", meaning: "the block's epoch names a rule version this node does not know" },
  UNKNOWN_ALGORITHM: { severity: "CRITICAL", meaning: "pq_algorithm is not a registered hash algorithm id" },
  ALGORITHM_MISMATCH: { severity: "CRITICAL", meaning: "pq_algorithm is a known algorithm but not the one of the block's epoch" },
  MISSING_LEGACY_FIELD: { severity: "CRITICAL", meaning: "a legacy field the epoch's rule version requires is absent" },
  UNEXPECTED_LEGACY_FIELD: { severity: "HIGH", meaning: "a legacy field (or the dual commitment) is present in a PQ-only epoch" },
  MISSING_PQ_FIELD: { severity: "CRITICAL", meaning: "a PQ field or the dual commitment that the rule version requires is absent" },
  UNEXPECTED_PQ_FIELD: { severity: "HIGH", meaning: "a PQ field or the dual commitment is present in a legacy-only epoch" },
  LEGACY_MERKLE_ROOT_MISMATCH: { severity: "CRITICAL", meaning: "merkle_root is not the SHA-256 Merkle root of the statements" },
  PQ_MERKLE_ROOT_MISMATCH: { severity: "CRITICAL", meaning: "pq_merkle_root is not the PQ Merkle root of the statements" },
  DUAL_COMMITMENT_MISMATCH: { severity: "CRITICAL", meaning: "dual_commitment does not bind the block's legacy and PQ roots" },
  LEGACY_PREV_HASH_MISMATCH: { severity: "CRITICAL", meaning: "prev_hash is not the SHA-256 block hash of the predecessor" },
  PQ_PREV_HASH_MISMATCH: { severity: "CRITICAL", meaning: "pq_prev_hash is not the predecessor's block hash under the block's PQ algorithm" },
  BLOCK_NUMBER_DISCONTINUITY: { severity: "HIGH", meaning: "block_number is not the predecessor's plus one" },
  TIMESTAMP_REGRESSION: { severity: "MEDIUM", meaning: "timestamp is earlier than the predecessor's" },
  TIMESTAMP_IN_FUTURE: { severity: "LOW", meaning: "timestamp is further ahead of the validator's clock than the allowed drift" },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type ViolationCode = keyof typeof VIOLATION_CATALOG;
export const VIOLATION_CODES = Object.keys(VIOLATION_CATALOG) as ViolationCode[];

export interface Violation {
  code: ViolationCode;
  severity: Severity;
  /** Null only when the block number itself could not be read. */
  block_number: number | null;
  /** The block field concerned ("merkle_root", "statements[3]"), or null for the block as a whole. */
  field: string | null;
  expected: string | null;
  actual: string | null;
  message: string;
}

export function severityOf(code: ViolationCode): Severity {
  return VIOLATION_CATALOG[code].severity;
}

/** True when the violation makes a block invalid (every severity but LOW). */
export function isBlocking(violation: Pick<Violation, "severity">): boolean {
  return violation.severity !== "LOW";
}

/** Orders violations most severe first, then by code, for stable output. */
export function compareViolations(a: Violation, b: Violation): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.code.localeCompare(b.code);
}
