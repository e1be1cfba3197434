/**
 * Which drift category a validator violation is evidence of. The radar never re-validates a block: it reads the
 * codes and fields the consensus core (lib/consensus/validate-block.ts) already reported and sorts them into the
 * plan's categories. Codes about the block as a whole are sorted by code; codes about one field (malformed, missing,
 * unexpected) by the field, because a malformed pq_merkle_root is a consistency fault just as a wrong one is.
 */
import type { Violation, ViolationCode } from "../consensus/violations";
import type { DriftCategory } from "./drift-event";

const BY_CODE: Partial<Record<ViolationCode, DriftCategory>> = {
  NO_EPOCH: "algorithm_mismatch",
  UNKNOWN_RULE_VERSION: "algorithm_mismatch",
  UNKNOWN_ALGORITHM: "algorithm_mismatch",
  ALGORITHM_MISMATCH: "algorithm_mismatch",
  LEGACY_MERKLE_ROOT_MISMATCH: "consistency",
  PQ_MERKLE_ROOT_MISMATCH: "consistency",
  DUAL_COMMITMENT_MISMATCH: "commitment",
  LEGACY_PREV_HASH_MISMATCH: "lineage",
  PQ_PREV_HASH_MISMATCH: "lineage",
  BLOCK_NUMBER_DISCONTINUITY: "lineage",
  TIMESTAMP_REGRESSION: "lineage",
  TIMESTAMP_IN_FUTURE: "lineage",
};

const BY_FIELD: Record<string, DriftCategory> = {
  pq_algorithm: "algorithm_mismatch",
  merkle_root: "consistency",
  pq_merkle_root: "consistency",
  statements: "consistency",
  block: "consistency",
  prev_hash: "lineage",
  pq_prev_hash: "lineage",
  block_number: "lineage",
  timestamp: "lineage",
  dual_commitment: "commitment",
};

/** The category of one violation, or null for one that says nothing about drift (an ignored unknown field). */
export function categoryOfViolation(v: Pick<Violation, "code" | "field">): DriftCategory | null {
  const direct = BY_CODE[v.code];
  if (direct) return direct;
  if (v.code === "UNKNOWN_FIELD") return null;
  if (v.field === null) return null;
  // "statements[3]" is about the statements.
  const field = v.field.replace(/\[\d+\]$/, "");
  return BY_FIELD[field] ?? null;
}
