/**
 * A proposal as a person types it (docs/spec/governance.md §6.1): the new-proposal form's text fields, read into a
 * proposal body and checked field by field with the very rules the server applies at submission, so the form can
 * say what the server would refuse before anything is signed:
 *   - the body's shape: parseBody("proposal") (lib/governance/bodies.ts), the reader of a signed message;
 *   - the consensus core's verdict on the epoch and the activation lead: checkProposal (lib/governance/proposal.ts),
 *     which registers the proposed epoch on a copy of the registry (lib/consensus/epochs.ts registerEpoch).
 * The server checks again at submission against the tip of that moment: this check is advice, not a promise.
 */
import type { Epoch } from "../consensus/epochs";
import { isAppError } from "../errors";
import { parseBody, type ProposalBody } from "./bodies";
import { checkProposal, type ProposalCheckContext } from "./proposal";

export const PROPOSAL_FORM_FIELDS = [
  "proposal_id",
  "title",
  "proposal_type",
  "activation_block",
  "algorithm_id",
  "algorithm_name",
  "rule_version",
  "rationale",
  "benchmark_results",
  "risk_assessment",
  "implementation_readiness",
] as const;
export type ProposalFormField = (typeof PROPOSAL_FORM_FIELDS)[number];

/** The form's values, as typed (every field is text; JSON fields hold a JSON object's text). */
export type ProposalForm = Record<ProposalFormField, string>;

export interface FieldProblem {
  /** The reason code the server would answer with (lib/error-codes.ts), e.g. INVALID_MESSAGE or ACTIVATION_TOO_SOON. */
  code: string;
  message: string;
}

export interface ProposalDraftCheck {
  /** The body to sign: set only when no field has a problem. */
  body: ProposalBody | null;
  problems: Partial<Record<ProposalFormField, FieldProblem>>;
}

/** What the check needs from the node: the registry, the canonical tip, finality and the activation lead. */
export interface ProposalDraftContext extends ProposalCheckContext {
  registry: readonly Epoch[];
}

const JSON_FIELDS = ["benchmark_results", "risk_assessment", "implementation_readiness"] as const;
const EPOCH_FIELDS = ["activation_block", "algorithm_id", "algorithm_name", "rule_version"] as const;

/**
 * Values that parseBody accepts, put in place of a field it refused so that the next read reaches the other fields
 * (parseBody stops at the first problem; the form wants every problem at once).
 */
const ACCEPTED: Record<ProposalFormField, unknown> = {
  proposal_id: "P",
  title: "t",
  proposal_type: "epoch_activation",
  activation_block: 1,
  algorithm_id: 1,
  algorithm_name: "SHA3-256",
  rule_version: "v2-dual-required",
  rationale: "r",
  benchmark_results: {},
  risk_assessment: {},
  implementation_readiness: {},
};

/** Any 32-byte hash: the proposal's real hash is its message digest, which exists only once it is signed. */
const DRAFT_HASH = `0x${"00".repeat(32)}`;

/** "12", "0x0c" → 12; anything else is passed on as typed, for the body reader to refuse with its own words. */
function integerFromText(text: string, allowHex: boolean): unknown {
  const t = text.trim();
  if (/^[0-9]{1,16}$/.test(t)) return Number(t);
  if (allowHex && /^0x[0-9a-fA-F]{1,14}$/.test(t)) return parseInt(t.slice(2), 16);
  return t;
}

/** Which form field a body field path (AppError details.field, e.g. "body.epoch_parameters.rule_version") is. */
function formFieldOf(path: unknown): ProposalFormField | null {
  if (typeof path !== "string") return null;
  const last = path.split(".").pop() as ProposalFormField;
  return (PROPOSAL_FORM_FIELDS as readonly string[]).includes(last) ? last : null;
}

/** Which form field a refusal of the consensus core concerns (its code, from lib/consensus/epochs.ts). */
function fieldOfCoreRefusal(coreCode: unknown, message: string): ProposalFormField {
  switch (coreCode) {
    case "UNKNOWN_ALGORITHM":
      return "algorithm_id";
    case "EPOCH_OVERLAP":
    case "EPOCH_GAP":
    case "ACTIVATION_NOT_ABOVE_FINALITY":
      return "activation_block";
    case "INVALID_EPOCH":
      return /algorithm_name/.test(message) ? "algorithm_name" : "rule_version";
    default:
      return "rule_version"; // UNKNOWN_RULE_VERSION, RULE_VERSION_REGRESSION, ROLLBACK_WITHOUT_GOVERNANCE
  }
}

/** The lowest activation block the node would accept now (the tip plus the activation lead). */
export function minimumActivationBlock(ctx: Pick<ProposalCheckContext, "tip" | "activationLeadBlocks">): number {
  return ctx.tip + ctx.activationLeadBlocks;
}

/**
 * Reads and checks the form. `ctx` null (the node's context not loaded yet) checks the shape only. `now` is Unix
 * seconds (the activation timestamp the core is given; it does not decide anything here).
 */
export function checkProposalDraft(form: ProposalForm, ctx: ProposalDraftContext | null, now: number): ProposalDraftCheck {
  const problems: ProposalDraftCheck["problems"] = {};
  const raw: Record<ProposalFormField, unknown> = {
    proposal_id: form.proposal_id.trim(),
    title: form.title.trim(),
    proposal_type: form.proposal_type,
    activation_block: integerFromText(form.activation_block, false),
    algorithm_id: integerFromText(form.algorithm_id, true),
    algorithm_name: form.algorithm_name.trim(),
    rule_version: form.rule_version.trim(),
    rationale: form.rationale.trim(),
    benchmark_results: {},
    risk_assessment: {},
    implementation_readiness: {},
  };
  for (const field of JSON_FIELDS) {
    const text = form[field].trim() || "{}";
    try {
      raw[field] = JSON.parse(text);
    } catch (error) {
      problems[field] = { code: "INVALID_MESSAGE", message: `${field} is not valid JSON: ${(error as Error).message}` };
      raw[field] = ACCEPTED[field];
    }
  }
  const toBody = (v: Record<ProposalFormField, unknown>) => ({
    proposal_id: v.proposal_id,
    proposal_type: v.proposal_type,
    title: v.title,
    activation_block: v.activation_block,
    epoch_parameters: { algorithm_id: v.algorithm_id, algorithm_name: v.algorithm_name, rule_version: v.rule_version },
    rationale: v.rationale,
    benchmark_results: v.benchmark_results,
    risk_assessment: v.risk_assessment,
    implementation_readiness: v.implementation_readiness,
    endorsements: [],
  });

  // Shape: read, and on each refusal note it and put an accepted value in its place, until the body reads.
  const values = { ...raw };
  let parsed: ProposalBody | null = null;
  for (let round = 0; round <= PROPOSAL_FORM_FIELDS.length && !parsed; round++) {
    try {
      parsed = parseBody("proposal", toBody(values));
    } catch (error) {
      const field = isAppError(error) ? formFieldOf(error.details?.field) : null;
      if (!field || values[field] === ACCEPTED[field]) throw error; // not a field of the form: a bug, not input
      problems[field] ??= { code: isAppError(error) ? error.code : "INVALID_MESSAGE", message: (error as Error).message };
      values[field] = ACCEPTED[field];
    }
  }

  // The activation lead and the consensus core, on the body as typed. The lead needs only the activation block, so it
  // is judged even while the epoch fields are incomplete (their accepted stand-ins are never reported).
  if (parsed && ctx) {
    const epochReadable = EPOCH_FIELDS.every((f) => !problems[f]);
    const core = (body: ProposalBody): { field: ProposalFormField; problem: FieldProblem } | null => {
      try {
        checkProposal(body, DRAFT_HASH, now, ctx);
        return null;
      } catch (error) {
        if (!isAppError(error)) throw error;
        const field = error.code === "ACTIVATION_TOO_SOON" ? "activation_block" : fieldOfCoreRefusal(error.details?.core_code, error.message);
        return { field, problem: { code: error.code, message: error.message } };
      }
    };
    if (!problems.activation_block) {
      const refusal = core(parsed);
      if (refusal && (refusal.field === "activation_block" ? refusal.problem.code === "ACTIVATION_TOO_SOON" || epochReadable : epochReadable)) problems[refusal.field] = refusal.problem;
    }
    // An activation block with a problem of its own would hide the core's verdict on the epoch: judge the epoch again
    // at the lowest block the node would accept, and keep only what concerns the epoch fields.
    if (problems.activation_block && epochReadable) {
      const last = ctx.registry[ctx.registry.length - 1];
      const standIn = Math.max(minimumActivationBlock(ctx), (last?.start_block ?? 0) + 1, (ctx.finalizedHeight ?? -1) + 1, 1);
      const refusal = core({ ...parsed, activation_block: standIn });
      if (refusal && refusal.field !== "activation_block") problems[refusal.field] ??= refusal.problem;
    }
  }
  return { body: Object.keys(problems).length === 0 && parsed ? parsed : null, problems };
}
