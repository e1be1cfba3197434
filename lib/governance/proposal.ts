/**
 * The proposal lifecycle (PLAN.md §4 "Proposal Lifecycle Engine"; docs/spec/governance.md §6.1).
 *
 *   DRAFT → SUBMITTED → UNDER_REVIEW → VOTING → APPROVED → SCHEDULED → ACTIVATED
 *                                  ↘ REJECTED     ↘ REJECTED  ↘ EXPIRED
 *
 * DRAFT lives only in the signer's browser or file; the server stores a proposal from SUBMITTED on and moves it to
 * UNDER_REVIEW in the same step. Review consensus opens VOTING (or REJECTS); the end of the window finalizes it;
 * an APPROVED proposal is SCHEDULED when its activation block is at least activation_lead_blocks above the canonical
 * tip (its epoch is registered then), else EXPIRED with nothing registered; SCHEDULED becomes ACTIVATED once the
 * chain reaches the activation block.
 */
import { AppError, isAppError } from "../errors";
import { registerEpoch, type Epoch, type EpochRegistry } from "../consensus/epochs";
import type { RuleVersion } from "../consensus/rule-versions";
import type { ProposalBody } from "./bodies";

export const PROPOSAL_STATUSES = ["DRAFT", "SUBMITTED", "UNDER_REVIEW", "VOTING", "APPROVED", "REJECTED", "SCHEDULED", "ACTIVATED", "EXPIRED"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

const NEXT: Record<ProposalStatus, readonly ProposalStatus[]> = {
  DRAFT: ["SUBMITTED"],
  SUBMITTED: ["UNDER_REVIEW"],
  UNDER_REVIEW: ["VOTING", "REJECTED"],
  VOTING: ["APPROVED", "REJECTED"],
  APPROVED: ["SCHEDULED", "EXPIRED"],
  SCHEDULED: ["ACTIVATED"],
  REJECTED: [],
  ACTIVATED: [],
  EXPIRED: [],
};

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws AppError("WRONG_PHASE") unless the lifecycle allows `from` → `to`. */
export function assertTransition(from: ProposalStatus, to: ProposalStatus): void {
  if (!canTransition(from, to)) throw new AppError("WRONG_PHASE", `a proposal cannot move from ${from} to ${to}`);
}

/** Throws AppError("WRONG_PHASE") unless the proposal is in `expected` (for an action such as a review or a vote). */
export function requirePhase(status: ProposalStatus, expected: ProposalStatus, action: string): void {
  if (status !== expected) throw new AppError("WRONG_PHASE", `cannot ${action}: the proposal is ${status}, not ${expected}`);
}

/** The epoch a proposal registers when approved: it starts at activation_block, governance_hash = proposal hash. */
export function proposalEpoch(body: ProposalBody, proposalHash: string, activationTimestamp: number): Epoch {
  return {
    start_block: body.activation_block,
    end_block: null,
    algorithm_id: body.epoch_parameters.algorithm_id,
    algorithm_name: body.epoch_parameters.algorithm_name,
    rule_version: body.epoch_parameters.rule_version as RuleVersion,
    activation_timestamp: activationTimestamp,
    governance_hash: proposalHash,
  };
}

/** True when `activationBlock` lies at least `leadBlocks` above the canonical tip (`tip` = -1 on an empty chain). */
export function hasActivationLead(activationBlock: number, tip: number, leadBlocks: number): boolean {
  return activationBlock - tip >= leadBlocks;
}

export interface ProposalCheckContext {
  registry: EpochRegistry;
  tip: number;
  finalizedHeight: number | null;
  activationLeadBlocks: number;
}

/**
 * The checks at submission: the consensus core must accept the proposed epoch after the current registry (known
 * algorithm, name matching the id, rule version compatible and moving forward), and the activation block must have
 * the lead. Throws AppError("INVALID_PROPOSAL") carrying the core's reason, or ("ACTIVATION_TOO_SOON").
 */
export function checkProposal(body: ProposalBody, proposalHash: string, now: number, ctx: ProposalCheckContext): void {
  if (!hasActivationLead(body.activation_block, ctx.tip, ctx.activationLeadBlocks)) {
    throw new AppError("ACTIVATION_TOO_SOON", `activation_block ${body.activation_block} is less than ${ctx.activationLeadBlocks} blocks above the canonical tip (${ctx.tip}); use at least ${ctx.tip + ctx.activationLeadBlocks}`);
  }
  try {
    registerEpoch(ctx.registry, proposalEpoch(body, proposalHash, now), { finalizedHeight: ctx.finalizedHeight });
  } catch (error) {
    if (isAppError(error)) throw new AppError("INVALID_PROPOSAL", `epoch_parameters rejected by the consensus core (${error.code}): ${error.message}`, { core_code: error.code });
    throw error;
  }
}

/** Outcome of an approved proposal at approval time: SCHEDULED (register the epoch) or EXPIRED (too late). */
export function activationDecision(activationBlock: number, tip: number, leadBlocks: number): "SCHEDULED" | "EXPIRED" {
  return hasActivationLead(activationBlock, tip, leadBlocks) ? "SCHEDULED" : "EXPIRED";
}
