/**
 * The signed envelope and its verification (docs/spec/governance.md §5).
 *
 *   envelope = { "message": <message>, "signatures": { "ed25519": "0x…", "ml_dsa_65": "0x…" } }
 *
 * verifyEnvelope runs the checks every action shares, in a fixed order so the same fault always gives the same reason
 * code: form (INVALID_ENVELOPE / INVALID_MESSAGE), WRONG_DOMAIN, WRONG_NETWORK, UNKNOWN_SIGNER, both signatures
 * (BAD_SIGNATURE_ED25519, then BAD_SIGNATURE_ML_DSA), FUTURE_DATED, EXPIRED, NONCE_NOT_INCREASING. Rules that depend
 * on the target (role, phase, duplicates, voting power) are checked by the engine modules afterwards.
 */
import { AppError } from "../errors";
import { describeValue } from "../encoding/hex";
import type { MessageType } from "./bodies";
import { hybridSign, hybridSignatureError, hybridVerify, type Ed25519Verify, type HybridSignatureCheck, type HybridSignatures, type HybridSigningKey } from "./hybrid-keys";
import type { Member } from "./members";
import { GOVERNANCE_DOMAIN, messageDigestBytes, parseMessage, signingInput, type GovernanceMessage } from "./message";
import { toHex } from "../encoding/hex";
import { FieldReader } from "./read-json";

/** Tolerated clock difference between a signer and the server, in seconds, for issued_at. */
export const CLOCK_SKEW_SECONDS = 300;

export interface SignedEnvelope<T extends MessageType = MessageType> {
  message: GovernanceMessage<T>;
  signatures: HybridSignatures;
}

export interface VerifiedEnvelope<T extends MessageType = MessageType> extends SignedEnvelope<T> {
  /** The message digest ("0x" hex): the id of this action (a proposal's or emergency's hash). */
  digest: string;
  member: Member;
}

/** Reads an envelope from untrusted JSON (form only: no signature or time checks). */
export function parseEnvelope(input: unknown): SignedEnvelope {
  const r = FieldReader.object(input, "INVALID_ENVELOPE", "envelope").onlyFields(["message", "signatures"]);
  const s = r.object("signatures").onlyFields(["ed25519", "ml_dsa_65"]);
  const signatures = { ed25519: s.hex("ed25519"), ml_dsa_65: s.hex("ml_dsa_65") };
  return { message: parseMessage(r.value.message, "envelope.message"), signatures };
}

/** Signs a message with both halves of `key`. */
export function signMessage<T extends MessageType>(message: GovernanceMessage<T>, key: HybridSigningKey, options: { deterministic?: boolean } = {}): SignedEnvelope<T> {
  return { message, signatures: hybridSign(key, signingInput(messageDigestBytes(message)), options) };
}

export interface VerifyContext {
  networkId: string;
  /** Unix seconds, the verifier's clock. */
  now: number;
  findMember: (id: string) => Member | undefined;
  /** The signer's highest accepted nonce so far (0 when none); omit to skip the nonce check (offline recount). */
  lastNonce?: (signer: string) => number;
  /** Skip the time window (offline recount re-verifies old messages). */
  ignoreTime?: boolean;
  edVerify?: Ed25519Verify;
}

/** An envelope past its form, domain, network and signer checks, with what its signatures must verify against. */
export interface EnvelopeToVerify {
  envelope: SignedEnvelope;
  member: Member;
  /** The message digest (raw bytes). */
  digest: Uint8Array;
  /** What both signatures sign (message.ts signingInput). */
  signingInput: Uint8Array;
}

/** verifyEnvelope's checks before the signatures: form, WRONG_DOMAIN, WRONG_NETWORK, UNKNOWN_SIGNER. */
export function prepareEnvelope(input: unknown, ctx: Pick<VerifyContext, "networkId" | "findMember">): EnvelopeToVerify {
  const envelope = parseEnvelope(input);
  const m = envelope.message;
  if (m.domain !== GOVERNANCE_DOMAIN) throw new AppError("WRONG_DOMAIN", `message.domain is ${describeValue(m.domain)}, expected ${JSON.stringify(GOVERNANCE_DOMAIN)}`);
  if (m.network_id !== ctx.networkId) throw new AppError("WRONG_NETWORK", `message.network_id is ${describeValue(m.network_id)}, but this network is ${JSON.stringify(ctx.networkId)}`);
  const member = ctx.findMember(m.signer);
  if (!member) throw new AppError("UNKNOWN_SIGNER", `no member ${describeValue(m.signer)} is registered`);
  const digest = messageDigestBytes(m);
  return { envelope, member, digest, signingInput: signingInput(digest) };
}

/** verifyEnvelope's checks after the signatures: the time window, then the nonce. */
function completeEnvelope(prepared: EnvelopeToVerify, ctx: VerifyContext): VerifiedEnvelope {
  const m = prepared.envelope.message;
  if (!ctx.ignoreTime) checkTimeWindow(m, ctx.now);
  if (ctx.lastNonce) checkNonce(m.signer, m.nonce, ctx.lastNonce(m.signer));
  return { ...prepared.envelope, digest: toHex(prepared.digest), member: prepared.member };
}

/** Runs the shared checks on an untrusted envelope; returns it verified or throws AppError with the reason code. */
export function verifyEnvelope(input: unknown, ctx: VerifyContext): VerifiedEnvelope {
  const prepared = prepareEnvelope(input, ctx);
  hybridVerify(prepared.envelope.signatures, prepared.signingInput, prepared.member.keys, ctx.edVerify);
  return completeEnvelope(prepared, ctx);
}

/**
 * verifyEnvelope with the signature check handed to `checkSignatures` (the server's verification threads): the same
 * checks in the same order, so the same input gets the same verdict and reason code either way.
 */
export async function verifyEnvelopeWith(input: unknown, ctx: Omit<VerifyContext, "edVerify">, checkSignatures: HybridSignatureCheck): Promise<VerifiedEnvelope> {
  const prepared = prepareEnvelope(input, ctx);
  const verdict = await checkSignatures(prepared.envelope.signatures, prepared.signingInput, prepared.member.keys);
  if (verdict) throw hybridSignatureError(verdict);
  return completeEnvelope(prepared, ctx);
}

/**
 * FUTURE_DATED when issued_at is more than CLOCK_SKEW_SECONDS after `now`; EXPIRED when `now` is past expires_at.
 * A message is valid for now ∈ [issued_at - 300, expires_at] (both ends included).
 */
export function checkTimeWindow(message: Pick<GovernanceMessage, "issued_at" | "expires_at">, now: number): void {
  if (message.issued_at > now + CLOCK_SKEW_SECONDS) {
    throw new AppError("FUTURE_DATED", `message.issued_at ${message.issued_at} is ${message.issued_at - now} s ahead of the server clock (${now}); at most ${CLOCK_SKEW_SECONDS} s of skew is tolerated`);
  }
  if (now > message.expires_at) {
    throw new AppError("EXPIRED", `the message expired at ${message.expires_at}, ${now - message.expires_at} s before the server clock (${now})`);
  }
}

/** NONCE_NOT_INCREASING unless `nonce` is strictly above the signer's last accepted nonce. */
export function checkNonce(signer: string, nonce: number, last: number): void {
  if (nonce <= last) {
    throw new AppError("NONCE_NOT_INCREASING", `nonce ${nonce} is not above ${signer}'s last accepted nonce ${last} (a replay, or a message signed out of order)`);
  }
}
