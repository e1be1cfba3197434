/**
 * Member sign-in by signing a server challenge (docs/spec/governance.md §12).
 *
 *   challenge = { "domain": "mathledger-governance/sign-in/v1", "network_id", "member_id",
 *                 "challenge": "0x…32 random bytes…", "issued_at", "expires_at" }
 *   digest        = SHA3-256(UTF-8(JCS(challenge)))
 *   signing input = UTF-8("mathledger-governance/sign-in/v1") || 0x00 || digest
 *
 * Both halves of the member's hybrid key sign the signing input, with the same code as governance messages
 * (hybrid-keys.ts). The domain tag differs from the governance messages' "mathledger-governance-v1", so a sign-in
 * signature is never a valid signature of a governance message and the reverse: signing in grants no vote.
 *
 * Signing in proves who holds the key at that moment; the server then sets a session cookie. The cookie only names
 * the member for the UI and for operator actions: every governance action still needs its own signed envelope.
 */
import { sha3_256 } from "@noble/hashes/sha3.js";
import { AppError } from "../errors";
import { concatBytes, describeValue, fromHex, toHex } from "../encoding/hex";
import { hybridSign, hybridSignatureError, hybridVerify, type Ed25519Verify, type HybridSignatureCheck, type HybridSignatures, type HybridSigningKey } from "./hybrid-keys";
import { canonicalJson, MEMBER_ID_PATTERN, NETWORK_ID_PATTERN } from "./message";
import type { Member } from "./members";
import { FieldReader } from "./read-json";

/** The sign-in domain tag: distinct from every governance message's domain ("mathledger-governance-v1"). */
export const SIGN_IN_DOMAIN = "mathledger-governance/sign-in/v1";
/** How long a challenge may be answered, in seconds: long enough to type a passphrase and run scrypt. */
export const SIGN_IN_CHALLENGE_TTL_SECONDS = 300;
export const SIGN_IN_CHALLENGE_BYTES = 32;

export interface SignInChallenge {
  domain: string;
  network_id: string;
  member_id: string;
  /** 32 random bytes chosen by the server ("0x" hex): what makes each challenge single-use. */
  challenge: string;
  /** Unix seconds. */
  issued_at: number;
  /** Unix seconds; the server refuses an answer after this instant. */
  expires_at: number;
}

const FIELDS = ["domain", "network_id", "member_id", "challenge", "issued_at", "expires_at"] as const;

/** A fresh challenge for `memberId` (the caller supplies the 32 random bytes and the clock). */
export function newSignInChallenge(fields: { networkId: string; memberId: string; now: number; random: Uint8Array; ttlSeconds?: number }): SignInChallenge {
  if (fields.random.length !== SIGN_IN_CHALLENGE_BYTES) throw new AppError("INTERNAL", `a sign-in challenge needs ${SIGN_IN_CHALLENGE_BYTES} random bytes`);
  return {
    domain: SIGN_IN_DOMAIN,
    network_id: fields.networkId,
    member_id: fields.memberId,
    challenge: toHex(fields.random),
    issued_at: fields.now,
    expires_at: fields.now + (fields.ttlSeconds ?? SIGN_IN_CHALLENGE_TTL_SECONDS),
  };
}

/**
 * Reads a challenge from untrusted JSON (form only); throws AppError("INVALID_MESSAGE") naming the field. The domain
 * is read as a string and compared by verifySignIn (WRONG_DOMAIN).
 */
export function parseSignInChallenge(input: unknown, where = "challenge"): SignInChallenge {
  const r = FieldReader.object(input, "INVALID_MESSAGE", where).onlyFields(FIELDS);
  for (const field of FIELDS) {
    if (r.value[field] === undefined) throw new AppError("INVALID_MESSAGE", `${where}.${field} is missing`, { field: `${where}.${field}` });
  }
  const challenge: SignInChallenge = {
    domain: r.string("domain", { max: 64 }),
    network_id: r.string("network_id", { max: 64, pattern: NETWORK_ID_PATTERN }),
    member_id: r.string("member_id", { max: 64, pattern: MEMBER_ID_PATTERN }),
    challenge: r.hex("challenge", SIGN_IN_CHALLENGE_BYTES),
    issued_at: r.integer("issued_at", 0),
    expires_at: r.integer("expires_at", 0),
  };
  if (challenge.expires_at <= challenge.issued_at) r.fail("expires_at", `after issued_at (${challenge.issued_at})`, challenge.expires_at);
  return challenge;
}

const utf8 = new TextEncoder();

/** SHA3-256 of the challenge's RFC 8785 canonical JSON ("0x" hex): its identity on the server. */
export function signInChallengeDigest(challenge: SignInChallenge): string {
  return toHex(sha3_256(utf8.encode(canonicalJson(challenge))));
}

/** What both halves sign: the sign-in domain tag, a zero byte, then the 32-byte digest. */
export function signInSigningInput(challenge: SignInChallenge): Uint8Array {
  return concatBytes(utf8.encode(SIGN_IN_DOMAIN), new Uint8Array([0]), fromHex(signInChallengeDigest(challenge), 32));
}

/** Signs a challenge with both halves of `key` (the browser and the CLI). */
export function signSignInChallenge(challenge: SignInChallenge, key: HybridSigningKey, options: { deterministic?: boolean } = {}): HybridSignatures {
  return hybridSign(key, signInSigningInput(challenge), options);
}

export interface SignInContext {
  networkId: string;
  /** Unix seconds, the server's clock. */
  now: number;
  findMember: (id: string) => Member | undefined;
  edVerify?: Ed25519Verify;
}

/**
 * Checks a signed challenge: form, WRONG_DOMAIN, WRONG_NETWORK, UNKNOWN_SIGNER, both signatures against the named
 * member's keys (a key of another member fails here: BAD_SIGNATURE_ED25519), EXPIRED. Whether the server issued the
 * challenge and whether it is still unused is the server's to check (it stores issued challenges).
 */
export function verifySignIn(input: { challenge: unknown; signatures: unknown }, ctx: SignInContext): { challenge: SignInChallenge; member: Member; digest: string } {
  const prepared = prepareSignIn(input, ctx);
  hybridVerify(prepared.signatures, signInSigningInput(prepared.challenge), prepared.member.keys, ctx.edVerify);
  return completeSignIn(prepared, ctx);
}

/** verifySignIn with the signature check handed to `checkSignatures` (the server's threads): same checks, same order. */
export async function verifySignInWith(input: { challenge: unknown; signatures: unknown }, ctx: Omit<SignInContext, "edVerify">, checkSignatures: HybridSignatureCheck): Promise<{ challenge: SignInChallenge; member: Member; digest: string }> {
  const prepared = prepareSignIn(input, ctx);
  const verdict = await checkSignatures(prepared.signatures, signInSigningInput(prepared.challenge), prepared.member.keys);
  if (verdict) throw hybridSignatureError(verdict);
  return completeSignIn(prepared, ctx);
}

function prepareSignIn(input: { challenge: unknown; signatures: unknown }, ctx: Pick<SignInContext, "networkId" | "findMember">): { challenge: SignInChallenge; signatures: HybridSignatures; member: Member } {
  const challenge = parseSignInChallenge(input.challenge);
  const s = FieldReader.object(input.signatures, "INVALID_ENVELOPE", "signatures").onlyFields(["ed25519", "ml_dsa_65"]);
  const signatures = { ed25519: s.hex("ed25519"), ml_dsa_65: s.hex("ml_dsa_65") };
  if (challenge.domain !== SIGN_IN_DOMAIN) throw new AppError("WRONG_DOMAIN", `challenge.domain is ${describeValue(challenge.domain)}, expected ${JSON.stringify(SIGN_IN_DOMAIN)}`);
  if (challenge.network_id !== ctx.networkId) throw new AppError("WRONG_NETWORK", `challenge.network_id is ${describeValue(challenge.network_id)}, but this network is ${JSON.stringify(ctx.networkId)}`);
  const member = ctx.findMember(challenge.member_id);
  if (!member) throw new AppError("UNKNOWN_SIGNER", `no member ${describeValue(challenge.member_id)} is registered`);
  return { challenge, signatures, member };
}

function completeSignIn(prepared: { challenge: SignInChallenge; member: Member }, ctx: Pick<SignInContext, "now">): { challenge: SignInChallenge; member: Member; digest: string } {
  const { challenge, member } = prepared;
  if (ctx.now > challenge.expires_at) throw new AppError("EXPIRED", `the sign-in challenge expired at ${challenge.expires_at}, ${ctx.now - challenge.expires_at} s ago: ask for a new one`);
  return { challenge, member, digest: signInChallengeDigest(challenge) };
}
