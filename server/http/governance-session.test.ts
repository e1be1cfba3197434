/**
 * Member sign-in over the real route handlers and a real PostgreSQL (docs/spec/governance.md §12): a signed challenge
 * opens a session whose cookie is HttpOnly and SameSite=Strict; a replayed challenge, a challenge signed by another
 * member's key, a challenge the server never issued and an expired one are refused; an expired or signed-out session
 * names nobody; only the token's hash is stored; cross-site POSTs to the sign-in routes answer 403 before routing;
 * operator actions take a signed-in operator first, the node token second, and refuse everyone else; the sign-in
 * rate limits answer 429 with Retry-After.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signSignInChallenge, type SignInChallenge } from "../../lib/governance/sign-in";
import { testGenesis, testKey, testMember } from "../../lib/governance/test-members";
import { SESSION_COOKIE } from "../../lib/security/session-cookie";
import { closePgPool } from "../db/pg-pool";
import { authorizeOperator } from "../drift/operator-auth";
import { signIn } from "../governance/sign-in";
import { createGovernanceFixture, type GovernanceFixture } from "../governance/test-fixture";
import { getSession, postSignIn, postSignInChallenge, postSignOut } from "./governance-session";
import { securityProxy } from "./security-proxy";

const NODE_TOKEN = "operator-auth-test-node-token-0123456789";
const VARIABLES = [
  "DATABASE_URL",
  "MATHLEDGER_NODE_TOKEN",
  "MATHLEDGER_RATE_LIMITS",
  "MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY",
  "MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP",
  "MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY",
  "MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP",
] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let f: GovernanceFixture;
let address = 0;
/** A distinct client address per test, so per-IP limits of one test do not spill into another. */
const nextAddress = () => `198.51.100.${++address}`;

beforeAll(async () => {
  const genesis = testGenesis();
  genesis.members.push(testMember("o1", ["operator"]));
  f = await createGovernanceFixture({ blocks: 1, genesis });
  process.env.DATABASE_URL = f.db.url;
  process.env.MATHLEDGER_NODE_TOKEN = NODE_TOKEN;
  delete process.env.MATHLEDGER_RATE_LIMITS;
  // Generous per-key limits for the flow tests; the rate-limit tests use their own member ids and addresses, and
  // day-long windows so no test straddles a window boundary.
  process.env.MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY = "5/86400";
  process.env.MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP = "5/86400";
  process.env.MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY = "5/86400";
  process.env.MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP = "5/86400";
});
afterAll(async () => {
  await closePgPool();
  await f?.close();
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://127.0.0.1:3000${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

async function challengeFor(member: string, ip: string): Promise<SignInChallenge> {
  const response = await postSignInChallenge(post("/api/v1/governance/sign-in/challenge", { member_id: member }, { "x-forwarded-for": ip }));
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { challenge: SignInChallenge }).challenge;
}

function answer(challenge: SignInChallenge, signer: string, ip: string, headers: Record<string, string> = {}): Promise<Response> {
  return postSignIn(post("/api/v1/governance/sign-in", { challenge, signatures: signSignInChallenge(challenge, testKey(signer)) }, { "x-forwarded-for": ip, ...headers }));
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
}

const tokenOf = (setCookie: string | null) => new RegExp(`^${SESSION_COOKIE}=([^;]*);`).exec(setCookie ?? "")?.[1] ?? "";
const cookieHeader = (token: string) => ({ cookie: `other=1; ${SESSION_COOKIE}=${token}` });

describe("POST /api/v1/governance/sign-in", () => {
  it("opens a session for a signed challenge: HttpOnly, SameSite=Strict, Path=/ cookie, only its hash stored", async () => {
    const ip = nextAddress();
    const response = await answer(await challengeFor("v3", ip), "v3", ip);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { member: { id: string; roles: string[] }; expires_at: number };
    expect(body.member).toEqual({ id: "v3", name: "V3", roles: ["voter"] });
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).not.toContain("Secure"); // plain http: a browser would drop a Secure cookie
    const token = tokenOf(setCookie);
    expect(JSON.stringify(body)).not.toContain(token);
    const { rows } = await f.pool.query("SELECT token_hash, member_id FROM governance_sessions");
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.some((r) => r.member_id === "v3" && /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);

    const session = await getSession(new Request("http://127.0.0.1:3000/api/v1/governance/session", { headers: cookieHeader(token) }));
    expect(((await session.json()) as { member: { id: string } }).member.id).toBe("v3");
  });

  it("marks the cookie Secure when the request came over TLS (X-Forwarded-Proto: https)", async () => {
    const ip = nextAddress();
    const response = await answer(await challengeFor("v4", ip), "v4", ip, { "x-forwarded-proto": "https" });
    expect(response.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("refuses a replayed challenge: each challenge signs in once", async () => {
    const ip = nextAddress();
    const challenge = await challengeFor("v5", ip);
    expect((await answer(challenge, "v5", ip)).status).toBe(200);
    const replay = await answer(challenge, "v5", ip);
    expect(await errorOf(replay)).toEqual({ status: 403, code: "UNKNOWN_CHALLENGE" });
    expect(replay.headers.get("set-cookie")).toBeNull();
  });

  it("refuses two concurrent answers to one challenge but one", async () => {
    const ip = nextAddress();
    const challenge = await challengeFor("v6", ip);
    const statuses = await Promise.all([answer(challenge, "v6", ip), answer(challenge, "v6", ip)].map(async (r) => (await r).status));
    expect(statuses.sort()).toEqual([200, 403]);
  });

  it("refuses a challenge signed by a key of another member (and leaves it for its member)", async () => {
    const ip = nextAddress();
    const challenge = await challengeFor("v7", ip);
    expect(await errorOf(await answer(challenge, "c1", ip))).toEqual({ status: 403, code: "BAD_SIGNATURE_ED25519" });
    expect((await answer(challenge, "v7", ip)).status).toBe(200);
  });

  it("refuses a challenge this server never issued, and an expired one", async () => {
    const ip = nextAddress();
    const issued = await challengeFor("v8", ip);
    const forged = { ...issued, challenge: `0x${"ab".repeat(32)}` };
    expect(await errorOf(await answer(forged, "v8", ip))).toEqual({ status: 403, code: "UNKNOWN_CHALLENGE" });
    const expired = { ...issued, issued_at: issued.issued_at - 1000, expires_at: issued.issued_at - 700 };
    expect(await errorOf(await answer(expired, "v8", ip))).toEqual({ status: 403, code: "EXPIRED" });
  });

  it("answers malformed bodies with 400 and the field", async () => {
    const ip = nextAddress();
    const response = await postSignIn(post("/api/v1/governance/sign-in", { challenge: { domain: "x" }, signatures: {} }, { "x-forwarded-for": ip }));
    expect(await errorOf(response)).toEqual({ status: 400, code: "INVALID_MESSAGE" });
    const unknown = await postSignInChallenge(post("/api/v1/governance/sign-in/challenge", { member_id: "nobody" }, { "x-forwarded-for": ip }));
    expect(await errorOf(unknown)).toEqual({ status: 403, code: "UNKNOWN_SIGNER" });
  });
});

describe("sessions", () => {
  it("an expired session names nobody, on the session route and for operator actions", async () => {
    const ip = nextAddress();
    const challenge = await challengeFor("o1", ip);
    // A session that lasts one second, checked after it ended.
    const session = await signIn(f.pool, { challenge, signatures: signSignInChallenge(challenge, testKey("o1")), clientAddress: ip, ttlSeconds: 1 });
    const headers = cookieHeader(session.token);
    await new Promise((r) => setTimeout(r, 2100));
    const after = await getSession(new Request("http://127.0.0.1:3000/api/v1/governance/session", { headers }));
    expect(await after.json()).toEqual({ member: null, expires_at: null });
    await expect(authorizeOperator(new Request("http://127.0.0.1:3000/api/v1/radar/actions", { method: "POST", headers }))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("sign-out deletes the session and clears the cookie", async () => {
    const ip = nextAddress();
    const token = tokenOf((await answer(await challengeFor("v9", ip), "v9", ip)).headers.get("set-cookie"));
    const out = await postSignOut(new Request("http://127.0.0.1:3000/api/v1/governance/sign-out", { method: "POST", headers: cookieHeader(token) }));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`));
    const after = await getSession(new Request("http://127.0.0.1:3000/api/v1/governance/session", { headers: cookieHeader(token) }));
    expect(((await after.json()) as { member: unknown }).member).toBeNull();
  });
});

describe("authorizeOperator (drift event actions)", () => {
  const action = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/v1/radar/actions", { method: "POST", headers });

  it("takes a signed-in operator first and records the member id", async () => {
    const ip = nextAddress();
    const token = tokenOf((await answer(await challengeFor("o1", ip), "o1", ip)).headers.get("set-cookie"));
    expect(await authorizeOperator(action(cookieHeader(token)))).toEqual({ actor: "o1", via: "session" });
    // Even with a (wrong) bearer header, the operator's session decides.
    expect(await authorizeOperator(action({ ...cookieHeader(token), authorization: "Bearer nonsense" }))).toEqual({ actor: "o1", via: "session" });
  });

  it("keeps the node token for the CLI", async () => {
    expect(await authorizeOperator(action({ authorization: `Bearer ${NODE_TOKEN}` }))).toEqual({ actor: "node-token", via: "node-token" });
    await expect(authorizeOperator(action({ authorization: "Bearer wrong-token-wrong-token" }))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses anonymous visitors (401) and signed-in members without the operator role (403)", async () => {
    await expect(authorizeOperator(action({}))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const ip = nextAddress();
    const token = tokenOf((await answer(await challengeFor("c2", ip), "c2", ip)).headers.get("set-cookie"));
    await expect(authorizeOperator(action(cookieHeader(token)))).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("operator role") });
  });
});

describe("rate limits (429 with Retry-After)", () => {
  it("limits challenges per address", async () => {
    const ip = nextAddress();
    const members = ["c3", "c4", "c5", "c6", "c7"];
    for (const m of members) await challengeFor(m, ip);
    const refused = await postSignInChallenge(post("/api/v1/governance/sign-in/challenge", { member_id: "r1" }, { "x-forwarded-for": ip }));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "RATE_LIMITED", message: expect.stringContaining("MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP") });
  });

  it("limits challenges per member (key)", async () => {
    for (let i = 0; i < 5; i++) await challengeFor("r2", nextAddress());
    const refused = await postSignInChallenge(post("/api/v1/governance/sign-in/challenge", { member_id: "r2" }, { "x-forwarded-for": nextAddress() }));
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY");
  });

  it("limits signed answers per address, counted before verification", async () => {
    const ip = nextAddress();
    const challenge = await challengeFor("r3", nextAddress());
    for (let i = 0; i < 5; i++) expect((await answer(challenge, "c1", ip)).status).toBe(403); // bad signatures still count
    const refused = await answer(challenge, "r3", ip);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP");
  });

  it("limits signed answers per member, counted only once the signatures verified", async () => {
    process.env.MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY = "3/86400";
    try {
      const challenges: SignInChallenge[] = [];
      for (let i = 0; i < 5; i++) challenges.push(await challengeFor("p1", nextAddress()));
      // A forger's answers (another member's key) do not use up p1's budget...
      for (let i = 0; i < 4; i++) expect((await answer(challenges[0], "c2", nextAddress())).status).toBe(403);
      // ...p1's own answers do: three pass, the fourth is refused, from whatever address.
      for (let i = 0; i < 3; i++) expect((await answer(challenges[i], "p1", nextAddress())).status).toBe(200);
      const refused = await answer(challenges[3], "p1", nextAddress());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY");
      // Another member's budget is untouched.
      expect((await answer(await challengeFor("p2", nextAddress()), "p2", nextAddress())).status).toBe(200);
    } finally {
      process.env.MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY = "5/86400";
    }
  });
});

describe("cross-site requests to the sign-in routes", () => {
  it.each(["/api/v1/governance/sign-in", "/api/v1/governance/sign-in/challenge", "/api/v1/governance/sign-out"])("answers a cross-site POST to %s with 403 before routing", async (path) => {
    const request = new NextRequest(`http://127.0.0.1:3000${path}`, { method: "POST", headers: { host: "127.0.0.1:3000", origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    const response = securityProxy(request);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("CROSS_SITE_REQUEST");
  });
});
