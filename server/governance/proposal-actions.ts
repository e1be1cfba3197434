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

export async function castVote(ctx: ActionContext<"vote">): Promise<ActionResult> {
  const { client, envelope, now } = ctx;
  const body: VoteBody = envelope.message.body;
  // Votes only read the proposal (no row lock): the governance lock already orders them against finalization.
  const { rows } = await client.query<Pick<ProposalRow, "status" | "voting_ends_at" | "power_table">>("SELECT status, voting_ends_at, power_table FROM governance_proposals WHERE hash = $1", [body.proposal_hash]);
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `no proposal ${body.proposal_hash} exists`);
  const p = rows[0];
  checkVote(envelope.member, p.status, p.voting_ends_at === null ? null : Number(p.voting_ends_at), now, p.power_table ?? {});
  await client.query("INSERT INTO governance_votes (digest, proposal_hash, voter, choice, nonce, envelope, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
    envelope.digest,
    body.proposal_hash,
    envelope.member.id,
    body.choice,
    envelope.message.nonce,
    envelopeJson(ctx),
    now,
  ]);
  await appendAudit(client, "VoteCast", { proposal_hash: body.proposal_hash, voter: envelope.member.id, choice: body.choice, nonce: envelope.message.nonce, digest: envelope.digest }, now);
  return { type: "vote", digest: envelope.digest, proposal_hash: body.proposal_hash, status: p.status };
}
