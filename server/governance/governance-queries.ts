/**
 * Read models for the portal, the tRPC routers and the CLI: proposals (with reviews and a live tally), attestations,
 * emergencies, members, the audit log. Everything returned is plain JSON with snake_case keys.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import type { ProposalBody, Recommendation } from "../../lib/governance/bodies";
import type { SignedEnvelope } from "../../lib/governance/envelope";
import { COUNCIL_SIZE, COUNCIL_THRESHOLD } from "../../lib/governance/members";
import type { ProposalStatus } from "../../lib/governance/proposal";
import { MIN_REVIEWS, reviewConsensus } from "../../lib/governance/review-consensus";
import type { Tally } from "../../lib/governance/tally";
import { attestationFromRow, loadAttestation } from "./council-actions";
import { loadGovernance } from "./governance-store";
import { loadTally } from "./governance-transitions";

export interface ProposalSummary {
  proposal_hash: string;
  proposal_id: string;
  title: string;
  proposer: string;
  status: ProposalStatus;
  activation_block: number;
  submission_timestamp: number;
  voting_ends_at: number | null;
}

export interface ProposalDetail extends ProposalSummary {
  proposal_type: string;
  body: ProposalBody;
  envelope: SignedEnvelope;
  voting_starts_at: number | null;
  decided_at: number | null;
  reviews: { reviewer: string; recommendation: Recommendation; digest: string; created_at: number; body: Record<string, unknown> }[];
  review_consensus: "APPROVE" | "REJECT" | null;
  min_reviews: number;
  power_table: Record<string, number> | null;
  /** Live while VOTING, final afterwards; null before voting opens. */
  tally: Tally | null;
  vote_count: number;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const STATUS_FILTERS = new Set<string>(["SUBMITTED", "UNDER_REVIEW", "VOTING", "APPROVED", "REJECTED", "SCHEDULED", "ACTIVATED", "EXPIRED"]);

export async function listProposals(pool: pg.Pool, options: { status?: string; limit?: number } = {}): Promise<ProposalSummary[]> {
  if (options.status && !STATUS_FILTERS.has(options.status)) throw new AppError("INVALID_MESSAGE", `unknown proposal status ${JSON.stringify(options.status)}`);
  const { rows } = await pool.query(
    `SELECT hash, proposal_id, title, proposer, status, activation_block, submission_timestamp, voting_ends_at FROM governance_proposals
     WHERE ($1::text IS NULL OR status = $1) ORDER BY submission_timestamp DESC, hash LIMIT $2`,
    [options.status ?? null, Math.min(Math.max(options.limit ?? 100, 1), 500)],
  );
  return rows.map((r) => ({ proposal_hash: r.hash, proposal_id: r.proposal_id, title: r.title, proposer: r.proposer, status: r.status, activation_block: r.activation_block, submission_timestamp: Number(r.submission_timestamp), voting_ends_at: num(r.voting_ends_at) }));
}

export async function getProposal(pool: pg.Pool, hash: string): Promise<ProposalDetail> {
  const { rows } = await pool.query("SELECT * FROM governance_proposals WHERE hash = $1", [hash]);
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `no proposal ${hash} exists`);
  const r = rows[0];
  const { rows: reviews } = await pool.query("SELECT reviewer, recommendation, digest, created_at, envelope FROM governance_reviews WHERE proposal_hash = $1 ORDER BY created_at, reviewer", [hash]);
  const { rows: count } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM governance_votes WHERE proposal_hash = $1", [hash]);
  const tally: Tally | null = r.tally ?? (r.power_table ? await loadTally(pool, hash, r.power_table) : null);
  return {
    proposal_hash: r.hash,
    proposal_id: r.proposal_id,
    proposal_type: r.proposal_type,
    title: r.title,
    proposer: r.proposer,
    status: r.status,
    activation_block: r.activation_block,
    submission_timestamp: Number(r.submission_timestamp),
    voting_starts_at: num(r.voting_starts_at),
    voting_ends_at: num(r.voting_ends_at),
    decided_at: num(r.decided_at),
    body: r.envelope.message.body,
    envelope: r.envelope,
    reviews: reviews.map((x) => ({ reviewer: x.reviewer, recommendation: x.recommendation, digest: x.digest, created_at: Number(x.created_at), body: x.envelope.message.body })),
    review_consensus: reviewConsensus(reviews.map((x) => x.recommendation)),
    min_reviews: MIN_REVIEWS,
    power_table: r.power_table,
    tally,
    vote_count: count[0].n,
  };
}

export async function getTally(pool: pg.Pool, hash: string): Promise<{ proposal_hash: string; status: ProposalStatus; tally: Tally | null; voting_ends_at: number | null }> {
  const p = await getProposal(pool, hash);
  return { proposal_hash: hash, status: p.status, tally: p.tally, voting_ends_at: p.voting_ends_at };
}

/** Every vote version of a proposal, oldest first, with the envelope (for the export and the audit view). */
export async function listVotes(pool: pg.Pool, hash: string): Promise<{ voter: string; choice: string; nonce: number; digest: string; created_at: number; envelope: SignedEnvelope }[]> {
  const { rows } = await pool.query("SELECT voter, choice, nonce, digest, created_at, envelope FROM governance_votes WHERE proposal_hash = $1 ORDER BY created_at, voter, nonce", [hash]);
  return rows.map((r) => ({ voter: r.voter, choice: r.choice, nonce: Number(r.nonce), digest: r.digest, created_at: Number(r.created_at), envelope: r.envelope }));
}

export async function getAttestation(pool: pg.Pool, id: string) {
  const record = await loadAttestation(pool, id);
  const { rows } = await pool.query("SELECT signer, digest, created_at FROM governance_attestation_signatures WHERE attestation_id = $1 ORDER BY created_at, signer", [id]);
  return { ...record, threshold: `${COUNCIL_THRESHOLD}/${COUNCIL_SIZE}`, signatures: rows.map((r) => ({ signer: r.signer, digest: r.digest, created_at: Number(r.created_at) })) };
}

export async function listAttestations(pool: pg.Pool, limit = 100) {
  const { rows } = await pool.query(
    `SELECT a.*, (SELECT count(*)::int FROM governance_attestation_signatures s WHERE s.attestation_id = a.id) AS signatures
     FROM governance_attestations a ORDER BY created_at DESC, id LIMIT $1`,
    [Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((r) => ({ ...attestationFromRow(r), signature_count: r.signatures, threshold: `${COUNCIL_THRESHOLD}/${COUNCIL_SIZE}` }));
}

export async function getEmergency(pool: pg.Pool, hash: string) {
  const { rows } = await pool.query("SELECT * FROM governance_emergencies WHERE hash = $1", [hash]);
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `no emergency ${hash} exists`);
  const r = rows[0];
  const { rows: sigs } = await pool.query("SELECT signer, digest, created_at FROM governance_emergency_signatures WHERE emergency_hash = $1 ORDER BY created_at, signer", [hash]);
  return {
    emergency_hash: r.hash,
    declarer: r.declarer,
    trigger: r.trigger,
    evidence: r.evidence,
    status: r.status as string,
    created_at: Number(r.created_at),
    declared_at: num(r.declared_at),
    rollback_block: r.rollback_block as number | null,
    rollback_by: r.rollback_by as string | null,
    rolled_back_at: num(r.rolled_back_at),
    threshold: `${COUNCIL_THRESHOLD}/${COUNCIL_SIZE}`,
    signatures: sigs.map((s) => ({ signer: s.signer, digest: s.digest, created_at: Number(s.created_at) })),
  };
}

export async function listEmergencies(pool: pg.Pool, limit = 100) {
  const { rows } = await pool.query(
    `SELECT e.hash, e.declarer, e.trigger, e.status, e.created_at, e.rollback_block, (SELECT count(*)::int FROM governance_emergency_signatures s WHERE s.emergency_hash = e.hash) AS signatures
     FROM governance_emergencies e ORDER BY created_at DESC, hash LIMIT $1`,
    [Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((r) => ({ emergency_hash: r.hash, declarer: r.declarer, trigger: r.trigger, status: r.status, created_at: Number(r.created_at), rollback_block: r.rollback_block, signature_count: r.signatures, threshold: `${COUNCIL_THRESHOLD}/${COUNCIL_SIZE}` }));
}

export async function listMembers(pool: pg.Pool) {
  const registry = await loadGovernance(pool);
  const { rows } = await pool.query<{ id: string; last_nonce: number }>("SELECT id, last_nonce FROM governance_members");
  const nonces = new Map(rows.map((r) => [r.id, Number(r.last_nonce)]));
  return {
    network_id: registry.networkId,
    params: registry.params,
    genesis_hash: registry.genesisHash,
    members: [...registry.members.values()].map((m) => ({ ...m, last_nonce: nonces.get(m.id) ?? 0 })),
  };
}
