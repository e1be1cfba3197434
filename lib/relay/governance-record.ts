/**
 * Governance decisions as the relay carries them between nodes: the signed envelopes that made the decision, so that
 * each receiving node verifies them itself, against its own genesis member registry and the same thresholds, before
 * it registers the epoch (docs/spec/governance.md §6; the plan's "all nodes switch together"). Nothing the sender
 * says is trusted except `decided_at`, the activation timestamp it registered (unsigned, and only a label of the
 * epoch: which blocks the epoch governs comes from the signed bodies).
 *
 *   activation: { kind: "activation", proposal, reviews: [...], votes: [...], decided_at }
 *     the proposal signed by a proposer; reviews by distinct reviewers whose consensus is APPROVE (the gate to
 *     voting); votes on this proposal whose tally, with voting power from the receiver's own registry, is APPROVED
 *     (quorum 40%, approval 66.7%). Registers proposalEpoch(body, proposal digest, decided_at).
 *   rollback: { kind: "rollback", declaration, signatures: [...], rollback, decided_at }
 *     an emergency declaration by a council member, signatures on it by other council members (5 of 7 distinct
 *     signers, the declarer included), and the rollback order by a council member naming that emergency. Registers
 *     rollbackEpoch(emergency hash, rollback_block, decided_at).
 *
 * Time windows and nonces are not checked here: they guard submissions to the node that first accepted them, while a
 * relayed record may arrive long after (a peer that was down), and a replay of it registers nothing new.
 */
import { AppError } from "../errors";
import { describeValue } from "../encoding/hex";
import type { Epoch } from "../consensus/epochs";
import type { ProposalBody, ReviewBody, RollbackBody, EmergencySignatureBody, VoteBody, Recommendation } from "../governance/bodies";
import { verifyEnvelope, type SignedEnvelope, type VerifiedEnvelope, type VerifyContext } from "../governance/envelope";
import type { Ed25519Verify } from "../governance/hybrid-keys";
import { requireRole, type Member } from "../governance/members";
import { checkCouncilSignature, thresholdReached } from "../governance/council-threshold";
import { checkDeclaration, rollbackEpoch } from "../governance/emergency";
import { proposalEpoch } from "../governance/proposal";
import { reviewConsensus } from "../governance/review-consensus";
import { freezePowerTable, tallyVotes, type CastVote, type Tally } from "../governance/tally";

export interface ActivationRecord {
  kind: "activation";
  proposal: SignedEnvelope;
  reviews: SignedEnvelope[];
  votes: SignedEnvelope[];
  decided_at: number;
}

export interface RollbackRecord {
  kind: "rollback";
  declaration: SignedEnvelope;
  signatures: SignedEnvelope[];
  rollback: SignedEnvelope;
  decided_at: number;
}

export type GovernanceRecord = ActivationRecord | RollbackRecord;

/** What a verified record decides: the epoch to register and who decided it. */
export interface VerifiedDecision {
  kind: GovernanceRecord["kind"];
  /** The proposal hash (activation) or emergency hash (rollback): the epoch's governance_hash. */
  governance_hash: string;
  epoch: Epoch;
  /** Verified signers that count towards the threshold. */
  signers: string[];
  tally: Tally | null;
  proposal?: { body: ProposalBody; proposer: string; envelope: SignedEnvelope };
  emergency?: { declarer: string; trigger: string; evidence: string; envelope: SignedEnvelope; rollback_by: string; rollback_envelope: SignedEnvelope };
}

export interface RecordVerifyContext {
  networkId: string;
  members: ReadonlyMap<string, Member>;
  edVerify?: Ed25519Verify;
}

const MAX_ENVELOPES = 10_000;

function invalid(message: string): never {
  throw new AppError("INVALID_ENVELOPE", `governance record: ${message}`);
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) invalid(`${where} must be an array, got ${describeValue(value)}`);
  if (value.length > MAX_ENVELOPES) invalid(`${where} holds ${value.length} envelopes; at most ${MAX_ENVELOPES}`);
  return value;
}

/** Verifies an untrusted record; returns the decision, or throws AppError with the governance reason code. */
export function verifyGovernanceRecord(input: unknown, ctx: RecordVerifyContext): VerifiedDecision {
  if (!input || typeof input !== "object" || Array.isArray(input)) invalid(`expected an object, got ${describeValue(input)}`);
  const record = input as Record<string, unknown>;
  const decidedAt = record.decided_at;
  if (typeof decidedAt !== "number" || !Number.isSafeInteger(decidedAt) || decidedAt < 0) invalid(`decided_at must be Unix seconds, got ${describeValue(decidedAt)}`);
  const verifyCtx: VerifyContext = { networkId: ctx.networkId, now: decidedAt, findMember: (id) => ctx.members.get(id), ignoreTime: true, edVerify: ctx.edVerify };
  const verify = (raw: unknown, type: string, where: string): VerifiedEnvelope => {
    const envelope = verifyEnvelope(raw, verifyCtx);
    if (envelope.message.type !== type) throw new AppError("INVALID_MESSAGE", `governance record: ${where} is a ${envelope.message.type} message, not a ${type}`);
    return envelope;
  };
  const allowed = record.kind === "activation" ? ["kind", "proposal", "reviews", "votes", "decided_at"] : ["kind", "declaration", "signatures", "rollback", "decided_at"];
  for (const key of Object.keys(record)) if (!allowed.includes(key)) invalid(`unexpected field "${key}"`);

  if (record.kind === "activation") {
    const proposal = verify(record.proposal, "proposal", "proposal");
    requireRole(proposal.member, "proposer", "submit a proposal");
    const hash = proposal.digest;
    const reviewers = new Set<string>();
    const recommendations: Recommendation[] = [];
    list(record.reviews, "reviews").forEach((raw, i) => {
      const review = verify(raw, "review", `reviews[${i}]`);
      const body = review.message.body as ReviewBody;
      if (body.proposal_hash !== hash) throw new AppError("TARGET_MISMATCH", `governance record: reviews[${i}] reviews ${body.proposal_hash}, not ${hash}`);
      requireRole(review.member, "reviewer", "review a proposal");
      if (reviewers.has(review.member.id)) throw new AppError("DUPLICATE_SIGNER", `governance record: ${review.member.id} reviewed twice`);
      reviewers.add(review.member.id);
      recommendations.push(body.recommendation);
    });
    if (reviewConsensus(recommendations) !== "APPROVE") {
      throw new AppError("THRESHOLD_NOT_MET", `governance record: the ${recommendations.length} verified reviews of proposal ${hash} do not reach review consensus to approve`);
    }
    // Voting power from this node's own registry, as it is frozen when voting opens (members change only by genesis).
    const powers = freezePowerTable([...ctx.members.values()]);
    const cast: CastVote[] = [];
    const seen = new Set<string>();
    list(record.votes, "votes").forEach((raw, i) => {
      const vote = verify(raw, "vote", `votes[${i}]`);
      const body = vote.message.body as VoteBody;
      if (body.proposal_hash !== hash) throw new AppError("TARGET_MISMATCH", `governance record: votes[${i}] is a vote on ${body.proposal_hash}, not on ${hash}`);
      if (!(powers[vote.member.id] > 0)) throw new AppError("ZERO_VOTING_POWER", `governance record: votes[${i}] is by ${vote.member.id}, who has no voting power here`);
      const key = `${vote.member.id}/${vote.message.nonce}`;
      if (seen.has(key)) throw new AppError("NONCE_NOT_INCREASING", `governance record: votes[${i}] repeats ${vote.member.id}'s nonce ${vote.message.nonce}`);
      seen.add(key);
      cast.push({ voter: vote.member.id, choice: body.choice, nonce: vote.message.nonce });
    });
    const tally = tallyVotes(cast, powers);
    if (tally.outcome !== "APPROVED") {
      throw new AppError("THRESHOLD_NOT_MET", `governance record: the verified votes on proposal ${hash} do not approve it here (outcome ${tally.outcome}; quorum and 66.7% approval by this node's voting power)`);
    }
    const body = proposal.message.body as ProposalBody;
    return {
      kind: "activation",
      governance_hash: hash,
      epoch: proposalEpoch(body, hash, decidedAt),
      signers: [...new Set(cast.map((c) => c.voter))].sort(),
      tally,
      proposal: { body, proposer: proposal.member.id, envelope: { message: proposal.message, signatures: proposal.signatures } },
    };
  }

  if (record.kind === "rollback") {
    const declaration = verify(record.declaration, "emergency_declaration", "declaration");
    checkDeclaration(declaration.member);
    const hash = declaration.digest;
    const signers = [declaration.member.id];
    list(record.signatures, "signatures").forEach((raw, i) => {
      const signature = verify(raw, "emergency_signature", `signatures[${i}]`);
      const body = signature.message.body as EmergencySignatureBody;
      if (body.emergency_hash !== hash) throw new AppError("TARGET_MISMATCH", `governance record: signatures[${i}] signs emergency ${body.emergency_hash}, not ${hash}`);
      checkCouncilSignature(signature.member, signers, `emergency ${hash}`);
      signers.push(signature.member.id);
    });
    if (!thresholdReached(signers)) {
      throw new AppError("THRESHOLD_NOT_MET", `governance record: emergency ${hash} carries ${signers.length} verified council signatures; 5 of 7 are needed`);
    }
    const rollback = verify(record.rollback, "rollback", "rollback");
    requireRole(rollback.member, "council", "order a rollback");
    const body = rollback.message.body as RollbackBody;
    if (body.emergency_hash !== hash) throw new AppError("TARGET_MISMATCH", `governance record: the rollback names emergency ${body.emergency_hash}, not ${hash}`);
    const declared = declaration.message.body as { trigger: string; evidence: string };
    return {
      kind: "rollback",
      governance_hash: hash,
      epoch: rollbackEpoch(hash, body.rollback_block, decidedAt),
      signers,
      tally: null,
      emergency: {
        declarer: declaration.member.id,
        trigger: declared.trigger,
        evidence: declared.evidence,
        envelope: { message: declaration.message, signatures: declaration.signatures },
        rollback_by: rollback.member.id,
        rollback_envelope: { message: rollback.message, signatures: rollback.signatures },
      },
    };
  }
  invalid(`kind must be "activation" or "rollback", got ${describeValue(record.kind)}`);
}
