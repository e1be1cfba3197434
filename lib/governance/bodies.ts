/**
 * The type-specific bodies of governance messages (docs/spec/governance.md §4). Each body names its target: the
 * proposal, attestation or emergency it acts on (by hash or id), so a signature can never be moved to another one.
 */
import { AppError } from "../errors";
import { FieldReader, type JsonObject } from "./read-json";

export const MESSAGE_TYPES = ["proposal", "review", "vote", "attestation", "emergency_declaration", "emergency_signature", "rollback"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const PROPOSAL_TYPES = ["epoch_activation"] as const;
export type ProposalType = (typeof PROPOSAL_TYPES)[number];
export const RECOMMENDATIONS = ["APPROVE", "REJECT", "CONDITIONAL"] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];
export const VOTE_CHOICES = ["YES", "NO", "ABSTAIN"] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** The epoch a proposal would register; its start block is the proposal's activation_block. */
export interface EpochParameters {
  algorithm_id: number;
  algorithm_name: string;
  rule_version: string;
}

/** The plan's ActivationProposal without `proposer`, `submission_timestamp` and `status` (signer, server clock, engine). */
export interface ProposalBody {
  proposal_id: string;
  proposal_type: ProposalType;
  title: string;
  activation_block: number;
  epoch_parameters: EpochParameters;
  rationale: string;
  benchmark_results: JsonObject;
  risk_assessment: JsonObject;
  implementation_readiness: JsonObject;
  endorsements: JsonObject[];
}

/** The plan's TechnicalReviewReport: five review sections and a recommendation. */
export interface ReviewBody {
  proposal_hash: string;
  recommendation: Recommendation;
  code_review: JsonObject;
  test_review: JsonObject;
  benchmark_review: JsonObject;
  security_review: JsonObject;
  docs_review: JsonObject;
}

export interface VoteBody {
  proposal_hash: string;
  choice: VoteChoice;
}

/** A council member's attestation of a milestone: it repeats the block hash and PQ root it vouches for. */
export interface AttestationBody {
  attestation_id: string;
  milestone: string;
  block_number: number;
  block_hash: string;
  pq_merkle_root: string | null;
}

export interface EmergencyDeclarationBody {
  trigger: string;
  evidence: string;
}

export interface EmergencySignatureBody {
  emergency_hash: string;
}

export interface RollbackBody {
  emergency_hash: string;
  rollback_block: number;
}

export interface BodyByType {
  proposal: ProposalBody;
  review: ReviewBody;
  vote: VoteBody;
  attestation: AttestationBody;
  emergency_declaration: EmergencyDeclarationBody;
  emergency_signature: EmergencySignatureBody;
  rollback: RollbackBody;
}
export type MessageBody<T extends MessageType = MessageType> = BodyByType[T];

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const HASH_BYTES = 32;

function readProposal(r: FieldReader): ProposalBody {
  r.onlyFields(["proposal_id", "proposal_type", "title", "activation_block", "epoch_parameters", "rationale", "benchmark_results", "risk_assessment", "implementation_readiness", "endorsements"]);
  const ep = r.object("epoch_parameters").onlyFields(["algorithm_id", "algorithm_name", "rule_version"]);
  const endorsements = r.array("endorsements", 50).map((e, i) => {
    if (typeof e !== "object" || e === null || Array.isArray(e)) r.fail(`endorsements[${i}]`, "a JSON object", e);
    return e as JsonObject;
  });
  return {
    proposal_id: r.string("proposal_id", { max: 128, pattern: ID_PATTERN }),
    proposal_type: r.oneOf("proposal_type", PROPOSAL_TYPES),
    title: r.string("title", { max: 200 }),
    activation_block: r.integer("activation_block", 1),
    epoch_parameters: {
      algorithm_id: ep.integer("algorithm_id", 0, 255),
      algorithm_name: ep.string("algorithm_name", { max: 64 }),
      rule_version: ep.string("rule_version", { max: 64 }),
    },
    rationale: r.string("rationale", { max: 20_000 }),
    benchmark_results: r.freeObject("benchmark_results"),
    risk_assessment: r.freeObject("risk_assessment"),
    implementation_readiness: r.freeObject("implementation_readiness"),
    endorsements,
  };
}

function readReview(r: FieldReader): ReviewBody {
  r.onlyFields(["proposal_hash", "recommendation", "code_review", "test_review", "benchmark_review", "security_review", "docs_review"]);
  return {
    proposal_hash: r.hex("proposal_hash", HASH_BYTES),
    recommendation: r.oneOf("recommendation", RECOMMENDATIONS),
    code_review: r.freeObject("code_review"),
    test_review: r.freeObject("test_review"),
    benchmark_review: r.freeObject("benchmark_review"),
    security_review: r.freeObject("security_review"),
    docs_review: r.freeObject("docs_review"),
  };
}

function readAttestation(r: FieldReader): AttestationBody {
  r.onlyFields(["attestation_id", "milestone", "block_number", "block_hash", "pq_merkle_root"]);
  const root = r.value.pq_merkle_root;
  return {
    attestation_id: r.string("attestation_id", { max: 200, pattern: ID_PATTERN }),
    milestone: r.string("milestone", { max: 64, pattern: ID_PATTERN }),
    block_number: r.integer("block_number", 0),
    block_hash: r.hex("block_hash", HASH_BYTES),
    pq_merkle_root: root === null ? null : r.hex("pq_merkle_root", HASH_BYTES),
  };
}

const READERS: { [T in MessageType]: (r: FieldReader) => BodyByType[T] } = {
  proposal: readProposal,
  review: readReview,
  vote: (r) => {
    r.onlyFields(["proposal_hash", "choice"]);
    return { proposal_hash: r.hex("proposal_hash", HASH_BYTES), choice: r.oneOf("choice", VOTE_CHOICES) };
  },
  attestation: readAttestation,
  emergency_declaration: (r) => {
    r.onlyFields(["trigger", "evidence"]);
    return { trigger: r.string("trigger", { max: 200 }), evidence: r.string("evidence", { max: 20_000 }) };
  },
  emergency_signature: (r) => {
    r.onlyFields(["emergency_hash"]);
    return { emergency_hash: r.hex("emergency_hash", HASH_BYTES) };
  },
  rollback: (r) => {
    r.onlyFields(["emergency_hash", "rollback_block"]);
    return { emergency_hash: r.hex("emergency_hash", HASH_BYTES), rollback_block: r.integer("rollback_block", 1) };
  },
};

/** Reads the body of a message of `type` from untrusted JSON; throws AppError("INVALID_MESSAGE") naming the field. */
export function parseBody<T extends MessageType>(type: T, input: unknown, where = "body"): BodyByType[T] {
  const reader = READERS[type] as (r: FieldReader) => BodyByType[T];
  if (!reader) throw new AppError("INVALID_MESSAGE", `unknown message type ${JSON.stringify(type)}`);
  return reader(FieldReader.object(input, "INVALID_MESSAGE", where));
}

/** The hash or id a body acts on (what UNKNOWN_TARGET refers to); null for proposals and declarations. */
export function bodyTarget(type: MessageType, body: MessageBody): string | null {
  switch (type) {
    case "review":
    case "vote":
      return (body as VoteBody).proposal_hash;
    case "attestation":
      return (body as AttestationBody).attestation_id;
    case "emergency_signature":
    case "rollback":
      return (body as RollbackBody).emergency_hash;
    default:
      return null;
  }
}
