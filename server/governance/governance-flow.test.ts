/**
 * The governance engine on a real PostgreSQL, end to end: proposal → reviews → voting → finalization → activation
 * registered in the epoch registry; attestation 5 of 7; emergency 5 of 7 → rollback epoch; audit chain intact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTransitions } from "../../lib/consensus/epochs";
import { messageDigest } from "../../lib/governance/message";
import { SAMPLE_PROPOSAL_BODY } from "../../lib/governance/test-members";
import { asyncCodeOf } from "../../lib/governance/test-codes";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { verifyStoredAuditLog } from "./audit-store";
import { createAttestation } from "./council-actions";
import { setCriticalGovernanceEventSink, type CriticalGovernanceEvent } from "./governance-events";
import { inGovernanceTransaction } from "./governance-store";
import { advanceGovernance, loadTally } from "./governance-transitions";
import { submitEnvelope } from "./submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "./test-fixture";

let f: GovernanceFixture;
const events: CriticalGovernanceEvent[] = [];
beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 3 });
  setCriticalGovernanceEventSink((e) => void events.push(e));
});
afterAll(async () => {
  setCriticalGovernanceEventSink(null);
  await f?.close();
});

const body = { ...SAMPLE_PROPOSAL_BODY, activation_block: 150, epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary" } };
const review = (hash: string, recommendation: "APPROVE" | "REJECT" | "CONDITIONAL") => ({
  type: "review" as const,
  body: { proposal_hash: hash, recommendation, code_review: { ok: true }, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} },
});

describe("proposal lifecycle on PostgreSQL", () => {
  let hash = "";
  it("stores a proposer's proposal UNDER_REVIEW, named by its digest", async () => {
    const env = f.sign("p1", { type: "proposal", body });
    const r = await submitEnvelope(f.pool, env, { now: T0 });
    hash = messageDigest(env.message);
    expect(r).toMatchObject({ proposal_hash: hash, status: "UNDER_REVIEW" });
  });
  it("refuses a proposal whose activation block lacks the lead, or whose epoch the core rejects", async () => {
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("p1", { type: "proposal", body: { ...body, proposal_id: "X-2", activation_block: 50 } }), { now: T0 }))).toBe("ACTIVATION_TOO_SOON");
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("p1", { type: "proposal", body: { ...body, proposal_id: "X-3", epoch_parameters: { ...body.epoch_parameters, algorithm_name: "BLAKE3" } } }), { now: T0 }))).toBe("INVALID_PROPOSAL");
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("v1", { type: "proposal", body: { ...body, proposal_id: "X-4" } }), { now: T0 }))).toBe("MISSING_ROLE");
  });
  it("refuses a vote before voting opens (WRONG_PHASE)", async () => {
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("v1", { type: "vote", body: { proposal_hash: hash, choice: "YES" } }), { now: T0 }))).toBe("WRONG_PHASE");
  });
  it("opens VOTING at the third approving review, not before", async () => {
    expect((await submitEnvelope(f.pool, f.sign("r1", review(hash, "APPROVE")), { now: T0 })).status).toBe("UNDER_REVIEW");
    expect((await submitEnvelope(f.pool, f.sign("r2", review(hash, "APPROVE")), { now: T0 })).status).toBe("UNDER_REVIEW");
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("r1", review(hash, "APPROVE")), { now: T0 }))).toBe("DUPLICATE_SIGNER");
    expect((await submitEnvelope(f.pool, f.sign("r3", review(hash, "CONDITIONAL")), { now: T0 + 1 })).status).toBe("VOTING");
  });
  it("counts a re-vote once (the latest), keeps every version, and finalizes at the window's end", async () => {
    const vote = (voter: string, choice: "YES" | "NO" | "ABSTAIN") => submitEnvelope(f.pool, f.sign(voter, { type: "vote", body: { proposal_hash: hash, choice } }), { now: T0 + 10 });
    for (let i = 1; i <= 7; i++) await vote(`c${i}`, "YES");
    await vote("v10", "YES");
    await vote("v10", "NO");
    const { rows } = await f.pool.query("SELECT count(*)::int AS n FROM governance_votes WHERE proposal_hash = $1", [hash]);
    expect(rows[0].n).toBe(9);
    const { rows: p } = await f.pool.query("SELECT power_table, voting_ends_at FROM governance_proposals WHERE hash = $1", [hash]);
    const tally = await loadTally(f.pool, hash, p[0].power_table);
    expect(tally).toMatchObject({ yes: "70", no: "10", voters: 8, total_power: "125" });
    // One second before the end nothing happens; at the end the worker's step finalizes and registers the epoch.
    expect((await advanceGovernance(f.pool, Number(p[0].voting_ends_at) - 1)).finalized).toEqual([]);
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("v9", { type: "vote", body: { proposal_hash: hash, choice: "YES" } }, { issuedAt: Number(p[0].voting_ends_at) }), { now: Number(p[0].voting_ends_at) }))).toBe("WRONG_PHASE");
    const s = await advanceGovernance(f.pool, Number(p[0].voting_ends_at));
    expect(s.finalized).toEqual([{ proposal_hash: hash, status: "SCHEDULED" }]);
    const registry = await loadEpochRegistry(f.pool);
    expect(registry.at(-1)).toMatchObject({ start_block: 150, rule_version: "v2.5-pq-primary", governance_hash: hash });
  });
});

describe("attestations on PostgreSQL", () => {
  it("verifies at the fifth council signature, with the block hash read from the store", async () => {
    const record = await inGovernanceTransaction(f.pool, (c) => createAttestation(c, "dual-activation", 2, T0, 3600));
    const { rows } = await f.pool.query("SELECT legacy_hash FROM blocks WHERE block_number = 2 AND canonical");
    expect(record.block_hash).toBe(rows[0].legacy_hash);
    const attBody = { attestation_id: record.attestation_id, milestone: record.milestone, block_number: 2, block_hash: record.block_hash, pq_merkle_root: record.pq_merkle_root };
    const statuses = [];
    for (let i = 1; i <= 5; i++) statuses.push((await submitEnvelope(f.pool, f.sign(`c${i}`, { type: "attestation", body: attBody }), { now: T0 })).status);
    expect(statuses).toEqual(["PENDING", "PENDING", "PENDING", "PENDING", "VERIFIED"]);
  });
  it("ends INSUFFICIENT at its deadline with fewer than five", async () => {
    const record = await inGovernanceTransaction(f.pool, (c) => createAttestation(c, "late", 1, T0, 60));
    expect((await advanceGovernance(f.pool, T0 + 59)).insufficient).toEqual([]);
    expect((await advanceGovernance(f.pool, T0 + 60)).insufficient).toEqual([record.attestation_id]);
  });
  it("refuses an attestation of a block that does not exist", async () => {
    expect(await asyncCodeOf(() => inGovernanceTransaction(f.pool, (c) => createAttestation(c, "ghost", 9999, T0, 60)))).toBe("UNKNOWN_TARGET");
  });
});

describe("emergency and rollback on PostgreSQL", () => {
  it("broadcasts only at 5 of 7, then registers a v1-legacy rollback epoch above the tip", async () => {
    const decl = f.sign("c1", { type: "emergency_declaration", body: { trigger: "pq-root-mismatch", evidence: "radar alert 42" } });
    const emergencyHash = (await submitEnvelope(f.pool, decl, { now: T0 })).emergency_hash!;
    for (let i = 2; i <= 4; i++) expect((await submitEnvelope(f.pool, f.sign(`c${i}`, { type: "emergency_signature", body: { emergency_hash: emergencyHash } }), { now: T0 })).status).toBe("PENDING");
    expect(events).toEqual([]);
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("c1", { type: "rollback", body: { emergency_hash: emergencyHash, rollback_block: 200 } }), { now: T0 }))).toBe("WRONG_PHASE");
    expect((await submitEnvelope(f.pool, f.sign("c5", { type: "emergency_signature", body: { emergency_hash: emergencyHash } }), { now: T0 })).status).toBe("DECLARED");
    expect(events.map((e) => e.kind)).toEqual(["EMERGENCY_DECLARED"]);
    const { rows } = await f.pool.query("SELECT max(block_number) AS tip FROM blocks WHERE canonical");
    const tip = Number(rows[0].tip);
    expect(await asyncCodeOf(() => submitEnvelope(f.pool, f.sign("c2", { type: "rollback", body: { emergency_hash: emergencyHash, rollback_block: tip } }), { now: T0 }))).toBe("ROLLBACK_NOT_ABOVE_TIP");
    await submitEnvelope(f.pool, f.sign("c2", { type: "rollback", body: { emergency_hash: emergencyHash, rollback_block: 160 } }), { now: T0 });
    const registry = await loadEpochRegistry(f.pool);
    expect(registry.at(-1)).toMatchObject({ start_block: 160, algorithm_id: 0, rule_version: "v1-legacy", governance_hash: emergencyHash });
    expect(listTransitions(registry).at(-1)!.kind).toBe("rollback");
    expect(events.map((e) => e.kind)).toEqual(["EMERGENCY_DECLARED", "ROLLBACK_EXECUTED"]);
  });
  it("keeps an intact audit chain through all of it", async () => {
    const v = await verifyStoredAuditLog(f.pool);
    expect(v.ok).toBe(true);
    expect(v.ok && v.entries).toBeGreaterThan(30);
  });
});
