/**
 * A rollback block as a council member types it on the council page, checked with the rules the server applies when
 * the signed rollback arrives (docs/spec/governance.md §6.5): checkRollback (a council member, a DECLARED emergency,
 * a block strictly above the canonical tip) and the consensus core's registration of the legacy epoch on a copy of
 * the registry (no overlap with a scheduled epoch, above finality). Advice before signing: the server checks again.
 */
import { registerEpoch, type EpochRegistry } from "../consensus/epochs";
import { isAppError } from "../errors";
import type { RollbackBody } from "./bodies";
import { checkRollback, rollbackEpoch, type EmergencyStatus } from "./emergency";
import type { Member } from "./members";

export interface RollbackDraftContext {
  registry: EpochRegistry;
  tip: number;
  finalizedHeight: number | null;
}

export type RollbackDraftCheck = { body: RollbackBody; problem: null } | { body: null; problem: { code: string; message: string } };

/** Reads `text` as the rollback block and checks it for `signer` (the member whose key is unlocked). */
export function checkRollbackDraft(text: string, emergency: { emergency_hash: string; status: EmergencyStatus }, signer: Member, ctx: RollbackDraftContext, now: number): RollbackDraftCheck {
  const t = text.trim();
  if (!/^[0-9]{1,15}$/.test(t) || Number(t) < 1) {
    return { body: null, problem: { code: "INVALID_MESSAGE", message: `the rollback block must be a positive whole number, got ${JSON.stringify(t)}` } };
  }
  const block = Number(t);
  try {
    checkRollback(signer, emergency.status, block, ctx.tip);
    registerEpoch(ctx.registry, rollbackEpoch(emergency.emergency_hash, block, now), { finalizedHeight: ctx.finalizedHeight });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { body: null, problem: { code: error.code, message: error.message } };
  }
  return { body: { emergency_hash: emergency.emergency_hash, rollback_block: block }, problem: null };
}
