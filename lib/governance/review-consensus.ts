/**
 * Reviewer consensus (PLAN.md §4 "Reviewer Consensus Workflow"; docs/spec/governance.md §6.2), exactly as the plan
 * writes check_consensus, in integer arithmetic:
 *   fewer than 3 reviews            → no decision
 *   approvals ≥ 2/3 of reviews      → APPROVE      (3·approvals ≥ 2·n)
 *   else rejections > 1/3 of reviews → REJECT      (3·rejections > n)
 *   else                            → no decision (wait for more reviews)
 * CONDITIONAL counts as a review but neither an approval nor a rejection.
 */
import { AppError } from "../errors";
import type { Recommendation } from "./bodies";
import { requireRole, type Member } from "./members";
import { requirePhase, type ProposalStatus } from "./proposal";

export const MIN_REVIEWS = 3;

export function reviewConsensus(recommendations: readonly Recommendation[]): "APPROVE" | "REJECT" | null {
  const n = recommendations.length;
  if (n < MIN_REVIEWS) return null;
  const approvals = recommendations.filter((r) => r === "APPROVE").length;
  const rejections = recommendations.filter((r) => r === "REJECT").length;
  if (3 * approvals >= 2 * n) return "APPROVE";
  if (3 * rejections > n) return "REJECT";
  return null;
}

/** The rules for accepting a review: a reviewer, a proposal UNDER_REVIEW, one review per reviewer. */
export function checkReview(reviewer: Member, status: ProposalStatus, earlierReviewers: readonly string[]): void {
  requireRole(reviewer, "reviewer", "review a proposal");
  requirePhase(status, "UNDER_REVIEW", "review");
  if (earlierReviewers.includes(reviewer.id)) throw new AppError("DUPLICATE_SIGNER", `${reviewer.id} has already reviewed this proposal`);
}
