/**
 * Council signature collection shared by attestations and emergency declarations (docs/spec/governance.md §6.4-6.5):
 * COUNCIL_THRESHOLD (5) distinct council members of COUNCIL_SIZE (7).
 */
import { AppError } from "../errors";
import { COUNCIL_THRESHOLD, requireRole, type Member } from "./members";

/** Council role, and no second signature by the same member (DUPLICATE_SIGNER). */
export function checkCouncilSignature(signer: Member, earlierSigners: readonly string[], what: string): void {
  requireRole(signer, "council", `sign ${what}`);
  if (earlierSigners.includes(signer.id)) throw new AppError("DUPLICATE_SIGNER", `${signer.id} has already signed ${what}`);
}

/** True once `signers` (distinct council member ids) reach the threshold. */
export function thresholdReached(signers: readonly string[]): boolean {
  return new Set(signers).size >= COUNCIL_THRESHOLD;
}
