import { describe, expect, it } from "vitest";
import { makeEpoch, listTransitions } from "../consensus/epochs";
import { SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import { activationDecision, assertTransition, canTransition, checkProposal, hasActivationLead, PROPOSAL_STATUSES, proposalEpoch } from "./proposal";
import { codeOf } from "./test-codes";
import { SAMPLE_PROPOSAL_BODY } from "./test-members";

const HASH = `0x${"12".repeat(32)}`;
const legacyRegistry = [makeEpoch(0, "v1-legacy", SHA256_ID, 1_700_000_000)];
const ctx = { registry: legacyRegistry, tip: 100, finalizedHeight: 94, activationLeadBlocks: 100 };

describe("lifecycle transitions", () => {
  it("follows the plan's order and nothing else", () => {
    const allowed = PROPOSAL_STATUSES.flatMap((from) => PROPOSAL_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual([
      "DRAFT->SUBMITTED",
      "SUBMITTED->UNDER_REVIEW",
      "UNDER_REVIEW->VOTING",
      "UNDER_REVIEW->REJECTED",
      "VOTING->APPROVED",
      "VOTING->REJECTED",
      "APPROVED->SCHEDULED",
      "APPROVED->EXPIRED",
      "SCHEDULED->ACTIVATED",
    ]);
    expect(codeOf(() => assertTransition("VOTING", "ACTIVATED"))).toBe("WRONG_PHASE");
    expect(codeOf(() => assertTransition("REJECTED", "VOTING"))).toBe("WRONG_PHASE");
  });
});

describe("activation lead", () => {
  it("schedules at exactly activation_lead_blocks above the tip and expires one block short", () => {
    expect(hasActivationLead(200, 100, 100)).toBe(true);
    expect(activationDecision(200, 100, 100)).toBe("SCHEDULED");
    expect(activationDecision(199, 100, 100)).toBe("EXPIRED");
  });
  it("counts from -1 on an empty chain", () => {
    expect(hasActivationLead(99, -1, 100)).toBe(true);
    expect(hasActivationLead(98, -1, 100)).toBe(false);
  });
});

describe("checkProposal", () => {
  it("accepts a proposal the consensus core can register with the lead", () => {
    expect(codeOf(() => checkProposal({ ...SAMPLE_PROPOSAL_BODY, activation_block: 200 }, HASH, 1, ctx))).toBeUndefined();
  });
  it("refuses an activation block with less than the lead: ACTIVATION_TOO_SOON", () => {
    expect(codeOf(() => checkProposal({ ...SAMPLE_PROPOSAL_BODY, activation_block: 199 }, HASH, 1, ctx))).toBe("ACTIVATION_TOO_SOON");
  });
  it.each([
    ["an unknown algorithm", { algorithm_id: 9, algorithm_name: "X", rule_version: "v2-dual-required" }],
    ["a name not matching the id", { algorithm_id: SHA3_256_ID, algorithm_name: "BLAKE3", rule_version: "v2-dual-required" }],
    ["an unknown rule version", { algorithm_id: SHA3_256_ID, algorithm_name: "SHA3-256", rule_version: "v9" }],
    ["SHA-256 for a PQ rule version", { algorithm_id: SHA256_ID, algorithm_name: "SHA-256", rule_version: "v2-dual-required" }],
  ])("refuses %s with INVALID_PROPOSAL carrying the core's reason", (_name, epoch_parameters) => {
    expect(codeOf(() => checkProposal({ ...SAMPLE_PROPOSAL_BODY, activation_block: 300, epoch_parameters }, HASH, 1, ctx))).toBe("INVALID_PROPOSAL");
  });
  it("builds the epoch the approval registers, governed by the proposal hash", () => {
    const epoch = proposalEpoch({ ...SAMPLE_PROPOSAL_BODY, activation_block: 300 }, HASH, 5);
    expect(epoch).toMatchObject({ start_block: 300, end_block: null, rule_version: "v2-dual-required", governance_hash: HASH });
    expect(listTransitions([{ ...legacyRegistry[0], end_block: 299 }, epoch])[0].kind).toBe("activation");
  });
});
