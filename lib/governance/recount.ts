/**
 * The export bundle of a proposal and its offline recount (docs/spec/governance.md §10).
 *
 * A bundle carries the signed proposal, every signed vote (every version), the signers' public keys and the voting
 * power frozen when voting opened. recountBundle re-verifies every signature (both halves), checks that each vote
 * names this proposal, and recomputes the tally from each voter's latest vote; it trusts nothing else the server
 * says, except the member keys and power table, which an auditor compares with the genesis file.
 */
import { AppError } from "../errors";
import { describeValue, toHex } from "../encoding/hex";
import type { VoteBody } from "./bodies";
import { prepareEnvelope, type EnvelopeToVerify, type SignedEnvelope } from "./envelope";
import { checkPublicKeys, hybridSignatureError, hybridVerdict, type HybridSignatureCheck, type HybridVerdict } from "./hybrid-keys";
import { ROLES, type Member, type Role } from "./members";
import { FieldReader } from "./read-json";
import { tallyVotes, type CastVote, type PowerTable, type Tally } from "./tally";

export const BUNDLE_FORMAT = "mathledger-governance-bundle";

export interface ProposalBundle {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  network_id: string;
  proposal_hash: string;
  proposal: SignedEnvelope;
  members: Member[];
  power_table: Record<string, number>;
  votes: SignedEnvelope[];
  /** The server's tally at export time, for comparison. */
  tally: Tally | null;
}

export interface RecountResult {
  tally: Tally;
  /** True when the server's tally equals the recount (null when the bundle carries none). */
  matches_server: boolean | null;
  votes_verified: number;
}

function readMembers(list: unknown[]): Member[] {
  return list.map((m, i) => {
    const r = FieldReader.object(m, "INVALID_ENVELOPE", `bundle.members[${i}]`);
    const roles = r.array("roles", ROLES.length).filter((x): x is Role => (ROLES as readonly unknown[]).includes(x));
    return { id: r.string("id", { max: 64 }), name: r.optionalString("name", { max: 100 }) ?? r.string("id"), roles, voting_power: r.integer("voting_power", 0), keys: checkPublicKeys(r.value.keys, "INVALID_ENVELOPE", `bundle.members[${i}].keys`) };
  });
}

/** A bundle read and each envelope prepared (form, domain, network, signer, digest), signatures not yet checked. */
interface PreparedBundle {
  reader: FieldReader;
  proposalHash: string;
  powers: PowerTable;
  /** The proposal first, then every vote: each prepared, or the fault that stopped it. */
  envelopes: ({ prepared: EnvelopeToVerify } | { fault: unknown })[];
  /** Why bundle.votes could not be read (reported after the proposal's own faults, as reading in turn would). */
  votesFault: unknown;
}

function prepareBundle(input: unknown): PreparedBundle {
  const r = FieldReader.object(input, "INVALID_ENVELOPE", "bundle");
  r.oneOf("format", [BUNDLE_FORMAT]);
  const networkId = r.string("network_id", { max: 64 });
  const proposalHash = r.hex("proposal_hash", 32);
  const members = readMembers(r.array("members", 100_000));
  const byId = new Map(members.map((m) => [m.id, m]));
  const powers = r.freeObject("power_table", 10_000_000) as Record<string, unknown>;
  for (const [id, p] of Object.entries(powers)) {
    if (typeof p !== "number" || !Number.isSafeInteger(p) || p < 0) throw new AppError("INVALID_ENVELOPE", `bundle.power_table.${id} must be a non-negative integer, got ${describeValue(p)}`);
  }
  const ctx = { networkId, findMember: (id: string) => byId.get(id) };
  const prepare = (raw: unknown) => {
    try {
      return { prepared: prepareEnvelope(raw, ctx) };
    } catch (fault) {
      return { fault };
    }
  };
  let votes: unknown[] = [];
  let votesFault: unknown = null;
  try {
    votes = r.array("votes", 10_000_000);
  } catch (fault) {
    votesFault = fault;
  }
  return { reader: r, proposalHash, powers: powers as PowerTable, envelopes: [r.value.proposal, ...votes].map(prepare), votesFault };
}

/**
 * The recount proper, in bundle order: the first fault (an envelope's own, its signatures' as `verdictOf(i)` says,
 * or a rule's) is thrown, exactly as verifying each envelope in turn would find it.
 */
function finishRecount(bundle: PreparedBundle, verdictOf: (index: number, prepared: EnvelopeToVerify) => HybridVerdict): RecountResult {
  const { proposalHash, powers } = bundle;
  const verified = (index: number) => {
    const entry = bundle.envelopes[index];
    if ("fault" in entry) throw entry.fault;
    const verdict = verdictOf(index, entry.prepared);
    if (verdict) throw hybridSignatureError(verdict);
    return { message: entry.prepared.envelope.message, digest: toHex(entry.prepared.digest) };
  };
  const proposal = verified(0);
  if (proposal.message.type !== "proposal" || proposal.digest !== proposalHash) {
    throw new AppError("UNKNOWN_TARGET", `bundle.proposal is not the proposal ${proposalHash} (its digest is ${proposal.digest})`);
  }
  if (bundle.votesFault) throw bundle.votesFault;
  const cast: CastVote[] = [];
  const nonces = new Set<string>();
  for (let i = 0; i < bundle.envelopes.length - 1; i++) {
    const vote = verified(i + 1);
    if (vote.message.type !== "vote") throw new AppError("INVALID_MESSAGE", `bundle.votes[${i}] is a ${vote.message.type} message, not a vote`);
    const body = vote.message.body as VoteBody;
    if (body.proposal_hash !== proposalHash) throw new AppError("UNKNOWN_TARGET", `bundle.votes[${i}] is a vote on ${body.proposal_hash}, not on ${proposalHash}`);
    const key = `${vote.message.signer}/${vote.message.nonce}`;
    if (nonces.has(key)) throw new AppError("NONCE_NOT_INCREASING", `bundle.votes[${i}] repeats ${vote.message.signer}'s nonce ${vote.message.nonce}`);
    nonces.add(key);
    if (!(powers[vote.message.signer] > 0)) throw new AppError("ZERO_VOTING_POWER", `bundle.votes[${i}] is by ${vote.message.signer}, who has no frozen voting power`);
    cast.push({ voter: vote.message.signer, choice: body.choice, nonce: vote.message.nonce });
  }
  const tally = tallyVotes(cast, powers);
  const server = bundle.reader.value.tally as Tally | null | undefined;
  const matches_server = server ? JSON.stringify(sortKeys(server)) === JSON.stringify(sortKeys(tally)) : null;
  return { tally, matches_server, votes_verified: cast.length };
}

/** Verifies and recounts a bundle (parsed JSON); throws AppError with the first fault's reason code. */
export function recountBundle(input: unknown): RecountResult {
  return finishRecount(prepareBundle(input), (_, p) => hybridVerdict(p.envelope.signatures, p.signingInput, p.member.keys));
}

/**
 * recountBundle with the signature checks handed to `checkSignatures` (the CLI's verification threads), at most
 * `inFlight` at a time; the same result, or the same first fault, as recountBundle.
 */
export async function recountBundleWith(input: unknown, checkSignatures: HybridSignatureCheck, inFlight = 64): Promise<RecountResult> {
  const bundle = prepareBundle(input);
  const verdicts: HybridVerdict[] = new Array(bundle.envelopes.length).fill(null);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, bundle.envelopes.length) }, async () => {
      while (next < bundle.envelopes.length) {
        const index = next++;
        const entry = bundle.envelopes[index];
        if ("prepared" in entry) verdicts[index] = await checkSignatures(entry.prepared.envelope.signatures, entry.prepared.signingInput, entry.prepared.member.keys);
      }
    }),
  );
  return finishRecount(bundle, (index) => verdicts[index]);
}

function sortKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}
