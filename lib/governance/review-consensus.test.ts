import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import type { Recommendation } from "./bodies";
import { checkReview, reviewConsensus } from "./review-consensus";
import { testMember } from "./test-members";

const recs = (a: number, r: number, c: number): Recommendation[] => [...Array(a).fill("APPROVE"), ...Array(r).fill("REJECT"), ...Array(c).fill("CONDITIONAL")];

/** The plan's check_consensus with its floating-point comparisons (exact for these small counts). */
function planConsensus(list: Recommendation[]): string | null {
  if (list.length < 3) return null;
  const approvals = list.filter((x) => x === "APPROVE").length;
  const rejections = list.filter((x) => x === "REJECT").length;
  if (approvals >= (2 * list.length) / 3) return "APPROVE";
  if (rejections > list.length / 3) return "REJECT";
  return null;
}

describe("reviewConsensus", () => {
  it("decides nothing below 3 reviews, even when unanimous", () => {
    expect(reviewConsensus(recs(2, 0, 0))).toBeNull();
    expect(reviewConsensus(recs(0, 2, 0))).toBeNull();
  });
  it("approves at exactly 2/3 approvals (2 of 3, 4 of 6) and not just below (3 of 5)", () => {
    expect(reviewConsensus(recs(2, 1, 0))).toBe("APPROVE");
    expect(reviewConsensus(recs(4, 0, 2))).toBe("APPROVE");
    expect(reviewConsensus(recs(3, 0, 2))).toBeNull();
    expect(reviewConsensus(recs(3, 2, 0))).toBe("REJECT");
  });
  it("rejects only when rejections exceed 1/3 (1 of 3 is not enough, 2 of 5 is)", () => {
    expect(reviewConsensus(recs(1, 1, 1))).toBeNull();
    expect(reviewConsensus(recs(0, 2, 3))).toBe("REJECT");
    expect(reviewConsensus(recs(1, 2, 3))).toBeNull();
  });
  it("waits when conditionals block both outcomes", () => {
    expect(reviewConsensus(recs(0, 0, 3))).toBeNull();
  });
  it("agrees with the plan's formula for every mix up to 40 reviews (property)", () => {
    fc.assert(
      fc.property(fc.nat(15), fc.nat(15), fc.nat(10), (a, r, c) => {
        const list = recs(a, r, c);
        expect(reviewConsensus(list)).toBe(planConsensus(list));
      }),
    );
  });
});

describe("checkReview", () => {
  const reviewer = testMember("r1", ["reviewer"]);
  const code = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return isAppError(e) ? e.code : "?";
    }
    return undefined;
  };
  it("accepts a reviewer's first review while UNDER_REVIEW", () => {
    expect(code(() => checkReview(reviewer, "UNDER_REVIEW", ["r2"]))).toBeUndefined();
  });
  it("refuses a member without the reviewer role, the wrong phase, and a second review", () => {
    expect(code(() => checkReview(testMember("v1", ["voter"], 3), "UNDER_REVIEW", []))).toBe("MISSING_ROLE");
    expect(code(() => checkReview(reviewer, "VOTING", []))).toBe("WRONG_PHASE");
    expect(code(() => checkReview(reviewer, "UNDER_REVIEW", ["r1"]))).toBe("DUPLICATE_SIGNER");
  });
});
