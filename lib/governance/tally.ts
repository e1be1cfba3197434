/**
 * The vote tally (PLAN.md §4 "Vote Ledger"; docs/spec/governance.md §6.3), in exact integer arithmetic.
 *
 *   quorum:   (yes + no + abstain) / total_frozen_power ≥ 40/100      ⇔ 100·cast ≥ 40·total
 *   approval: yes / (yes + no) ≥ 667/1000 (the plan's 0.667)          ⇔ 1000·yes ≥ 667·(yes + no), with yes + no > 0
 * Exactly two thirds (e.g. 2 yes, 1 no) is 0.666… < 0.667 and does NOT pass. Voting power is the table frozen when
 * voting opened; only each voter's latest vote (highest nonce) counts, every earlier version stays in the log.
 * BigInt keeps sums exact whatever the powers.
 */
import { AppError } from "../errors";
import type { VoteChoice } from "./bodies";
import { requireRole, type Member } from "./members";
import { requirePhase, type ProposalStatus } from "./proposal";

export const QUORUM_NUMERATOR = 40n;
export const QUORUM_DENOMINATOR = 100n;
export const APPROVAL_NUMERATOR = 667n;
export const APPROVAL_DENOMINATOR = 1000n;

export interface CastVote {
  voter: string;
  choice: VoteChoice;
  nonce: number;
}

/** Voter id → integer voting power, frozen when voting opened. */
export type PowerTable = Readonly<Record<string, number>>;

export interface Tally {
  yes: string;
  no: string;
  abstain: string;
  /** yes + no + abstain */
  cast: string;
  total_power: string;
  /** Smallest cast power meeting the quorum: ceil(40·total / 100). */
  quorum_power: string;
  voters: number;
  quorum_met: boolean;
  approval_met: boolean;
  outcome: "APPROVED" | "REJECTED";
}

/** Each voter's latest vote (highest nonce); nonces are per-signer strictly increasing, so there are no ties. */
export function latestVotes(votes: readonly CastVote[]): CastVote[] {
  const latest = new Map<string, CastVote>();
  for (const v of votes) {
    const prev = latest.get(v.voter);
    if (!prev || v.nonce > prev.nonce) latest.set(v.voter, v);
  }
  return [...latest.values()].sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
}

export function totalPower(powers: PowerTable): bigint {
  let total = 0n;
  for (const p of Object.values(powers)) total += BigInt(p);
  return total;
}

export function tallyVotes(votes: readonly CastVote[], powers: PowerTable): Tally {
  const sums: Record<VoteChoice, bigint> = { YES: 0n, NO: 0n, ABSTAIN: 0n };
  const counted = latestVotes(votes);
  for (const v of counted) sums[v.choice] += BigInt(powers[v.voter] ?? 0);
  const total = totalPower(powers);
  const cast = sums.YES + sums.NO + sums.ABSTAIN;
  const quorum_met = total > 0n && cast * QUORUM_DENOMINATOR >= total * QUORUM_NUMERATOR;
  const decided = sums.YES + sums.NO;
  const approval_met = decided > 0n && sums.YES * APPROVAL_DENOMINATOR >= decided * APPROVAL_NUMERATOR;
  const quorumPower = (total * QUORUM_NUMERATOR + QUORUM_DENOMINATOR - 1n) / QUORUM_DENOMINATOR;
  return {
    yes: sums.YES.toString(),
    no: sums.NO.toString(),
    abstain: sums.ABSTAIN.toString(),
    cast: cast.toString(),
    total_power: total.toString(),
    quorum_power: quorumPower.toString(),
    voters: counted.length,
    quorum_met,
    approval_met,
    outcome: quorum_met && approval_met ? "APPROVED" : "REJECTED",
  };
}

/** The voting power table frozen when voting opens: every member with the voter role and positive power. */
export function freezePowerTable(members: readonly Member[]): Record<string, number> {
  const table: Record<string, number> = {};
  for (const m of members) if (m.roles.includes("voter") && m.voting_power > 0) table[m.id] = m.voting_power;
  return table;
}

/**
 * The rules for accepting a vote: a voter, the proposal VOTING with its window still open (`now` < ends at), and
 * positive frozen power. A re-vote is allowed (it replaces the earlier one in the tally).
 */
export function checkVote(voter: Member, status: ProposalStatus, votingEndsAt: number | null, now: number, powers: PowerTable): void {
  requireRole(voter, "voter", "vote");
  requirePhase(status, "VOTING", "vote");
  if (votingEndsAt !== null && now >= votingEndsAt) throw new AppError("WRONG_PHASE", `cannot vote: the voting window closed at ${votingEndsAt}`);
  if (!(powers[voter.id] > 0)) throw new AppError("ZERO_VOTING_POWER", `${voter.id} has no voting power on this proposal (power is frozen when voting opens)`);
}
