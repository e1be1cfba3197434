/**
 * Online governance actions: each signs with the key file and submits to the node's services (the same
 * submitEnvelope the web calls). Exit 0 accepted; 1 refused by the rules, with the reason code; 2 input error.
 */
import { AppError } from "../../lib/errors";
import { RECOMMENDATIONS, VOTE_CHOICES, type Recommendation, type VoteChoice } from "../../lib/governance/bodies";
import { defineCommand, type CommandContext } from "../command";
import { withChainDatabase } from "../database";
import { acceptedText, KEY_FLAG, PASSPHRASE_FLAG, signAndSubmit } from "../governance-support";
import { readInputJson } from "../inputs/read-file";

const HASH = /^0x[0-9a-f]{64}$/;
function hashFlag(value: string, flag: string): string {
  if (!HASH.test(value)) throw new AppError("USAGE", `${flag} must be a 0x-prefixed lowercase 32-byte hex hash, got ${JSON.stringify(value)}`);
  return value;
}
function oneOf<T extends string>(value: string, values: readonly T[], flag: string): T {
  if (!(values as readonly string[]).includes(value)) throw new AppError("USAGE", `${flag} must be one of ${values.join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}
async function readObject(context: CommandContext, file: string, label: string): Promise<Record<string, unknown>> {
  const value = await readInputJson({ path: file, label }, context.cwd);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new AppError("INVALID_INPUT", `${label} ${file}: must be a JSON object`);
  return value as Record<string, unknown>;
}
const signing = { ...KEY_FLAG, ...PASSPHRASE_FLAG };
const ok = (what: string, result: object) => ({ outcome: "ok" as const, json: result, text: acceptedText(what, result as Record<string, unknown>) });

export const governanceProposeCommand = defineCommand({
  name: "governance propose",
  summary: "sign and submit an activation proposal",
  description: "PROPOSAL.json holds the proposal body (docs/spec/governance.md §4: proposal_id, proposal_type, title, activation_block, epoch_parameters, rationale, benchmark_results, risk_assessment, implementation_readiness, endorsements). The consensus core checks epoch_parameters; the proposer is the key's member.",
  flags: { ...signing, file: { kind: "string", value: "FILE", required: true, description: "the proposal body" } },
  examples: ["mathledger-cli governance propose --key margaret.key --file proposal.json --json"],
  async run(flags, context) {
    const body = await readObject(context, flags.file, "proposal file");
    return withChainDatabase(context, async ({ pool }) => ok("proposal", (await signAndSubmit(context, pool, flags, { type: "proposal", body: body as never })).result));
  },
});

export const governanceReviewCommand = defineCommand({
  name: "governance review",
  summary: "sign and submit a technical review",
  description: "A reviewer's recommendation on a proposal UNDER_REVIEW; REVIEW.json may hold the five sections (code_review, test_review, benchmark_review, security_review, docs_review), each a JSON object.",
  flags: {
    ...signing,
    proposal: { kind: "string", value: "HASH", required: true, description: "the proposal hash" },
    recommendation: { kind: "string", value: "APPROVE|REJECT|CONDITIONAL", required: true, description: "the recommendation" },
    file: { kind: "string", value: "FILE", description: "the review sections" },
  },
  examples: ["mathledger-cli governance review --key radia.key --proposal 0x… --recommendation APPROVE --file review.json"],
  async run(flags, context) {
    const sections = flags.file ? await readObject(context, flags.file, "review file") : {};
    const body = {
      proposal_hash: hashFlag(flags.proposal, "--proposal"),
      recommendation: oneOf<Recommendation>(flags.recommendation, RECOMMENDATIONS, "--recommendation"),
      code_review: {},
      test_review: {},
      benchmark_review: {},
      security_review: {},
      docs_review: {},
      ...sections,
    };
    return withChainDatabase(context, async ({ pool }) => ok("review", (await signAndSubmit(context, pool, flags, { type: "review", body: body as never })).result));
  },
});

export const governanceVoteCommand = defineCommand({
  name: "governance vote",
  summary: "sign and cast a vote (a re-vote replaces your earlier one in the tally)",
  description: "Casts YES, NO or ABSTAIN on a proposal that is VOTING. Every version is kept; the tally counts your latest.",
  flags: {
    ...signing,
    proposal: { kind: "string", value: "HASH", required: true, description: "the proposal hash" },
    choice: { kind: "string", value: "YES|NO|ABSTAIN", required: true, description: "your vote" },
  },
  examples: ["mathledger-cli governance vote --key voter-01.key --proposal 0x… --choice YES --passphrase-env PASS"],
  async run(flags, context) {
    const body = { proposal_hash: hashFlag(flags.proposal, "--proposal"), choice: oneOf<VoteChoice>(flags.choice, VOTE_CHOICES, "--choice") };
    return withChainDatabase(context, async ({ pool }) => ok("vote", (await signAndSubmit(context, pool, flags, { type: "vote", body })).result));
  },
});

export const governanceSubmitCommand = defineCommand({
  name: "governance submit",
  summary: "submit an envelope signed elsewhere (governance sign)",
  description: "Verifies and applies a signed envelope exactly as the portal does.",
  flags: { envelope: { kind: "string", value: "FILE", required: true, description: "the envelope file" } },
  examples: ["mathledger-cli governance submit --envelope vote.envelope.json"],
  async run(flags, context) {
    const envelope = await readInputJson({ path: flags.envelope, label: "envelope file" }, context.cwd);
    const { submitEnvelope } = await import("../../server/governance/submit-envelope");
    return withChainDatabase(context, async ({ pool }) => ok("envelope", await submitEnvelope(pool, envelope, { now: context.now() })));
  },
});

export const governanceAttestationCreateCommand = defineCommand({
  name: "governance attestation create",
  summary: "open a 5-of-7 attestation of a canonical block (operator step)",
  description: "Creates ATTEST-<milestone>-<N> with the block's hash and PQ root read from the store; council members then sign it (governance attest).",
  flags: {
    milestone: { kind: "string", value: "NAME", required: true, description: "the milestone name" },
    "block-number": { kind: "integer", value: "N", required: true, description: "the canonical block to attest" },
  },
  examples: ["mathledger-cli governance attestation create --milestone dual-activation --block-number 200"],
  async run(flags, context) {
    const [{ createAttestation }, { inGovernanceTransaction, loadGovernance }] = await Promise.all([import("../../server/governance/council-actions"), import("../../server/governance/governance-store")]);
    return withChainDatabase(context, async ({ pool }) => {
      const registry = await loadGovernance(pool);
      const record = await inGovernanceTransaction(pool, (c) => createAttestation(c, flags.milestone, flags["block-number"], context.now(), registry.params.attestation_period_seconds));
      return ok("attestation", record);
    });
  },
});

export const governanceAttestCommand = defineCommand({
  name: "governance attest",
  summary: "sign an attestation as a council member",
  description: "Signs the attestation's milestone, block number, block hash and PQ root as stored; VERIFIED at 5 of 7.",
  flags: { ...signing, attestation: { kind: "string", value: "ID", required: true, description: "the attestation id" } },
  examples: ["mathledger-cli governance attest --key ada.key --attestation ATTEST-dual-activation-200"],
  async run(flags, context) {
    const { loadAttestation } = await import("../../server/governance/council-actions");
    return withChainDatabase(context, async ({ pool }) => {
      const r = await loadAttestation(pool, flags.attestation);
      const body = { attestation_id: r.attestation_id, milestone: r.milestone, block_number: r.block_number, block_hash: r.block_hash, pq_merkle_root: r.pq_merkle_root };
      return ok("attestation signature", (await signAndSubmit(context, pool, flags, { type: "attestation", body })).result);
    });
  },
});

export const governanceEmergencyDeclareCommand = defineCommand({
  name: "governance emergency declare",
  summary: "declare an emergency (council; PENDING until 5 of 7 sign, your signature counts)",
  description: "Creates a PENDING emergency named by its hash; it is broadcast as CRITICAL only at 5 council signatures.",
  flags: {
    ...signing,
    trigger: { kind: "string", value: "T", required: true, description: "what triggered it" },
    evidence: { kind: "string", value: "E", required: true, description: "the evidence" },
  },
  examples: ["mathledger-cli governance emergency declare --key ada.key --trigger pq-root-mismatch --evidence 'radar alert 42'"],
  async run(flags, context) {
    return withChainDatabase(context, async ({ pool }) => ok("emergency declaration", (await signAndSubmit(context, pool, flags, { type: "emergency_declaration", body: { trigger: flags.trigger, evidence: flags.evidence } })).result));
  },
});

export const governanceEmergencySignCommand = defineCommand({
  name: "governance emergency sign",
  summary: "add your council signature to a pending emergency",
  description: "At the fifth distinct council signature the emergency is DECLARED and broadcast.",
  flags: { ...signing, emergency: { kind: "string", value: "HASH", required: true, description: "the emergency hash" } },
  examples: ["mathledger-cli governance emergency sign --key grace.key --emergency 0x…"],
  async run(flags, context) {
    const body = { emergency_hash: hashFlag(flags.emergency, "--emergency") };
    return withChainDatabase(context, async ({ pool }) => ok("emergency signature", (await signAndSubmit(context, pool, flags, { type: "emergency_signature", body })).result));
  },
});

export const governanceRollbackCommand = defineCommand({
  name: "governance rollback",
  summary: "order the rollback of a declared emergency (v1-legacy SHA-256 epoch above the tip)",
  description: "Registers the epoch {start_block N, SHA-256 (0x00), v1-legacy, governance_hash = emergency hash}; N must be above the canonical tip.",
  flags: {
    ...signing,
    emergency: { kind: "string", value: "HASH", required: true, description: "the emergency hash" },
    block: { kind: "integer", value: "N", required: true, description: "the first block of the rollback epoch" },
  },
  examples: ["mathledger-cli governance rollback --key ada.key --emergency 0x… --block 900"],
  async run(flags, context) {
    const body = { emergency_hash: hashFlag(flags.emergency, "--emergency"), rollback_block: flags.block };
    return withChainDatabase(context, async ({ pool }) => ok("rollback", (await signAndSubmit(context, pool, flags, { type: "rollback", body })).result));
  },
});
