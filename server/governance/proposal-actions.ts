/**
 * Proposal, review and vote actions (docs/spec/governance.md §6.1-6.3), run inside the governance transaction after
 * the envelope verified. Each either stores everything it changes plus audit entries, or throws with a reason code.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { DEFAULT_FORK_CHOICE_PARAMS, finalizedHeight } from "../../lib/consensus/fork-choice";
import type { ProposalBody, Recommendation, ReviewBody, VoteBody } from "../../lib/governance/bodies";
import { requireRole } from "../../lib/governance/members";
import { checkProposal, type ProposalStatus } from "../../lib/governance/proposal";
import { checkReview, reviewConsensus } from "../../lib/governance/review-consensus";
import { checkVote, freezePowerTable, type PowerTable } from "../../lib/governance/tally";
import { checkProposalBenchmarkResults } from "../bench/bench-service";
import { canonicalTipNumber, loadEpochRegistry } from "../chain/epoch-registry";
import { envelopeJson, type ActionContext, type ActionResult } from "./action-context";
import { appendAudit } from "./audit-store";
import { nextAuditEntry } from "../../lib/governance/audit-log";
import { checkNonce, type VerifiedEnvelope } from "../../lib/governance/envelope";

export interface ProposalRow {
  hash: string;
  proposal_id: string;
  status: ProposalStatus;
  proposer: string;
  activation_block: number;
  voting_ends_at: number | null;
  power_table: PowerTable | null;
  envelope: { message: { body: ProposalBody } };
}

/** Loads and row-locks a proposal, or throws UNKNOWN_TARGET. */
export async function lockProposal(client: pg.PoolClient, hash: string): Promise<ProposalRow> {
  const { rows } = await client.query<ProposalRow>(
    "SELECT hash, proposal_id, status, proposer, activation_block, voting_ends_at, power_table, envelope FROM governance_proposals WHERE hash = $1 FOR UPDATE",
    [hash],
  );
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `no proposal ${hash} exists`);
  return { ...rows[0], voting_ends_at: rows[0].voting_ends_at === null ? null : Number(rows[0].voting_ends_at) };
}

export async function submitProposal(ctx: ActionContext<"proposal">): Promise<ActionResult> {
  const { client, envelope, registry, now } = ctx;
  const body = envelope.message.body;
  requireRole(envelope.member, "proposer", "submit a proposal");
  await checkProposalBenchmarkResults(client, body.benchmark_results);
  const taken = await client.query("SELECT hash FROM governance_proposals WHERE proposal_id = $1", [body.proposal_id]);
  if ((taken.rowCount ?? 0) > 0) throw new AppError("INVALID_PROPOSAL", `proposal_id ${body.proposal_id} is already used by proposal ${taken.rows[0].hash}`);
  const tip = await canonicalTipNumber(client);
  const finalized = finalizedHeight(tip, DEFAULT_FORK_CHOICE_PARAMS);
  checkProposal(body, envelope.digest, now, {
    registry: await loadEpochRegistry(client),
    tip,
    finalizedHeight: finalized < 0 ? null : finalized,
    activationLeadBlocks: registry.params.activation_lead_blocks,
  });
  // SUBMITTED and UNDER_REVIEW happen in one step (the plan's submit_proposal then advance_to_review).
  await client.query(
    `INSERT INTO governance_proposals (hash, proposal_id, proposal_type, title, proposer, submission_timestamp, activation_block, status, envelope, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'UNDER_REVIEW', $8, $6)`,
    [envelope.digest, body.proposal_id, body.proposal_type, body.title, envelope.member.id, now, body.activation_block, envelopeJson(ctx)],
  );
  await appendAudit(client, "ProposalSubmitted", { proposal_hash: envelope.digest, proposal_id: body.proposal_id, proposer: envelope.member.id, activation_block: body.activation_block, nonce: envelope.message.nonce }, now);
  await appendAudit(client, "ProposalUnderReview", { proposal_hash: envelope.digest }, now);
  return { type: "proposal", digest: envelope.digest, proposal_hash: envelope.digest, status: "UNDER_REVIEW" };
}

export async function submitReview(ctx: ActionContext<"review">): Promise<ActionResult> {
  const { client, envelope, registry, now } = ctx;
  const body: ReviewBody = envelope.message.body;
  const proposal = await lockProposal(client, body.proposal_hash);
  const { rows } = await client.query<{ reviewer: string; recommendation: Recommendation }>("SELECT reviewer, recommendation FROM governance_reviews WHERE proposal_hash = $1", [proposal.hash]);
  checkReview(envelope.member, proposal.status, rows.map((r) => r.reviewer));
  await client.query("INSERT INTO governance_reviews (digest, proposal_hash, reviewer, recommendation, envelope, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
    envelope.digest,
    proposal.hash,
    envelope.member.id,
    body.recommendation,
    envelopeJson(ctx),
    now,
  ]);
  await appendAudit(client, "ReviewSubmitted", { proposal_hash: proposal.hash, reviewer: envelope.member.id, recommendation: body.recommendation, digest: envelope.digest }, now);
  const decision = reviewConsensus([...rows.map((r) => r.recommendation), body.recommendation]);
  let status: ProposalStatus = proposal.status;
  if (decision === "APPROVE") {
    // Voting opens: power is frozen now, from the member registry.
    const powers = freezePowerTable([...registry.members.values()]);
    const endsAt = now + registry.params.voting_period_seconds;
    await client.query("UPDATE governance_proposals SET status = 'VOTING', voting_starts_at = $2, voting_ends_at = $3, power_table = $4, updated_at = $2 WHERE hash = $1", [proposal.hash, now, endsAt, JSON.stringify(powers)]);
    await appendAudit(client, "VotingStarted", { proposal_hash: proposal.hash, voting_ends_at: endsAt, power_table: powers }, now);
    status = "VOTING";
  } else if (decision === "REJECT") {
    await client.query("UPDATE governance_proposals SET status = 'REJECTED', decided_at = $2, updated_at = $2 WHERE hash = $1", [proposal.hash, now]);
    await appendAudit(client, "ProposalRejected", { proposal_hash: proposal.hash, by: "review" }, now);
    status = "REJECTED";
  }
  return { type: "review", digest: envelope.digest, proposal_hash: proposal.hash, status };
}

/**
 * A vote, inside a governance transaction (vote-commit-queue.ts runs several in one): the nonce, the target and
 * checkVote's rules are checked first, by one read; only then is anything written (the vote, its audit entry and
 * the signer's nonce, in one statement), so a refusal leaves the transaction untouched and the votes around it in
 * the same transaction are unaffected.
 */
export async function castVote(client: pg.PoolClient, envelope: VerifiedEnvelope<"vote">, now: number): Promise<ActionResult> {
  const body: VoteBody = envelope.message.body;
  const voter = envelope.member.id;
  // Votes only read the proposal (no row lock): the governance lock already orders them against finalization. Only
  // the voter's entry of the frozen power table is read (the table has one entry per voter of the network). The
  // audit head is read in the same round trip (under the lock it is this transaction's own last entry).
  const { rows } = await client.query<{ last_nonce: string | null; status: ProposalStatus | null; voting_ends_at: string | null; power: unknown; head_seq: string | null; head_hash: string | null }>(
    `SELECT (SELECT last_nonce FROM governance_members WHERE id = $1) AS last_nonce, p.status, p.voting_ends_at, p.power_table -> $1 AS power,
            head.seq AS head_seq, head.entry_hash AS head_hash
       FROM (SELECT 1) AS one
       LEFT JOIN governance_proposals p ON p.hash = $2
       LEFT JOIN (SELECT seq, entry_hash FROM governance_audit_log ORDER BY seq DESC LIMIT 1) AS head ON true`,
    [voter, body.proposal_hash],
  );
  const row = rows[0];
  checkNonce(voter, envelope.message.nonce, Number(row.last_nonce ?? 0));
  if (row.status === null) throw new AppError("UNKNOWN_TARGET", `no proposal ${body.proposal_hash} exists`);
  const power = typeof row.power === "number" ? row.power : 0;
  checkVote(envelope.member, row.status, row.voting_ends_at === null ? null : Number(row.voting_ends_at), now, { [voter]: power });
  const head = row.head_seq === null || row.head_hash === null ? null : { seq: Number(row.head_seq), entry_hash: row.head_hash };
  const entry = nextAuditEntry(head, "VoteCast", { proposal_hash: body.proposal_hash, voter, choice: body.choice, nonce: envelope.message.nonce, digest: envelope.digest }, now);
  await client.query(
    `WITH vote AS (
       INSERT INTO governance_votes (digest, proposal_hash, voter, choice, nonce, envelope, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ), audit AS (
       INSERT INTO governance_audit_log (seq, event, payload, created_at, prev_hash, entry_hash) VALUES ($8, $9, $10, $7, $11, $12)
     )
     UPDATE governance_members SET last_nonce = $5 WHERE id = $3`,
    [envelope.digest, body.proposal_hash, voter, body.choice, envelope.message.nonce, JSON.stringify({ message: envelope.message, signatures: envelope.signatures }), now, entry.seq, entry.event, JSON.stringify(entry.payload), entry.prev_hash, entry.entry_hash],
  );
  return { type: "vote", digest: envelope.digest, proposal_hash: body.proposal_hash, status: row.status };
}
