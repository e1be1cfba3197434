/**
 * Security refusals on a real PostgreSQL (issue 8 "What must be shown"): each is refused with its reason code and
 * stores nothing (no row, no audit entry, no nonce advance). Plus 200 concurrent signed votes stored once each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageDigest } from "../../lib/governance/message";
import { SAMPLE_PROPOSAL_BODY } from "../../lib/governance/test-members";
import { asyncCodeOf } from "../../lib/governance/test-codes";
import { verifyStoredAuditLog } from "./audit-store";
import { createAttestation } from "./council-actions";
import { inGovernanceTransaction } from "./governance-store";
import { loadTally } from "./governance-transitions";
import { submitEnvelope } from "./submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "./test-fixture";

let f: GovernanceFixture;
let proposalHash = "";
let otherHash = "";
let emergencyHash = "";
let attestationId = "";

async function openVoting(proposalId: string): Promise<string> {
  const env = f.sign("p1", { type: "proposal", body: { ...SAMPLE_PROPOSAL_BODY, proposal_id: proposalId, activation_block: 300 } });
  await submitEnvelope(f.pool, env, { now: T0 });
  const hash = messageDigest(env.message);
  for (const r of ["r1", "r2", "r3"]) {
    await submitEnvelope(f.pool, f.sign(r, { type: "review", body: { proposal_hash: hash, recommendation: "APPROVE", code_review: {}, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} } }), { now: T0 });
  }
  return hash;
}

beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 2, poolMax: 10 });
  proposalHash = await openVoting("SEC-1");
  otherHash = await openVoting("SEC-2");
  emergencyHash = (await submitEnvelope(f.pool, f.sign("c1", { type: "emergency_declaration", body: { trigger: "t", evidence: "e" } }), { now: T0 })).emergency_hash!;
  attestationId = (await inGovernanceTransaction(f.pool, (c) => createAttestation(c, "m", 1, T0, 3600))).attestation_id;
});
afterAll(async () => {
  await f?.close();
});

/** Row counts of every governance table plus nonces: a refusal must leave all of them unchanged. */
async function snapshot(): Promise<string> {
  const { rows } = await f.pool.query(`SELECT
    (SELECT count(*) FROM governance_votes) AS votes, (SELECT count(*) FROM governance_reviews) AS reviews,
    (SELECT count(*) FROM governance_emergency_signatures) AS esigs, (SELECT count(*) FROM governance_attestation_signatures) AS asigs,
    (SELECT count(*) FROM governance_audit_log) AS audit, (SELECT count(*) FROM epochs) AS epochs,
    (SELECT string_agg(id || ':' || last_nonce, ',' ORDER BY id) FROM governance_members) AS nonces`);
  return JSON.stringify(rows[0]);
}

async function refused(input: unknown, now = T0): Promise<string | undefined> {
  const before = await snapshot();
  const code = await asyncCodeOf(() => submitEnvelope(f.pool, input, { now }));
  expect(await snapshot()).toBe(before);
  return code;
}

function flip(hex: string, at: number): string {
  const i = 2 + at;
  return hex.slice(0, i) + ((parseInt(hex[i], 16) ^ 1) & 15).toString(16) + hex.slice(i + 1);
}

describe("security refusals (nothing stored)", () => {
  it("refuses replaying an accepted vote envelope: NONCE_NOT_INCREASING", async () => {
    const vote = f.sign("v1", { type: "vote", body: { proposal_hash: proposalHash, choice: "YES" } });
    await submitEnvelope(f.pool, vote, { now: T0 });
    expect(await refused(vote)).toBe("NONCE_NOT_INCREASING");
  });
  it("refuses the same vote moved to another proposal: BAD_SIGNATURE_ED25519", async () => {
    const vote = f.sign("v2", { type: "vote", body: { proposal_hash: proposalHash, choice: "YES" } });
    expect(await refused({ ...vote, message: { ...vote.message, body: { proposal_hash: otherHash, choice: "YES" } } })).toBe("BAD_SIGNATURE_ED25519");
  });
  it("refuses expired and future-dated messages", async () => {
    const vote = f.sign("v3", { type: "vote", body: { proposal_hash: proposalHash, choice: "NO" } }, { ttl: 60 });
    expect(await refused(vote, T0 + 61)).toBe("EXPIRED");
    const future = f.sign("v3", { type: "vote", body: { proposal_hash: proposalHash, choice: "NO" } }, { issuedAt: T0 + 301 });
    expect(await refused(future, T0)).toBe("FUTURE_DATED");
  });
  it("refuses a voter's key casting a council signature: MISSING_ROLE", async () => {
    expect(await refused(f.sign("v4", { type: "emergency_signature", body: { emergency_hash: emergencyHash } }))).toBe("MISSING_ROLE");
    const { rows } = await f.pool.query("SELECT block_hash, pq_merkle_root FROM governance_attestations WHERE id = $1", [attestationId]);
    const body = { attestation_id: attestationId, milestone: "m", block_number: 1, block_hash: rows[0].block_hash, pq_merkle_root: rows[0].pq_merkle_root };
    expect(await refused(f.sign("v4", { type: "attestation", body }))).toBe("MISSING_ROLE");
  });
  it("refuses a duplicate council signature: DUPLICATE_SIGNER", async () => {
    await submitEnvelope(f.pool, f.sign("c2", { type: "emergency_signature", body: { emergency_hash: emergencyHash } }), { now: T0 });
    expect(await refused(f.sign("c2", { type: "emergency_signature", body: { emergency_hash: emergencyHash } }))).toBe("DUPLICATE_SIGNER");
    expect(await refused(f.sign("c1", { type: "emergency_signature", body: { emergency_hash: emergencyHash } }))).toBe("DUPLICATE_SIGNER"); // the declarer already counts
  });
  it("refuses a rollback on a 4-of-7 emergency: WRONG_PHASE", async () => {
    for (const c of ["c3", "c4"]) await submitEnvelope(f.pool, f.sign(c, { type: "emergency_signature", body: { emergency_hash: emergencyHash } }), { now: T0 });
    const { rows } = await f.pool.query("SELECT status, (SELECT count(*)::int FROM governance_emergency_signatures WHERE emergency_hash = $1) AS n FROM governance_emergencies WHERE hash = $1", [emergencyHash]);
    expect(rows[0]).toEqual({ status: "PENDING", n: 4 });
    expect(await refused(f.sign("c1", { type: "rollback", body: { emergency_hash: emergencyHash, rollback_block: 400 } }))).toBe("WRONG_PHASE");
  });
  it("refuses a tampered ML-DSA half with a valid Ed25519 half, and the reverse", async () => {
    const vote = f.sign("v5", { type: "vote", body: { proposal_hash: proposalHash, choice: "YES" } });
    expect(await refused({ ...vote, signatures: { ...vote.signatures, ml_dsa_65: flip(vote.signatures.ml_dsa_65, 500) } })).toBe("BAD_SIGNATURE_ML_DSA");
    expect(await refused({ ...vote, signatures: { ...vote.signatures, ed25519: flip(vote.signatures.ed25519, 5) } })).toBe("BAD_SIGNATURE_ED25519");
    await submitEnvelope(f.pool, vote, { now: T0 }); // the untampered envelope is still good
  });
  it("refuses unknown targets and zero voting power", async () => {
    expect(await refused(f.sign("v6", { type: "vote", body: { proposal_hash: `0x${"77".repeat(32)}`, choice: "YES" } }))).toBe("UNKNOWN_TARGET");
    expect(await refused(f.sign("c6", { type: "emergency_signature", body: { emergency_hash: `0x${"77".repeat(32)}` } }))).toBe("UNKNOWN_TARGET");
    expect(await refused(f.sign("r1", { type: "vote", body: { proposal_hash: proposalHash, choice: "YES" } }))).toBe("MISSING_ROLE");
  });
  it("refuses malformed input with INVALID_ENVELOPE, never a crash", async () => {
    for (const bad of [null, "x", [], { message: 1, signatures: {} }, { message: {}, signatures: { ed25519: "0x", ml_dsa_65: "0x" } }]) {
      expect(["INVALID_ENVELOPE", "INVALID_MESSAGE"]).toContain(await refused(bad));
    }
  });
  it("catches a tampered audit-log row", async () => {
    expect((await verifyStoredAuditLog(f.pool)).ok).toBe(true);
    await f.pool.query("UPDATE governance_audit_log SET payload = jsonb_set(payload, '{choice}', '\"NO\"') WHERE seq = (SELECT min(seq) FROM governance_audit_log WHERE event = 'VoteCast')");
    const result = await verifyStoredAuditLog(f.pool);
    expect(result.ok).toBe(false);
    const { rows } = await f.pool.query("SELECT min(seq)::int AS seq FROM governance_audit_log WHERE event = 'VoteCast'");
    expect(!result.ok && result.seq).toBe(rows[0].seq);
  });
});

describe("200 concurrent signed votes", () => {
  it("stores each exactly once (duplicates refused) and tallies exactly", async () => {
    // 17 voters (7 council + 10 voters) each sign 12 successive votes on the other proposal; all 204 are submitted at
    // once, each also twice (a replay racing its original).
    const voters = [...Array.from({ length: 7 }, (_, i) => `c${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `v${i + 1}`)];
    const choices = ["YES", "NO", "ABSTAIN"] as const;
    const envelopes = voters.flatMap((v, vi) => Array.from({ length: 12 }, (_, k) => f.sign(v, { type: "vote", body: { proposal_hash: otherHash, choice: choices[(vi + k) % 3] } }, { nonce: 1000 + k })));
    expect(envelopes.length).toBe(204);
    const results = await Promise.allSettled([...envelopes, ...envelopes].map((e) => submitEnvelope(f.pool, e, { now: T0 })));
    const accepted = results.filter((r) => r.status === "fulfilled").length;
    const reasons = new Set(results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason as { code?: string }).code));
    expect([...reasons]).toEqual(["NONCE_NOT_INCREASING"]);
    const { rows } = await f.pool.query("SELECT count(*)::int AS n, count(DISTINCT digest)::int AS d FROM governance_votes WHERE proposal_hash = $1", [otherHash]);
    expect(rows[0].n).toBe(accepted);
    expect(rows[0].d).toBe(accepted);
    // Whatever order they landed in, each voter's latest stored vote is the highest nonce it got accepted.
    const { rows: p } = await f.pool.query("SELECT power_table FROM governance_proposals WHERE hash = $1", [otherHash]);
    const { rows: latest } = await f.pool.query("SELECT DISTINCT ON (voter) voter, choice FROM governance_votes WHERE proposal_hash = $1 ORDER BY voter, nonce DESC", [otherHash]);
    const expected = { YES: 0, NO: 0, ABSTAIN: 0 } as Record<string, number>;
    for (const r of latest) expected[r.choice] += p[0].power_table[r.voter];
    const tally = await loadTally(f.pool, otherHash, p[0].power_table);
    expect([tally.yes, tally.no, tally.abstain]).toEqual([String(expected.YES), String(expected.NO), String(expected.ABSTAIN)]);
    expect(tally.voters).toBe(17);
  });
});
