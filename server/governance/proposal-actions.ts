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

/** One vote to store, as handed to castVotes: its verified envelope and the server clock when it arrived. */
export interface VoteToStore {
  envelope: VerifiedEnvelope<"vote">;
  now: number;
}

/** What became of one vote of a castVotes group: stored (its result) or refused (the reason, nothing written). */
export type VoteOutcome = { result: ActionResult } | { refusal: AppError };

/**
 * Votes, inside a governance transaction (vote-commit-queue.ts hands in every vote that arrived while the previous
 * transaction ran). Each vote is checked exactly as if it were alone, in the order given: the signer's nonce, the
 * target, then checkVote's rules (role, phase, window, power). A vote's effects on the votes after it in the same
 * group are the ones a separate transaction would have had: a signer's accepted nonce raises the bar for that signer's
 * next vote, and each audit entry chains onto the one before. A refused vote writes nothing and does not disturb the
 * others.
 *
 * The database is read once for the whole group and written once: two round trips whatever the group's size. Votes
 * only read the proposal (no row lock): the governance lock already orders them against finalization. Only each
 * voter's entry of the frozen power table is read.
 */
export async function castVotes(client: pg.PoolClient, votes: readonly VoteToStore[]): Promise<VoteOutcome[]> {
  if (votes.length === 0) return [];
  const { rows } = await client.query<{ ord: string; last_nonce: string | null; status: ProposalStatus | null; voting_ends_at: string | null; power: unknown; head_seq: string | null; head_hash: string | null }>(
    `SELECT i.ord, m.last_nonce, p.status, p.voting_ends_at, p.power_table -> i.voter AS power, head.seq AS head_seq, head.entry_hash AS head_hash
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS i(voter, proposal_hash, ord)
       LEFT JOIN governance_members m ON m.id = i.voter
       LEFT JOIN governance_proposals p ON p.hash = i.proposal_hash
       LEFT JOIN (SELECT seq, entry_hash FROM governance_audit_log ORDER BY seq DESC LIMIT 1) AS head ON true
      ORDER BY i.ord`,
    [votes.map((v) => v.envelope.member.id), votes.map((v) => v.envelope.message.body.proposal_hash)],
  );
  // Under the lock the audit head is this transaction's own last entry; every row carries the same one.
  let head = rows[0].head_seq === null || rows[0].head_hash === null ? null : { seq: Number(rows[0].head_seq), entry_hash: rows[0].head_hash };
  const lastNonce = new Map<string, number>();
  const outcomes: VoteOutcome[] = [];
  const stored: { digest: string; proposal_hash: string; voter: string; choice: string; nonce: number; envelope: unknown; created_at: number }[] = [];
  const audit: { seq: number; event: string; payload: unknown; created_at: number; prev_hash: string; entry_hash: string }[] = [];
  votes.forEach(({ envelope, now }, i) => {
    const row = rows[i];
    const body: VoteBody = envelope.message.body;
    const voter = envelope.member.id;
    try {
      checkNonce(voter, envelope.message.nonce, lastNonce.get(voter) ?? Number(row.last_nonce ?? 0));
      if (row.status === null) throw new AppError("UNKNOWN_TARGET", `no proposal ${body.proposal_hash} exists`);
      const power = typeof row.power === "number" ? row.power : 0;
      checkVote(envelope.member, row.status, row.voting_ends_at === null ? null : Number(row.voting_ends_at), now, { [voter]: power });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ refusal: error });
      return;
    }
    lastNonce.set(voter, envelope.message.nonce);
    const entry = nextAuditEntry(head, "VoteCast", { proposal_hash: body.proposal_hash, voter, choice: body.choice, nonce: envelope.message.nonce, digest: envelope.digest }, now);
    head = entry;
    stored.push({ digest: envelope.digest, proposal_hash: body.proposal_hash, voter, choice: body.choice, nonce: envelope.message.nonce, envelope: { message: envelope.message, signatures: envelope.signatures }, created_at: now });
    audit.push({ seq: entry.seq, event: entry.event, payload: entry.payload, created_at: now, prev_hash: entry.prev_hash, entry_hash: entry.entry_hash });
    outcomes.push({ result: { type: "vote", digest: envelope.digest, proposal_hash: body.proposal_hash, status: row.status as ProposalStatus } });
  });
  if (stored.length === 0) return outcomes;
  // The votes, their audit entries and each voter's new nonce (the last accepted, which is the highest) in one statement.
  await client.query(
    `WITH vote AS (
       INSERT INTO governance_votes (digest, proposal_hash, voter, choice, nonce, envelope, created_at)
       SELECT digest, proposal_hash, voter, choice, nonce, envelope, created_at
         FROM jsonb_to_recordset($1::jsonb) AS v(digest text, proposal_hash text, voter text, choice text, nonce bigint, envelope jsonb, created_at bigint)
     ), audit AS (
       INSERT INTO governance_audit_log (seq, event, payload, created_at, prev_hash, entry_hash)
       SELECT seq, event, payload, created_at, prev_hash, entry_hash
         FROM jsonb_to_recordset($2::jsonb) AS a(seq bigint, event text, payload jsonb, created_at bigint, prev_hash text, entry_hash text)
     )
     UPDATE governance_members m SET last_nonce = n.nonce
       FROM (SELECT voter, max(nonce) AS nonce FROM jsonb_to_recordset($1::jsonb) AS v(voter text, nonce bigint) GROUP BY voter) AS n
      WHERE m.id = n.voter`,
    [JSON.stringify(stored), JSON.stringify(audit)],
  );
  return outcomes;
}
