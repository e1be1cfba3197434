/**
 * Emergency declarations and rollbacks (PLAN.md §4 "Emergency Rollback Executor"; docs/spec/governance.md §6.5).
 *
 * A council member's `emergency_declaration` message (trigger, evidence) creates a PENDING emergency whose hash is
 * the message digest; the declarer's signature counts as the first. Other council members sign
 * `emergency_signature` messages naming that hash. At 5 distinct council signatures the emergency is DECLARED (and
 * only then broadcast). A council member may then order the rollback: a `rollback` message naming the emergency and
 * a block strictly above the canonical tip, which registers the epoch
 *   { start_block: rollback_block, algorithm_id: 0x00 (SHA-256), rule_version: "v1-legacy",
 *     governance_hash: emergency hash }
 * History is never rewritten. The plan calls the algorithm "SHA-256-ROLLBACK"; the core accepts only registered
 * algorithm names, so the epoch names "SHA-256" and its kind "rollback" is what the registry's transition reports.
 */
import { AppError } from "../errors";
import type { Epoch } from "../consensus/epochs";
import { SHA256_ID } from "../crypto/hash-algorithms";
import { checkCouncilSignature, thresholdReached } from "./council-threshold";
import { requireRole, type Member } from "./members";

export const EMERGENCY_STATUSES = ["PENDING", "DECLARED", "ROLLED_BACK"] as const;
export type EmergencyStatus = (typeof EMERGENCY_STATUSES)[number];

/** PENDING until the threshold of distinct council signatures (declarer included) is reached. */
export function emergencyStatusAfterSignatures(status: EmergencyStatus, signers: readonly string[]): EmergencyStatus {
  return status === "PENDING" && thresholdReached(signers) ? "DECLARED" : status;
}

export function checkDeclaration(declarer: Member): void {
  requireRole(declarer, "council", "declare an emergency");
}

export function checkEmergencySignature(signer: Member, status: EmergencyStatus, earlierSigners: readonly string[], emergencyHash: string): void {
  checkCouncilSignature(signer, earlierSigners, `emergency ${emergencyHash}`);
  if (status !== "PENDING") throw new AppError("WRONG_PHASE", `emergency ${emergencyHash} is ${status}, no longer collecting signatures`);
}

/** A rollback needs a council member, a DECLARED emergency, and a block strictly above the canonical tip. */
export function checkRollback(signer: Member, status: EmergencyStatus, rollbackBlock: number, tip: number): void {
  requireRole(signer, "council", "order a rollback");
  if (status !== "DECLARED") {
    throw new AppError("WRONG_PHASE", status === "PENDING" ? "the emergency has not reached 5 of 7 council signatures yet" : "this emergency's rollback has already been executed");
  }
  if (rollbackBlock <= tip) throw new AppError("ROLLBACK_NOT_ABOVE_TIP", `rollback_block ${rollbackBlock} is not above the canonical tip ${tip}: a rollback never rewrites history`);
}

/** The legacy epoch a rollback registers. */
export function rollbackEpoch(emergencyHash: string, rollbackBlock: number, activationTimestamp: number): Epoch {
  return {
    start_block: rollbackBlock,
    end_block: null,
    algorithm_id: SHA256_ID,
    algorithm_name: "SHA-256",
    rule_version: "v1-legacy",
    activation_timestamp: activationTimestamp,
    governance_hash: emergencyHash,
  };
}
