/**
 * The member registry and the genesis file that seeds it (docs/spec/governance.md §2).
 *
 *   { "network_id": "mathledger-devnet",
 *     "params": { "voting_period_seconds": 604800, "activation_lead_blocks": 100 },
 *     "members": [ { "id": "alice", "name": "Alice", "roles": ["voter", "council"], "voting_power": 10,
 *                    "keys": { "ed25519": "0x…", "ml_dsa_65": "0x…" } } ] }
 *
 * The council has exactly COUNCIL_SIZE members because the plan's thresholds are "5 of 7".
 */
import { AppError } from "../errors";
import { describeValue } from "../encoding/hex";
import { checkPublicKeys, type HybridPublicKeys } from "./hybrid-keys";
import { MEMBER_ID_PATTERN, NETWORK_ID_PATTERN } from "./message";
import { FieldReader } from "./read-json";

export const ROLES = ["proposer", "reviewer", "voter", "council", "operator"] as const;
export type Role = (typeof ROLES)[number];

export const COUNCIL_SIZE = 7;
export const COUNCIL_THRESHOLD = 5;

export interface Member {
  id: string;
  name: string;
  roles: Role[];
  voting_power: number;
  keys: HybridPublicKeys;
}

export interface GovernanceParams {
  voting_period_seconds: number;
  activation_lead_blocks: number;
  /** How long an attestation collects council signatures before it ends INSUFFICIENT (default 3 days). */
  attestation_period_seconds: number;
}

export interface Genesis {
  network_id: string;
  params: GovernanceParams;
  members: Member[];
}

export const DEFAULT_ATTESTATION_PERIOD_SECONDS = 3 * 24 * 3600;

function parseMember(input: unknown, where: string): Member {
  const r = FieldReader.object(input, "INVALID_GENESIS", where).onlyFields(["id", "name", "roles", "voting_power", "keys"]);
  const roles = r.array("roles", ROLES.length).map((role, i) => {
    if (!(ROLES as readonly unknown[]).includes(role)) r.fail(`roles[${i}]`, `one of ${ROLES.join(", ")}`, role);
    return role as Role;
  });
  if (new Set(roles).size !== roles.length) r.fail("roles", "a list without repeats", roles);
  return {
    id: r.string("id", { max: 64, pattern: MEMBER_ID_PATTERN }),
    name: r.string("name", { max: 100 }),
    roles,
    voting_power: r.integer("voting_power", 0, 1_000_000_000_000),
    keys: checkPublicKeys(r.value.keys, "INVALID_GENESIS", `${where}.keys`),
  };
}

/** Reads a genesis file's JSON; throws AppError("INVALID_GENESIS") naming what is wrong. */
export function parseGenesis(input: unknown): Genesis {
  const r = FieldReader.object(input, "INVALID_GENESIS", "genesis").onlyFields(["network_id", "params", "members"]);
  const p = r.object("params").onlyFields(["voting_period_seconds", "activation_lead_blocks", "attestation_period_seconds"]);
  const params: GovernanceParams = {
    voting_period_seconds: p.integer("voting_period_seconds", 1, 365 * 24 * 3600),
    activation_lead_blocks: p.integer("activation_lead_blocks", 1, 10_000_000),
    attestation_period_seconds:
      p.value.attestation_period_seconds === undefined ? DEFAULT_ATTESTATION_PERIOD_SECONDS : p.integer("attestation_period_seconds", 1, 365 * 24 * 3600),
  };
  const members = r.array("members", 10_000).map((m, i) => parseMember(m, `genesis.members[${i}]`));
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const m of members) {
    if (ids.has(m.id)) throw new AppError("INVALID_GENESIS", `genesis.members has two members with id ${describeValue(m.id)}`);
    ids.add(m.id);
    for (const k of [m.keys.ed25519, m.keys.ml_dsa_65]) {
      if (keys.has(k)) throw new AppError("INVALID_GENESIS", `genesis.members: member ${m.id} reuses a public key of another member`);
      keys.add(k);
    }
  }
  const council = members.filter((m) => m.roles.includes("council")).length;
  if (council !== COUNCIL_SIZE) throw new AppError("INVALID_GENESIS", `genesis.members must have exactly ${COUNCIL_SIZE} council members (thresholds are ${COUNCIL_THRESHOLD} of ${COUNCIL_SIZE}), found ${council}`);
  return { network_id: r.string("network_id", { max: 64, pattern: NETWORK_ID_PATTERN }), params, members };
}

export function hasRole(member: Member, role: Role): boolean {
  return member.roles.includes(role);
}

/** Throws AppError("MISSING_ROLE") unless `member` holds `role`. */
export function requireRole(member: Member, role: Role, action: string): void {
  if (!hasRole(member, role)) {
    throw new AppError("MISSING_ROLE", `${member.id} cannot ${action}: that needs the ${role} role (${member.id} has ${member.roles.join(", ") || "no roles"})`);
  }
}
