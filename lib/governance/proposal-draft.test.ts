import { describe, expect, it } from "vitest";
import { makeEpoch } from "../consensus/epochs";
import { SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import { checkProposalDraft, minimumActivationBlock, type ProposalForm } from "./proposal-draft";

const registry = [makeEpoch(0, "v1-legacy", SHA256_ID, 1_700_000_000, null, 19), makeEpoch(20, "v2-dual-required", SHA3_256_ID, 1_700_000_000)];
const ctx = { registry, tip: 100, finalizedHeight: 36, activationLeadBlocks: 20 };
const NOW = 1_800_000_000;

const good: ProposalForm = {
  proposal_id: "PQP-1",
  title: "Move to PQ-primary",
  proposal_type: "epoch_activation",
  activation_block: "120",
  algorithm_id: "0x01",
  algorithm_name: "SHA3-256",
  rule_version: "v2.5-pq-primary",
  rationale: "The PQ chain has been stable for a month.",
  benchmark_results: '{"blocks_per_second": 40}',
  risk_assessment: "",
  implementation_readiness: '{"clients": ["mathledger"]}',
};

describe("checkProposalDraft", () => {
  it("reads a good form into the body the server would accept (hex or decimal algorithm id, empty JSON = {})", () => {
    const { body, problems } = checkProposalDraft(good, ctx, NOW);
    expect(problems).toEqual({});
    expect(body).toMatchObject({ activation_block: 120, epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary" }, risk_assessment: {}, benchmark_results: { blocks_per_second: 40 } });
    expect(checkProposalDraft({ ...good, algorithm_id: "1" }, ctx, NOW).body?.epoch_parameters.algorithm_id).toBe(1);
  });

  it("accepts the activation block at exactly tip + lead and refuses one block less (ACTIVATION_TOO_SOON)", () => {
    expect(minimumActivationBlock(ctx)).toBe(120);
    expect(checkProposalDraft({ ...good, activation_block: "120" }, ctx, NOW).problems).toEqual({});
    const { body, problems } = checkProposalDraft({ ...good, activation_block: "119" }, ctx, NOW);
    expect(body).toBeNull();
    expect(problems.activation_block?.code).toBe("ACTIVATION_TOO_SOON");
    expect(problems.activation_block?.message).toContain("use at least 120");
  });

  it("judges the activation lead while the epoch fields are still empty, and reports nothing for those the core saw as stand-ins", () => {
    const { problems } = checkProposalDraft({ ...good, activation_block: "5", algorithm_id: "", algorithm_name: "", rule_version: "" }, ctx, NOW);
    expect(problems.activation_block?.code).toBe("ACTIVATION_TOO_SOON");
    expect(problems.algorithm_id?.code).toBe("INVALID_MESSAGE");
    expect(problems.rule_version?.code).toBe("INVALID_MESSAGE");
    // A readable activation block and an epoch the stand-ins would make regress: no core verdict is invented.
    const regressed = { ...ctx, registry: [...registry.slice(0, 1), { ...registry[1], end_block: 129 }, makeEpoch(130, "v3-pq-only", SHA3_256_ID, 1_700_000_000, `0x${"cd".repeat(32)}`)] };
    expect(checkProposalDraft({ ...good, activation_block: "200", rule_version: "" }, regressed, NOW).problems).toEqual({ rule_version: expect.objectContaining({ code: "INVALID_MESSAGE" }) });
  });

  it("still judges the epoch while the activation block is too soon", () => {
    const { problems } = checkProposalDraft({ ...good, activation_block: "5", algorithm_name: "BLAKE3" }, ctx, NOW);
    expect(problems.activation_block?.code).toBe("ACTIVATION_TOO_SOON");
    expect(problems.algorithm_name?.code).toBe("INVALID_PROPOSAL");
    expect(Object.keys(problems).sort()).toEqual(["activation_block", "algorithm_name"]);
  });

  it("reports every shape problem at once, each on its own field", () => {
    const { problems } = checkProposalDraft({ ...good, title: " ", proposal_id: "bad id!", activation_block: "soon", benchmark_results: "{oops" }, ctx, NOW);
    expect(Object.keys(problems).sort()).toEqual(["activation_block", "benchmark_results", "proposal_id", "title"]);
    expect(problems.activation_block?.code).toBe("INVALID_MESSAGE");
    expect(problems.benchmark_results?.message).toMatch(/not valid JSON/);
    expect(problems.title?.message).toContain("body.title");
  });

  it("puts the consensus core's refusals on the field they concern", () => {
    const name = checkProposalDraft({ ...good, algorithm_name: "BLAKE3" }, ctx, NOW).problems;
    expect(name.algorithm_name?.code).toBe("INVALID_PROPOSAL");
    expect(name.algorithm_name?.message).toContain("INVALID_EPOCH");
    expect(checkProposalDraft({ ...good, algorithm_id: "0x09" }, ctx, NOW).problems.algorithm_id?.message).toContain("UNKNOWN_ALGORITHM");
    expect(checkProposalDraft({ ...good, rule_version: "v1.5-pq-optional" }, ctx, NOW).problems.rule_version?.message).toContain("RULE_VERSION_REGRESSION");
    expect(checkProposalDraft({ ...good, rule_version: "v9" }, ctx, NOW).problems.rule_version?.message).toContain("UNKNOWN_RULE_VERSION");
    // SHA-256 under a rule version whose PQ chain is required.
    expect(checkProposalDraft({ ...good, algorithm_id: "0", algorithm_name: "SHA-256" }, ctx, NOW).problems.rule_version?.code).toBe("INVALID_PROPOSAL");
  });

  it("checks the shape only while the node's context is unknown", () => {
    expect(checkProposalDraft({ ...good, activation_block: "1" }, null, NOW).problems).toEqual({});
  });
});
