/**
 * The context the portal checks drafts against (governance.checkContext) and the browser-side check built on it
 * agree with the server's own verdict at submission, on the activation-lead boundary and on a bad epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProposalDraft, type ProposalForm } from "../../lib/governance/proposal-draft";
import { asyncCodeOf } from "../../lib/governance/test-codes";
import { SAMPLE_PROPOSAL_BODY } from "../../lib/governance/test-members";
import { getGovernanceCheckContext } from "./check-context";
import { submitEnvelope } from "./submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "./test-fixture";

let f: GovernanceFixture;
beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 3 });
});
afterAll(async () => {
  await f?.close();
});

const form = (activationBlock: number, algorithmName = "SHA3-256"): ProposalForm => ({
  proposal_id: `CTX-${activationBlock}-${algorithmName}`,
  title: SAMPLE_PROPOSAL_BODY.title,
  proposal_type: "epoch_activation",
  activation_block: String(activationBlock),
  algorithm_id: "0x01",
  algorithm_name: algorithmName,
  rule_version: "v2-dual-required",
  rationale: SAMPLE_PROPOSAL_BODY.rationale,
  benchmark_results: "{}",
  risk_assessment: "{}",
  implementation_readiness: "{}",
});

describe("getGovernanceCheckContext", () => {
  it("reports the tip, the activation lead, the registry and no finalized height on a short chain", async () => {
    const c = await getGovernanceCheckContext(f.pool);
    expect(c).toMatchObject({ network_id: "mathledger-devnet", tip: 2, finalized_height: null, activation_lead_blocks: 100 });
    expect(c.registry.map((e) => e.rule_version)).toEqual(["v1-legacy", "v2-dual-required"]);
  });

  it("lets the browser's check reach the server's verdict: tip + lead accepted, one less and a wrong name refused", async () => {
    const c = await getGovernanceCheckContext(f.pool);
    const ctx = { registry: c.registry, tip: c.tip, finalizedHeight: c.finalized_height, activationLeadBlocks: c.activation_lead_blocks };
    const submit = (draft: ProposalForm) => {
      const { body } = checkProposalDraft(draft, null, T0); // shape only: the server is the one judging here
      return submitEnvelope(f.pool, f.sign("p1", { type: "proposal", body: body! }), { now: T0 });
    };
    const tooSoon = form(c.tip + c.activation_lead_blocks - 1);
    expect(checkProposalDraft(tooSoon, ctx, T0).problems.activation_block?.code).toBe("ACTIVATION_TOO_SOON");
    expect(await asyncCodeOf(() => submit(tooSoon))).toBe("ACTIVATION_TOO_SOON");

    const wrongName = form(c.tip + c.activation_lead_blocks, "BLAKE3");
    expect(checkProposalDraft(wrongName, ctx, T0).problems.algorithm_name?.code).toBe("INVALID_PROPOSAL");
    expect(await asyncCodeOf(() => submit(wrongName))).toBe("INVALID_PROPOSAL");

    const justInTime = form(c.tip + c.activation_lead_blocks);
    expect(checkProposalDraft(justInTime, ctx, T0).problems).toEqual({});
    expect((await submit(justInTime)).status).toBe("UNDER_REVIEW");
  });
});
