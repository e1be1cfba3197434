/**
 * The five consensus rule versions of the migration, in the order the network moves through them.
 *
 * Each version says which of the two chains a block carries and which chain is primary (decides fork choice and
 * finality). The full written requirements are in docs/spec/consensus.md §5; this table is their executable form and
 * validate-block.ts reads nothing else to decide what a block must contain.
 *
 *   version            legacy chain   PQ chain   dual commitment        primary
 *   v1-legacy          required       forbidden  forbidden              legacy
 *   v1.5-pq-optional   required       optional   with the PQ fields     legacy
 *   v2-dual-required   required       required   required               legacy
 *   v2.5-pq-primary    required       required   required               pq
 *   v3-pq-only         forbidden      required   forbidden              pq
 *
 * Legacy fields: prev_hash, merkle_root. PQ fields: pq_algorithm, pq_prev_hash, pq_merkle_root. The dual commitment
 * binds one root of each chain, so it exists exactly when both chains are present.
 */
import { AppError } from "../errors";
import { describeValue } from "../encoding/hex";

export const RULE_VERSIONS = ["v1-legacy", "v1.5-pq-optional", "v2-dual-required", "v2.5-pq-primary", "v3-pq-only"] as const;
export type RuleVersion = (typeof RULE_VERSIONS)[number];

export type FieldPolicy = "required" | "optional" | "forbidden";

export interface RuleVersionRules {
  readonly version: RuleVersion;
  /** Position in the migration (0..4); registration only lets it grow, except a rollback to v1-legacy. */
  readonly order: number;
  readonly legacy: FieldPolicy;
  readonly pq: FieldPolicy;
  /** The chain whose hashes identify blocks for fork choice and finality. */
  readonly primaryChain: "legacy" | "pq";
  readonly summary: string;
}

const RULES: Record<RuleVersion, RuleVersionRules> = {
  "v1-legacy": {
    version: "v1-legacy",
    order: 0,
    legacy: "required",
    pq: "forbidden",
    primaryChain: "legacy",
    summary: "SHA-256 only: legacy root and prev-hash required, PQ fields must be absent",
  },
  "v1.5-pq-optional": {
    version: "v1.5-pq-optional",
    order: 1,
    legacy: "required",
    pq: "optional",
    primaryChain: "legacy",
    summary: "legacy fields required; PQ fields and the dual commitment optional, all or none, checked in full when present",
  },
  "v2-dual-required": {
    version: "v2-dual-required",
    order: 2,
    legacy: "required",
    pq: "required",
    primaryChain: "legacy",
    summary: "both chains and the dual commitment required; the legacy chain decides fork choice",
  },
  "v2.5-pq-primary": {
    version: "v2.5-pq-primary",
    order: 3,
    legacy: "required",
    pq: "required",
    primaryChain: "pq",
    summary: "both chains and the dual commitment required; the PQ chain decides fork choice and finality",
  },
  "v3-pq-only": {
    version: "v3-pq-only",
    order: 4,
    legacy: "forbidden",
    pq: "required",
    primaryChain: "pq",
    summary: "PQ chain alone: legacy fields and the dual commitment must be absent",
  },
};

export function isRuleVersion(value: unknown): value is RuleVersion {
  return typeof value === "string" && (RULE_VERSIONS as readonly string[]).includes(value);
}

/** The rules of `version`; throws AppError("UNKNOWN_RULE_VERSION") for anything not in RULE_VERSIONS. */
export function ruleVersionRules(version: string): RuleVersionRules {
  if (!isRuleVersion(version)) {
    throw new AppError("UNKNOWN_RULE_VERSION", `unknown rule version ${describeValue(version)} (known: ${RULE_VERSIONS.join(", ")})`);
  }
  return RULES[version];
}
