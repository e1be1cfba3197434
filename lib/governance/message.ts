/**
 * The signed governance message (docs/spec/governance.md §3): its fields, its canonical form and its digest.
 *
 *   message = { domain, network_id, type, signer, nonce, issued_at, expires_at, body }
 *   canonical bytes = UTF-8 of the RFC 8785 (JCS) canonical JSON of the message
 *   digest = SHA3-256(canonical bytes)                 -- the message's hash; a proposal's hash is its digest
 *   signing input = UTF-8(domain) || 0x00 || digest    -- what both halves of the hybrid signature sign
 *
 * Every number in a message is a safe integer, so the canonical form of a message never depends on floating-point
 * formatting (free-form report objects inside a body may carry decimals; RFC 8785 §3.2.2.3 fixes their form).
 */
import canonicalize from "canonicalize";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { AppError } from "../errors";
import { concatBytes, toHex } from "../encoding/hex";
import { parseBody, type MessageBody, type MessageType, MESSAGE_TYPES } from "./bodies";
import { FieldReader } from "./read-json";

/** The domain tag: the first field a verifier checks, and the prefix of the signing input. */
export const GOVERNANCE_DOMAIN = "mathledger-governance-v1";
/** Largest allowed validity window of one message (expires_at - issued_at), in seconds: 30 days. */
export const MAX_MESSAGE_TTL_SECONDS = 30 * 24 * 3600;
/** Member ids: lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters. */
export const MEMBER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const NETWORK_ID_PATTERN = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export interface GovernanceMessage<T extends MessageType = MessageType> {
  domain: string;
  network_id: string;
  type: T;
  signer: string;
  /** Per-signer, strictly increasing across everything the signer signs (replay protection). */
  nonce: number;
  /** Unix seconds. */
  issued_at: number;
  /** Unix seconds; the message is refused after this instant. */
  expires_at: number;
  body: MessageBody<T>;
}

const MESSAGE_FIELDS = ["domain", "network_id", "type", "signer", "nonce", "issued_at", "expires_at", "body"] as const;

/**
 * Reads a message from untrusted JSON: every field present, of the right form, no unknown fields, and a body of the
 * message's type. Throws AppError("INVALID_MESSAGE") naming the field. The domain and network are read as strings
 * here and compared by verifyEnvelope, which reports WRONG_DOMAIN / WRONG_NETWORK.
 */
export function parseMessage(input: unknown, where = "message"): GovernanceMessage {
  const r = FieldReader.object(input, "INVALID_MESSAGE", where).onlyFields(MESSAGE_FIELDS);
  for (const field of MESSAGE_FIELDS) {
    if (r.value[field] === undefined) throw new AppError("INVALID_MESSAGE", `${where}.${field} is missing`, { field: `${where}.${field}` });
  }
  const domain = r.string("domain", { max: 64 });
  const network_id = r.string("network_id", { max: 64 });
  const type = r.oneOf("type", MESSAGE_TYPES);
  const signer = r.string("signer", { max: 64, pattern: MEMBER_ID_PATTERN });
  const nonce = r.integer("nonce", 1);
  const issued_at = r.integer("issued_at", 0);
  const expires_at = r.integer("expires_at", 0);
  if (expires_at <= issued_at) r.fail("expires_at", `after issued_at (${issued_at})`, expires_at);
  if (expires_at - issued_at > MAX_MESSAGE_TTL_SECONDS) r.fail("expires_at", `at most ${MAX_MESSAGE_TTL_SECONDS} s after issued_at`, expires_at);
  const body = parseBody(type, r.value.body, `${where}.body`);
  return { domain, network_id, type, signer, nonce, issued_at, expires_at, body };
}

/** RFC 8785 canonical JSON of `value` (canonicalize 4.0.0), refusing values JSON cannot carry. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new AppError("INVALID_MESSAGE", "the value has no JSON form");
  return text;
}

const utf8 = new TextEncoder();

/** The bytes that are hashed: UTF-8 of the canonical JSON. */
export function canonicalBytes(message: GovernanceMessage): Uint8Array {
  return utf8.encode(canonicalJson(message));
}

/** SHA3-256 of the canonical bytes, as raw bytes. */
export function messageDigestBytes(message: GovernanceMessage): Uint8Array {
  return sha3_256(canonicalBytes(message));
}

/** The message's hash ("0x" + 64 hex digits): a proposal's hash, an emergency's hash, a vote's id. */
export function messageDigest(message: GovernanceMessage): string {
  return toHex(messageDigestBytes(message));
}

/** What both signatures sign: the domain tag, a zero byte, then the 32-byte digest. */
export function signingInput(digest: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode(GOVERNANCE_DOMAIN), new Uint8Array([0]), digest);
}

export interface MessageDraft<T extends MessageType = MessageType> {
  type: T;
  body: MessageBody<T>;
}

/** Fills in the envelope fields of a draft (what `governance sign` and the browser do before showing the message). */
export function buildMessage<T extends MessageType>(
  draft: MessageDraft<T>,
  fields: { network_id: string; signer: string; nonce: number; issued_at: number; ttl_seconds: number },
): GovernanceMessage<T> {
  const message = {
    domain: GOVERNANCE_DOMAIN,
    network_id: fields.network_id,
    type: draft.type,
    signer: fields.signer,
    nonce: fields.nonce,
    issued_at: fields.issued_at,
    expires_at: fields.issued_at + fields.ttl_seconds,
    body: draft.body,
  };
  // Round-trip through the parser so a draft with a malformed body fails here, before anything is signed.
  return parseMessage(message) as GovernanceMessage<T>;
}
