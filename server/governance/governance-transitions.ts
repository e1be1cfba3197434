/**
 * Transitions that happen by themselves (docs/spec/governance.md §6), run by the worker every second:
 *   - VOTING proposals whose window has ended are tallied: APPROVED then SCHEDULED (epoch registered in the same
 *     transaction) or EXPIRED (activation block no longer at least activation_lead_blocks above the tip), or REJECTED;
 *   - SCHEDULED proposals become ACTIVATED once the canonical chain reaches their activation block;
 *   - PENDING attestations past their deadline become INSUFFICIENT.
 * Each item is decided in its own governance transaction, so one failure does not hold back the others.
 */
import type pg from "pg";
import { isAppError } from "../../lib/errors";
import { activationDecision, proposalEpoch } from "../../lib/governance/proposal";
import { tallyVotes, type CastVote, type PowerTable, type Tally } from "../../lib/governance/tally";
import { canonicalTipNumber, registerEpochInTransaction } from "../chain/epoch-registry";
import { appendAudit } from "./audit-store";
import { inGovernanceTransaction, loadGovernance } from "./governance-store";
import { lockProposal } from "./proposal-actions";
import { logActivation } from "../relay/governance-relay";

export interface TransitionSummary {
  finalized: { proposal_hash: string; status: string }[];
  activated: string[];
  insufficient: string[];
}

/** The tally of a proposal from its stored votes (latest per voter) and frozen power table. */
export async function loadTally(db: pg.Pool | pg.PoolClient, proposalHash: string, powers: PowerTable): Promise<Tally> {
  const { rows } = await db.query<{ voter: string; choice: CastVote["choice"]; nonce: number }>("SELECT voter, choice, nonce FROM governance_votes WHERE proposal_hash = $1", [proposalHash]);
  return tallyVotes(rows.map((r) => ({ voter: r.voter, choice: r.choice, nonce: Number(r.nonce) })), powers);
}

async function finalizeProposal(pool: pg.Pool, hash: string, now: number, leadBlocks: number): Promise<string | null> {
  return inGovernanceTransaction(pool, async (client) => {
    const p = await lockProposal(client, hash);
    if (p.status !== "VOTING" || p.voting_ends_at === null || now < p.voting_ends_at) return null;
    const tally = await loadTally(client, hash, p.power_table ?? {});
    if (tally.outcome === "REJECTED") {
      await client.query("UPDATE governance_proposals SET status = 'REJECTED', tally = $2, decided_at = $3, updated_at = $3 WHERE hash = $1", [hash, JSON.stringify(tally), now]);
      await appendAudit(client, "ProposalRejected", { proposal_hash: hash, by: "vote", tally }, now);
      return "REJECTED";
    }
    await appendAudit(client, "ProposalApproved", { proposal_hash: hash, tally }, now);
    const tip = await canonicalTipNumber(client);
    let status = activationDecision(p.activation_block, tip, leadBlocks);
    let reason: string | null = status === "EXPIRED" ? `activation block ${p.activation_block} is less than ${leadBlocks} blocks above the tip ${tip}` : null;
    if (status === "SCHEDULED") {
      // A savepoint keeps the decision if the core now refuses the epoch (e.g. a rollback registered meanwhile).
      await client.query("SAVEPOINT register_epoch");
      try {
        await registerEpochInTransaction(client, proposalEpoch(p.envelope.message.body, hash, now));
        await client.query("RELEASE SAVEPOINT register_epoch");
        // The peers register the same epoch once they have verified the signed record themselves (server/relay).
        await logActivation(client, hash, now);
      } catch (error) {
        if (!isAppError(error)) throw error;
        await client.query("ROLLBACK TO SAVEPOINT register_epoch");
        status = "EXPIRED";
        reason = `the consensus core refused the epoch (${error.code}): ${error.message}`;
      }
    }
    await client.query("UPDATE governance_proposals SET status = $2, tally = $3, decided_at = $4, updated_at = $4 WHERE hash = $1", [hash, status, JSON.stringify(tally), now]);
    await appendAudit(client, status === "SCHEDULED" ? "ActivationScheduled" : "ProposalExpired", { proposal_hash: hash, activation_block: p.activation_block, tip, ...(reason ? { reason } : {}) }, now);
    return status;
  });
}

export async function advanceGovernance(pool: pg.Pool, now = Math.floor(Date.now() / 1000)): Promise<TransitionSummary> {
  const summary: TransitionSummary = { finalized: [], activated: [], insufficient: [] };
  const registry = await loadGovernance(pool);
  const due = await pool.query<{ hash: string }>("SELECT hash FROM governance_proposals WHERE status = 'VOTING' AND voting_ends_at <= $1 ORDER BY voting_ends_at", [now]);
  for (const { hash } of due.rows) {
    const status = await finalizeProposal(pool, hash, now, registry.params.activation_lead_blocks);
    if (status) summary.finalized.push({ proposal_hash: hash, status });
  }
  const tip = await canonicalTipNumber(pool);
  const reached = await pool.query<{ hash: string }>("SELECT hash FROM governance_proposals WHERE status = 'SCHEDULED' AND activation_block <= $1", [tip]);
  for (const { hash } of reached.rows) {
    const done = await inGovernanceTransaction(pool, async (client) => {
      const updated = await client.query("UPDATE governance_proposals SET status = 'ACTIVATED', updated_at = $2 WHERE hash = $1 AND status = 'SCHEDULED'", [hash, now]);
      if ((updated.rowCount ?? 0) === 0) return false;
      await appendAudit(client, "ProposalActivated", { proposal_hash: hash, tip }, now);
      return true;
    });
    if (done) summary.activated.push(hash);
  }
  const lapsed = await pool.query<{ id: string }>("SELECT id FROM governance_attestations WHERE status = 'PENDING' AND deadline <= $1", [now]);
  for (const { id } of lapsed.rows) {
    const done = await inGovernanceTransaction(pool, async (client) => {
      const updated = await client.query("UPDATE governance_attestations SET status = 'INSUFFICIENT', decided_at = $2 WHERE id = $1 AND status = 'PENDING'", [id, now]);
      if ((updated.rowCount ?? 0) === 0) return false;
      await appendAudit(client, "AttestationInsufficient", { attestation_id: id }, now);
      return true;
    });
    if (done) summary.insufficient.push(id);
  }
  return summary;
}
