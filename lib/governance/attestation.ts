/**
 * Milestone attestations (PLAN.md §4 "MPC Attestation Registrar"; docs/spec/governance.md §6.4).
 *
 * An attestation is created for a block (its hash and PQ root read from the store) with id
 * `ATTEST-<milestone>-<block_number>` as in the plan, and a deadline. Council members sign an `attestation` message
 * repeating the block hash and PQ root; at 5 distinct signatures it is VERIFIED; at the deadline with fewer it is
 * INSUFFICIENT. A signature is accepted only while PENDING and before the deadline.
 */
import { AppError } from "../errors";
import type { AttestationBody } from "./bodies";
import { checkCouncilSignature, thresholdReached } from "./council-threshold";
import type { Member } from "./members";
import { COUNCIL_SIZE, COUNCIL_THRESHOLD } from "./members";

export const ATTESTATION_STATUSES = ["PENDING", "VERIFIED", "INSUFFICIENT"] as const;
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number];
export const ATTESTATION_THRESHOLD = `${COUNCIL_THRESHOLD}/${COUNCIL_SIZE}`;

export interface AttestationRecord {
  attestation_id: string;
  milestone: string;
  block_number: number;
  block_hash: string;
  pq_merkle_root: string | null;
  created_at: number;
  deadline: number;
  status: AttestationStatus;
}

export function attestationId(milestone: string, blockNumber: number): string {
  return `ATTEST-${milestone}-${blockNumber}`;
}

/** The status given the distinct signers so far and the clock (PENDING stays PENDING until a rule moves it). */
export function attestationStatus(record: Pick<AttestationRecord, "deadline" | "status">, signers: readonly string[], now: number): AttestationStatus {
  if (record.status !== "PENDING") return record.status;
  if (thresholdReached(signers)) return "VERIFIED";
  if (now >= record.deadline) return "INSUFFICIENT";
  return "PENDING";
}

/**
 * The rules for one attestation signature: council role, the attestation PENDING and before its deadline, the body
 * repeating exactly what the attestation records, no second signature by the same member.
 */
export function checkAttestationSignature(signer: Member, record: AttestationRecord, body: AttestationBody, earlierSigners: readonly string[], now: number): void {
  checkCouncilSignature(signer, earlierSigners, `attestation ${record.attestation_id}`);
  if (record.status !== "PENDING") throw new AppError("WRONG_PHASE", `attestation ${record.attestation_id} is ${record.status}, no longer collecting signatures`);
  if (now >= record.deadline) throw new AppError("WRONG_PHASE", `attestation ${record.attestation_id} passed its deadline (${record.deadline})`);
  for (const field of ["milestone", "block_number", "block_hash", "pq_merkle_root"] as const) {
    if (body[field] !== record[field]) {
      throw new AppError("TARGET_MISMATCH", `the signed ${field} ${JSON.stringify(body[field])} differs from attestation ${record.attestation_id}'s ${JSON.stringify(record[field])}`);
    }
  }
}
