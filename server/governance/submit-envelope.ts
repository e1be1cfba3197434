/**
 * The one entry point for signed governance actions (web, CLI, tests): verify the envelope, then, in one transaction
 * under the governance lock, check the signer's nonce, apply the action's rules, store it with its audit entries and
 * advance the nonce. Any refusal throws AppError with a reason code and stores nothing.
 *
 * Signatures are verified before the transaction (they are the expensive part and need no lock), the nonce inside
 * it (two concurrent submissions of one envelope: the second finds the nonce taken). The web server verifies on its
 * thread pool (options.checkSignatures, verify-pool.ts); votes, the one action that arrives in crowds, are stored
 * in groups that share a transaction (vote-commit-queue.ts), each vote checked as if alone.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import type { MessageType } from "../../lib/governance/bodies";
import { checkNonce, verifyEnvelope, verifyEnvelopeWith, type VerifiedEnvelope } from "../../lib/governance/envelope";
import type { HybridSignatureCheck } from "../../lib/governance/hybrid-keys";
import type { ActionContext, ActionResult } from "./action-context";
import { declareEmergency, executeRollback, signAttestation, signEmergency } from "./council-actions";
import { recordGovernanceAlert } from "../drift/governance-alerts";
import { emitCriticalGovernanceEvent, type CriticalGovernanceEvent } from "./governance-events";
import { inGovernanceTransaction, loadGovernance } from "./governance-store";
import { nodeEd25519Verify } from "./node-ed25519";
import { submitProposal, submitReview } from "./proposal-actions";
import { voteCommitQueue } from "./vote-commit-queue";

type Handler = (ctx: ActionContext) => Promise<ActionResult>;
const HANDLERS: Record<Exclude<MessageType, "vote">, Handler> = {
  proposal: submitProposal as Handler,
  review: submitReview as Handler,
  attestation: signAttestation as Handler,
  emergency_declaration: declareEmergency as Handler,
  emergency_signature: signEmergency as Handler,
  rollback: executeRollback as Handler,
};

export interface SubmitOptions {
  /** Unix seconds; defaults to the server clock. */
  now?: number;
  /** Accept only these message types (e.g. the vote endpoint accepts votes only). */
  expectTypes?: readonly MessageType[];
  /**
   * Runs once the envelope has verified, before the transaction (the HTTP surfaces count the signer's rate limit
   * here: only the key holder can spend a member's budget). Throwing refuses the envelope; nothing is stored.
   */
  afterVerify?: (envelope: VerifiedEnvelope) => Promise<void>;
  /** Where both signatures are checked (the web server's thread pool); default: on this thread. */
  checkSignatures?: HybridSignatureCheck;
}

export async function submitEnvelope(pool: pg.Pool, input: unknown, options: SubmitOptions = {}): Promise<ActionResult> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const registry = await loadGovernance(pool);
  const context = { networkId: registry.networkId, now, findMember: (id: string) => registry.members.get(id) };
  const envelope: VerifiedEnvelope = options.checkSignatures
    ? await verifyEnvelopeWith(input, context, options.checkSignatures)
    : verifyEnvelope(input, { ...context, edVerify: nodeEd25519Verify });
  if (options.expectTypes && !options.expectTypes.includes(envelope.message.type)) {
    throw new AppError("INVALID_MESSAGE", `this endpoint accepts ${options.expectTypes.join(", ")} messages, not ${envelope.message.type}`);
  }
  await options.afterVerify?.(envelope);
  if (envelope.message.type === "vote") return voteCommitQueue(pool).submit(envelope as VerifiedEnvelope<"vote">, now);
  const critical: CriticalGovernanceEvent[] = [];
  const result = await inGovernanceTransaction(pool, async (client) => {
    const signer = envelope.message.signer;
    const { rows } = await client.query<{ last_nonce: number }>("SELECT last_nonce FROM governance_members WHERE id = $1 FOR UPDATE", [signer]);
    checkNonce(signer, envelope.message.nonce, Number(rows[0]?.last_nonce ?? 0));
    const outcome = await HANDLERS[envelope.message.type as Exclude<MessageType, "vote">]({ client, envelope, registry, now, critical });
    // Persisted in the decision's own transaction: routed as CRITICAL by the radar's alerting (worker or agent) if
    // and only if the decision commits (server/drift/governance-alerts.ts).
    for (const event of critical) await recordGovernanceAlert(client, event);
    await client.query("UPDATE governance_members SET last_nonce = $2 WHERE id = $1", [signer, envelope.message.nonce]);
    return outcome;
  });
  for (const event of critical) await emitCriticalGovernanceEvent(event);
  return result;
}
