/**
 * Rate limits on signed governance actions through the real tRPC route (app/api/trpc/[trpc]/route.ts) and a real
 * PostgreSQL: per client address and per signer, 429 TOO_MANY_REQUESTS with Retry-After and domainCode RATE_LIMITED;
 * replays and forgeries never spend a member's budget (they are counted after verification and the nonce check).
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { SignedEnvelope } from "../../../lib/governance/envelope";
import { messageDigest } from "../../../lib/governance/message";
import { SAMPLE_PROPOSAL_BODY } from "../../../lib/governance/test-members";
import { closePgPool } from "../../db/pg-pool";
import { createGovernanceFixture, type GovernanceFixture } from "../../governance/test-fixture";

const VARIABLES = ["DATABASE_URL", "MATHLEDGER_RATE_LIMITS", "MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY", "MATHLEDGER_RATE_LIMIT_SIGNATURE_IP"] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let f: GovernanceFixture;
let POST: (request: NextRequest) => Promise<Response>;
let proposalHash = "";
let now = 0;
let address = 0;
const nextAddress = () => `203.0.113.${++address}`;

beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 2 });
  process.env.DATABASE_URL = f.db.url;
  process.env.MATHLEDGER_RATE_LIMITS = "off"; // while the proposal and its reviews are set up
  ({ POST } = await import("../../../app/api/trpc/[trpc]/route"));
  now = Math.floor(Date.now() / 1000);
  const proposal = f.sign("p1", { type: "proposal", body: { ...SAMPLE_PROPOSAL_BODY, activation_block: 400 } }, { issuedAt: now });
  expect((await call("governance.submitProposal", proposal, nextAddress())).status).toBe(200);
  proposalHash = messageDigest(proposal.message);
  for (const r of ["r1", "r2", "r3"]) {
    const review = f.sign(r, { type: "review", body: { proposal_hash: proposalHash, recommendation: "APPROVE", code_review: {}, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} } }, { issuedAt: now });
    expect((await call("governance.submitReview", review, nextAddress())).status).toBe(200);
  }
  delete process.env.MATHLEDGER_RATE_LIMITS;
  // Day-long windows: no test straddles a window boundary.
  process.env.MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY = "3/86400";
  process.env.MATHLEDGER_RATE_LIMIT_SIGNATURE_IP = "6/86400";
});
afterAll(async () => {
  await closePgPool();
  await f?.close();
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function call(procedure: string, envelope: unknown, ip: string) {
  const response = await POST(
    new NextRequest(`http://127.0.0.1:3000/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify({ envelope }) }),
  );
  const body = (await response.json()) as { error?: { message: string; data: { domainCode: string | null; code: string } } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.data.domainCode ?? null, message: body.error?.message ?? "" };
}

const vote = (voter: string, choice: "YES" | "NO" = "YES"): SignedEnvelope => f.sign(voter, { type: "vote", body: { proposal_hash: proposalHash, choice } }, { issuedAt: now });

describe("signed governance actions over tRPC", () => {
  it("limits each signer (MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY) whatever the address; replays do not count", async () => {
    const first = vote("v1");
    expect((await call("governance.castVote", first, nextAddress())).status).toBe(200);
    // Someone replays v1's published vote from elsewhere: refused as a replay, and v1's budget is untouched.
    for (let i = 0; i < 3; i++) expect((await call("governance.castVote", first, nextAddress())).code).toBe("NONCE_NOT_INCREASING");
    expect((await call("governance.castVote", vote("v1", "NO"), nextAddress())).status).toBe(200);
    expect((await call("governance.submit", vote("v1"), nextAddress())).status).toBe(200);
    const refused = await call("governance.castVote", vote("v1", "NO"), nextAddress());
    expect(refused).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.message).toContain("MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY");
    // Nothing of the refused vote was stored: v1's latest vote is still the third.
    const { rows } = await f.pool.query("SELECT count(*)::int AS n FROM governance_votes WHERE voter = $1", ["v1"]);
    expect(rows[0].n).toBe(3);
    // Another signer is not affected.
    expect((await call("governance.castVote", vote("v2"), nextAddress())).status).toBe(200);
  });

  it("limits each client address (MATHLEDGER_RATE_LIMIT_SIGNATURE_IP), counting refused and forged envelopes too", async () => {
    const ip = nextAddress();
    const forged = { ...vote("v3"), signatures: vote("v4").signatures };
    for (let i = 0; i < 3; i++) expect((await call("governance.castVote", forged, ip)).code).toBe("BAD_SIGNATURE_ED25519");
    for (const voter of ["v5", "v6", "v7"]) expect((await call("governance.castVote", vote(voter), ip)).status).toBe(200);
    const refused = await call("governance.castVote", vote("v8"), ip);
    expect(refused).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.message).toContain("MATHLEDGER_RATE_LIMIT_SIGNATURE_IP");
    // The same vote from another address goes through.
    expect((await call("governance.castVote", vote("v8"), nextAddress())).status).toBe(200);
  });
});
