/**
 * The sign-in routes over plain HTTP (docs/spec/governance.md §12), as functions of a fetch Request so the Next route
 * files stay one line and tests can call them directly:
 *
 *   POST /api/v1/governance/sign-in/challenge  {"member_id"}                      → {"challenge": {...}}
 *   POST /api/v1/governance/sign-in            {"challenge", "signatures"}        → {"member", "expires_at"} + Set-Cookie
 *   POST /api/v1/governance/sign-out                                              → {"signed_out": true} + cleared cookie
 *   GET  /api/v1/governance/session                                               → {"member": {...} | null, "expires_at"}
 *
 * Cross-site POSTs never reach these: proxy.ts refuses every state-changing /api request from another site with 403
 * before routing (lib/security/cross-origin-check.ts). The token goes out only in the Set-Cookie header, never in a
 * body: page script cannot read it (HttpOnly) and no API answer repeats it.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { clientAddress } from "../../lib/security/client-address";
import { clearedSessionCookie, sessionCookie, sessionTokenFromCookieHeader } from "../../lib/security/session-cookie";
import { requestedOverTls } from "../../lib/security/security-headers";
import { getPgPool } from "../db/pg-pool";
import { issueSignInChallenge, sessionFromToken, signIn, signOut, type Session } from "../governance/sign-in";
import { errorResponse, json } from "./json-response";
import { readLimitedText } from "./read-body";

/** A sign-in body holds one challenge and two signatures (an ML-DSA-65 signature is 6.6 KB of hex). */
const MAX_BODY_BYTES = 32 * 1024;

async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await readLimitedText(request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError("INVALID_INPUT", `body is not valid JSON: ${(error as Error).message}`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AppError("INVALID_INPUT", `body must be a JSON object, got ${describeValue(body)}`);
  return body as Record<string, unknown>;
}

const addressOf = (request: Request) => clientAddress(request.headers.get("x-forwarded-for"));
const overTls = (request: Request) => requestedOverTls(new URL(request.url).protocol, request.headers.get("x-forwarded-proto"));

/** The signed-in member of a request (its session cookie), or null. */
export async function sessionOfRequest(headers: Pick<Headers, "get">): Promise<Session | null> {
  const token = sessionTokenFromCookieHeader(headers.get("cookie"));
  if (!token) return null;
  return sessionFromToken(await getPgPool(), token);
}

export async function postSignInChallenge(request: Request): Promise<Response> {
  try {
    const body = await readJsonObject(request);
    const challenge = await issueSignInChallenge(await getPgPool(), { memberId: body.member_id, clientAddress: addressOf(request) });
    return json({ challenge });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function postSignIn(request: Request): Promise<Response> {
  try {
    const body = await readJsonObject(request);
    const session = await signIn(await getPgPool(), { challenge: body.challenge, signatures: body.signatures, clientAddress: addressOf(request) });
    const maxAge = session.expiresAt - Math.floor(Date.now() / 1000);
    return json({ member: session.member, expires_at: session.expiresAt }, 200, { "set-cookie": sessionCookie(session.token, { tls: overTls(request), maxAgeSeconds: maxAge }) });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function postSignOut(request: Request): Promise<Response> {
  try {
    await signOut(await getPgPool(), sessionTokenFromCookieHeader(request.headers.get("cookie")));
    return json({ signed_out: true }, 200, { "set-cookie": clearedSessionCookie(overTls(request)) });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function getSession(request: Request): Promise<Response> {
  try {
    const session = await sessionOfRequest(request.headers);
    return json({ member: session?.member ?? null, expires_at: session?.expiresAt ?? null });
  } catch (error) {
    return errorResponse(error);
  }
}
