/**
 * Votes stored in groups (vote-commit-queue.ts) on a real PostgreSQL: many votes sent at once land in shared
 * transactions, and each is still judged alone: refusals inside a group store nothing and do not disturb the votes
 * around them, one signer's votes keep their nonce order, a database error in a group costs only the faulty vote,
 * and the audit chain stays one unbroken chain.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageDigest } from "../../lib/governance/message";
import { SAMPLE_PROPOSAL_BODY } from "../../lib/governance/test-members";
import { verifyStoredAuditLog } from "./audit-store";
import { submitEnvelope } from "./submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "./test-fixture";
import { VoteCommitQueue, voteCommitQueue } from "./vote-commit-queue";
import { verifyEnvelope, type VerifiedEnvelope } from "../../lib/governance/envelope";
import { loadGovernance } from "./governance-store";

let f: GovernanceFixture;
let proposal = "";
const REVIEW = { code_review: {}, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} };
const settle = (p: Promise<unknown>) => p.then((r) => ({ ok: r }), (e: { code?: string; message: string }) => ({ refused: e.code ?? e.message }));

beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 3, poolMax: 4 });
  const env = f.sign("p1", { type: "proposal", body: { ...SAMPLE_PROPOSAL_BODY, activation_block: 150 } });
  await submitEnvelope(f.pool, env, { now: T0 });
  proposal = messageDigest(env.message);
  for (const r of ["r1", "r2", "r3"]) await submitEnvelope(f.pool, f.sign(r, { type: "review", body: { proposal_hash: proposal, recommendation: "APPROVE", ...REVIEW } }), { now: T0 });
});
afterAll(async () => f?.close());

const voteEnvelope = (voter: string, choice: "YES" | "NO" | "ABSTAIN" = "YES", target = proposal) => f.sign(voter, { type: "vote", body: { proposal_hash: target, choice } });

describe("VoteCommitQueue", () => {
  it("stores votes sent at once, refusing inside the group only what the rules refuse", async () => {
    const good = ["v1", "v2", "v3", "v4", "v5"].map((v) => voteEnvelope(v));
    const replay = good[0];
    const unknownTarget = voteEnvelope("v6", "NO", "0x" + "00".repeat(32));
    const notAVoter = voteEnvelope("r1");
    // v7 signs two votes; both are accepted in order (its nonce rises).
    const first = voteEnvelope("v7", "YES");
    const second = voteEnvelope("v7", "NO");
    const sent = [...good, replay, unknownTarget, notAVoter, first, second, voteEnvelope("v8")];
    const results = await Promise.all(sent.map((e) => settle(submitEnvelope(f.pool, JSON.parse(JSON.stringify(e)) as unknown, { now: T0 + 5 }))));
    expect(results.map((r) => ("ok" in r ? "ok" : r.refused))).toEqual(["ok", "ok", "ok", "ok", "ok", "NONCE_NOT_INCREASING", "UNKNOWN_TARGET", "MISSING_ROLE", "ok", "ok", "ok"]);
    const { rows } = await f.pool.query<{ digest: string }>("SELECT digest FROM governance_votes WHERE proposal_hash = $1", [proposal]);
    const stored = new Set(rows.map((r) => r.digest));
    expect(stored.size).toBe(8);
    for (const e of [...good, first, second]) expect(stored.has(messageDigest(e.message))).toBe(true);
    expect(stored.has(messageDigest(unknownTarget.message))).toBe(false);
    const { rows: nonces } = await f.pool.query<{ id: string; last_nonce: string }>("SELECT id, last_nonce FROM governance_members WHERE id IN ('v6', 'v7', 'r1') ORDER BY id");
    expect(nonces.map((r) => [r.id, Number(r.last_nonce)])).toEqual([["r1", 1], ["v6", 0], ["v7", second.message.nonce]]);
    expect(await verifyStoredAuditLog(f.pool)).toMatchObject({ ok: true });
  });

  it("refuses the later of two votes of one signer that arrive out of nonce order, and stores the earlier", async () => {
    const low = voteEnvelope("v9");
    const high = voteEnvelope("v9", "NO");
    const results = await Promise.all([high, low].map((e) => settle(submitEnvelope(f.pool, e, { now: T0 + 6 }))));
    expect(results.map((r) => ("ok" in r ? "ok" : r.refused))).toEqual(["ok", "NONCE_NOT_INCREASING"]);
  });

  it("shares transactions between votes that arrive together (fewer transactions than votes)", async () => {
    const registry = await loadGovernance(f.pool);
    let transactions = 0;
    // The queue takes one pool client per transaction (withTransaction): counting them counts transactions.
    const counting = { connect: () => (transactions++, f.pool.connect()) } as unknown as pg.Pool;
    const queue = new VoteCommitQueue(counting);
    const votes = Array.from({ length: 30 }, (_, i) => voteEnvelope(`v${(i % 10) + 1}`, "ABSTAIN"));
    const verified = votes.map((e) => verifyEnvelope(e, { networkId: registry.networkId, now: T0 + 7, findMember: (id) => registry.members.get(id) }) as VerifiedEnvelope<"vote">);
    const results = await Promise.all(verified.map((v) => queue.submit(v, T0 + 7)));
    expect(results.every((r) => r.type === "vote")).toBe(true);
    // The first vote starts a transaction at once; the other 29 arrive meanwhile and share the next one.
    expect(transactions).toBe(2);
    expect(await verifyStoredAuditLog(f.pool)).toMatchObject({ ok: true });
  });

  it("rolls a group back on a database error and stores its other votes one by one", async () => {
    const registry = await loadGovernance(f.pool);
    const verify = (e: unknown) => verifyEnvelope(e, { networkId: registry.networkId, now: T0 + 8, findMember: (id) => registry.members.get(id) }) as VerifiedEnvelope<"vote">;
    const queue = new VoteCommitQueue(f.pool);
    const fine = [voteEnvelope("c1"), voteEnvelope("c2")].map(verify);
    // A verified vote the database refuses: a NUL character, which PostgreSQL's text and jsonb values cannot hold.
    const broken = verify(voteEnvelope("c3"));
    const poisoned = { ...broken, message: { ...broken.message, body: { ...broken.message.body, choice: "YES\u0000" as "YES" } } };
    const results = await Promise.all([fine[0], poisoned, fine[1]].map((v) => settle(queue.submit(v, T0 + 8))));
    expect("ok" in results[0] && "ok" in results[2]).toBe(true);
    expect("refused" in results[1]).toBe(true);
    const { rows } = await f.pool.query<{ voter: string }>("SELECT voter FROM governance_votes WHERE voter IN ('c1', 'c2', 'c3')");
    expect(rows.map((r) => r.voter).sort()).toEqual(["c1", "c2"]);
    expect(await verifyStoredAuditLog(f.pool)).toMatchObject({ ok: true });
  });

  it("is one queue per pool", () => {
    expect(voteCommitQueue(f.pool)).toBe(voteCommitQueue(f.pool));
  });
});

