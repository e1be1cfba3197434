/**
 * Member sign-in and sessions (docs/spec/governance.md §12): the server issues a challenge, the member signs it with
 * their hybrid key, the server checks both signatures, consumes the challenge (each signs in once) and opens a
 * session whose opaque random token goes into an HttpOnly cookie. Only the token's SHA-256 is stored, with its expiry;
 * signing out deletes it.
 *
 * A session names a member for the portal's pages and for operator actions (server/drift/operator-auth.ts). It signs
 * nothing: every governance action still carries its own envelope, verified on its own (submit-envelope.ts).
 *
 * Rate limits (server/security/rate-limit.ts): challenges per address and per member id; signed answers per address
 * before verification (which bounds the work an address can cause) and per member after it (so a forger cannot use
 * up a member's budget with answers that do not verify).
 */
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { MEMBER_ID_PATTERN } from "../../lib/governance/message";
import type { Role } from "../../lib/governance/members";
import { newSignInChallenge, SIGN_IN_CHALLENGE_BYTES, signInChallengeDigest, verifySignInWith, type SignInChallenge } from "../../lib/governance/sign-in";
import { enforceRateLimit } from "../security/rate-limit";
import { loadGovernance } from "./governance-store";
import { signatureCheck } from "./verify-pool";

/** How long a session lasts, in seconds (a working day); signing in again starts a new one. */
export const SESSION_TTL_SECONDS = 8 * 3600;
/** Random bytes in a session token (256 bits: not guessable, so the token itself needs no rate limit). */
const SESSION_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionMember {
  id: string;
  name: string;
  roles: Role[];
}

export interface Session {
  member: SessionMember;
  /** Unix seconds. */
  expiresAt: number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface ChallengeRequest {
  memberId: unknown;
  /** The client address per-IP limits count under (lib/security/client-address.ts). */
  clientAddress: string;
  now?: number;
}

/** Issues and stores a challenge for a registered member. */
export async function issueSignInChallenge(pool: pg.Pool, request: ChallengeRequest): Promise<SignInChallenge> {
  await enforceRateLimit("sign-in-challenge-ip", request.clientAddress);
  const memberId = request.memberId;
  if (typeof memberId !== "string" || !MEMBER_ID_PATTERN.test(memberId)) {
    throw new AppError("INVALID_INPUT", `member_id must be a member id matching ${MEMBER_ID_PATTERN}, got ${describeValue(memberId)}`);
  }
  // Per member id, though anyone may ask for any member's challenge: a flood against one member delays that member's
  // sign-in by at most one window, and never touches their ability to sign actions (which needs no session).
  await enforceRateLimit("sign-in-challenge-key", memberId);
  const registry = await loadGovernance(pool);
  if (!registry.members.has(memberId)) throw new AppError("UNKNOWN_SIGNER", `no member ${describeValue(memberId)} is registered`);
  const now = request.now ?? nowSeconds();
  const challenge = newSignInChallenge({ networkId: registry.networkId, memberId, now, random: new Uint8Array(randomBytes(SIGN_IN_CHALLENGE_BYTES)) });
  await pool.query("INSERT INTO governance_sign_in_challenges (digest, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", [
    signInChallengeDigest(challenge),
    memberId,
    now,
    challenge.expires_at,
  ]);
  // Housekeeping: answered challenges are deleted when used; unanswered ones go once expired (indexed on expiry).
  await pool.query("DELETE FROM governance_sign_in_challenges WHERE expires_at < $1", [now]);
  return challenge;
}

export interface SignInRequest {
  challenge: unknown;
  signatures: unknown;
  clientAddress: string;
  now?: number;
  /** Session lifetime in seconds (tests); default SESSION_TTL_SECONDS. */
  ttlSeconds?: number;
}

/**
 * Verifies a signed challenge, consumes it and opens a session. Refusals: the envelope reasons (INVALID_MESSAGE,
 * WRONG_DOMAIN, WRONG_NETWORK, UNKNOWN_SIGNER, BAD_SIGNATURE_*, EXPIRED), then UNKNOWN_CHALLENGE for a challenge this
 * server never issued or that was already answered (a replay). Returns the token for the cookie: the only copy.
 */
export async function signIn(pool: pg.Pool, request: SignInRequest): Promise<Session & { token: string }> {
  await enforceRateLimit("sign-in-signature-ip", request.clientAddress);
  const registry = await loadGovernance(pool);
  const now = request.now ?? nowSeconds();
  // Both signatures are checked on the verification threads (verify-pool.ts), off the request thread.
  const { member, digest } = await verifySignInWith(
    { challenge: request.challenge, signatures: request.signatures },
    { networkId: registry.networkId, now, findMember: (id) => registry.members.get(id) },
    signatureCheck(),
  );
  await enforceRateLimit("sign-in-signature-key", member.id);
  // One statement consumes the challenge: of two concurrent answers, one finds the row and the other none.
  const consumed = await pool.query("DELETE FROM governance_sign_in_challenges WHERE digest = $1 AND member_id = $2 AND expires_at >= $3", [digest, member.id, now]);
  if ((consumed.rowCount ?? 0) !== 1) {
    throw new AppError("UNKNOWN_CHALLENGE", "this sign-in challenge was not issued by this server, or has already been used: ask for a new one");
  }
  const token = randomBytes(SESSION_TOKEN_BYTES).toString("base64url");
  const expiresAt = now + (request.ttlSeconds ?? SESSION_TTL_SECONDS);
  await pool.query("INSERT INTO governance_sessions (token_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", [tokenHash(token), member.id, now, expiresAt]);
  await pool.query("DELETE FROM governance_sessions WHERE expires_at < $1", [now]);
  return { token, member: { id: member.id, name: member.name, roles: [...member.roles] }, expiresAt };
}

/** The session a cookie token opens, or null (no token, unknown, signed out or expired). */
export async function sessionFromToken(pool: pg.Pool, token: string | null | undefined, now = nowSeconds()): Promise<Session | null> {
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const { rows } = await pool.query<{ member_id: string; expires_at: number }>("SELECT member_id, expires_at FROM governance_sessions WHERE token_hash = $1 AND expires_at > $2", [
    tokenHash(token),
    now,
  ]);
  if (rows.length === 0) return null;
  const member = (await loadGovernance(pool)).members.get(rows[0].member_id);
  if (!member) return null;
  return { member: { id: member.id, name: member.name, roles: [...member.roles] }, expiresAt: Number(rows[0].expires_at) };
}

/** Ends the session of `token` (nothing to do when there is none). */
export async function signOut(pool: pg.Pool, token: string | null | undefined): Promise<void> {
  if (!token || !TOKEN_PATTERN.test(token)) return;
  await pool.query("DELETE FROM governance_sessions WHERE token_hash = $1", [tokenHash(token)]);
}
