/**
 * Governance decisions over the relay, across three real nodes (own databases, same genesis, real HTTP): an activation
 * decided on A and a rollback executed on A are registered on B and C, each having verified the signed records itself;
 * a forged or insufficient record is refused with its reason code and registers nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDevnetRegistry } from "../../lib/devnet/default-registry";
import { messageDigest } from "../../lib/governance/message";
import { SAMPLE_PROPOSAL_BODY, signAs, testGenesis } from "../../lib/governance/test-members";
import type { MessageType } from "../../lib/governance/bodies";
import type { MessageDraft } from "../../lib/governance/message";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { seedGovernance } from "../governance/governance-store";
import { submitEnvelope } from "../governance/submit-envelope";
import { advanceGovernance } from "../governance/governance-transitions";
import { startTestNode, type TestNode } from "./test-support/relay-node";

const T0 = 1_800_000_000;
const epochs = defaultDevnetRegistry(T0 - 1000, 5);
let a: TestNode, b: TestNode, c: TestNode;
const nonces = new Map<string, number>();
function sign<T extends MessageType>(signer: string, draft: MessageDraft<T>) {
  const nonce = (nonces.get(signer) ?? 0) + 1;
  nonces.set(signer, nonce);
  return signAs(signer, draft, { nonce, issuedAt: T0, ttl: 3600 });
}
const peer = (n: TestNode) => ({ id: n.id, url: n.url, token: n.token });

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const registered = async (node: TestNode, hash: string) => (await loadEpochRegistry(node.pool)).find((e) => e.governance_hash === hash) ?? null;

/** POSTs a record to `node` as a peer would. */
function relay(node: TestNode, record: unknown): Promise<Response> {
  return fetch(`${node.url}/api/v1/relay/governance`, {
    method: "POST",
    headers: { authorization: `Bearer ${node.token}`, "content-type": "application/json", "x-mathledger-relay-from": "node-x" },
    body: JSON.stringify(record),
  });
}

beforeAll(async () => {
  const setup = async (pool: import("pg").Pool) => void (await seedGovernance(pool, testGenesis()));
  [a, b, c] = await Promise.all(["node-a", "node-b", "node-c"].map((id) => startTestNode(id, epochs, setup)));
  await a.connect([peer(b), peer(c)]);
  await b.connect([peer(a), peer(c)]);
  await c.connect([peer(a), peer(b)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a, b, c].filter(Boolean).map((n) => n.stop()));
});

const body = { ...SAMPLE_PROPOSAL_BODY, activation_block: 150, epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary" } };
const review = (hash: string) => ({
  type: "review" as const,
  body: { proposal_hash: hash, recommendation: "APPROVE" as const, code_review: { ok: true }, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} },
});

describe("governance relay", () => {
  let activation: { hash: string };

  it("registers an activation approved on A on B and C, after each verified the signed record", async () => {
    const proposal = sign("p1", { type: "proposal", body });
    const hash = messageDigest(proposal.message);
    await submitEnvelope(a.pool, proposal, { now: T0 });
    for (const r of ["r1", "r2", "r3"]) await submitEnvelope(a.pool, sign(r, review(hash)), { now: T0 + 1 });
    for (let i = 1; i <= 7; i++) await submitEnvelope(a.pool, sign(`c${i}`, { type: "vote", body: { proposal_hash: hash, choice: "YES" } }), { now: T0 + 10 });
    const decidedAt = T0 + 604_800 + 20;
    expect((await advanceGovernance(a.pool, decidedAt)).finalized).toEqual([{ proposal_hash: hash, status: "SCHEDULED" }]);
    const onA = await registered(a, hash);
    expect(onA).toMatchObject({ start_block: 150, rule_version: "v2.5-pq-primary" });
    await until("B and C to register the epoch", async () => (await registered(b, hash)) !== null && (await registered(c, hash)) !== null);
    for (const node of [b, c]) {
      expect(await registered(node, hash)).toEqual(onA);
      const row = await node.pool.query("SELECT status, activation_block FROM governance_proposals WHERE hash = $1", [hash]);
      expect(row.rows[0]).toMatchObject({ status: "SCHEDULED", activation_block: 150 });
      const audit = await node.pool.query("SELECT payload FROM governance_audit_log WHERE event = 'RelayedDecisionRegistered'");
      expect(audit.rows).toHaveLength(1);
    }
    const logged = await a.pool.query("SELECT count(*)::int AS n FROM relay_peers WHERE records_sent = 1");
    expect(logged.rows[0].n).toBe(2);
    activation = { hash };
  });

  it("answers a record already registered as such, registering nothing twice", async () => {
    const proposalEnvelope = (await a.pool.query("SELECT envelope FROM governance_proposals WHERE hash = $1", [activation.hash])).rows[0].envelope;
    const reviews = (await a.pool.query("SELECT envelope FROM governance_reviews WHERE proposal_hash = $1", [activation.hash])).rows.map((r) => r.envelope);
    const votes = (await a.pool.query("SELECT envelope FROM governance_votes WHERE proposal_hash = $1", [activation.hash])).rows.map((r) => r.envelope);
    const record = { kind: "activation", proposal: proposalEnvelope, reviews, votes, decided_at: T0 + 604_820 };
    const again = await relay(b, record);
    expect(again.status).toBe(200);
    expect((await again.json()).outcome).toBe("already_registered");
    expect((await loadEpochRegistry(b.pool)).filter((e) => e.governance_hash === activation.hash)).toHaveLength(1);
  });

  it("refuses a forged activation (a tampered proposal, a vote signed by another key, too few votes) and registers nothing", async () => {
    const proposal = sign("p2", { type: "proposal", body: { ...body, proposal_id: "PQ-FORGED", activation_block: 400 } });
    const hash = messageDigest(proposal.message);
    const reviews = ["r1", "r2", "r3"].map((r) => sign(r, review(hash)));
    const votes = [1, 2, 3, 4, 5, 6, 7].map((i) => sign(`c${i}`, { type: "vote", body: { proposal_hash: hash, choice: "YES" } }));
    const before = await loadEpochRegistry(b.pool);
    // The activation block changed after signing: the proposal's signatures no longer verify.
    const tampered = { ...proposal, message: { ...proposal.message, body: { ...proposal.message.body, activation_block: 300 } } };
    const r1 = await relay(b, { kind: "activation", proposal: tampered, reviews, votes, decided_at: T0 });
    expect(r1.status).toBe(403);
    expect((await r1.json()).error.code).toBe("BAD_SIGNATURE_ED25519");
    // A vote claiming to be c1's, signed with c2's key.
    const stolen = { ...votes[0], signatures: sign("c2", { type: "vote", body: { proposal_hash: hash, choice: "YES" } }).signatures };
    const r2 = await relay(b, { kind: "activation", proposal, reviews, votes: [stolen, ...votes.slice(1)], decided_at: T0 });
    expect(r2.status).toBe(403);
    expect((await r2.json()).error.code).toMatch(/^BAD_SIGNATURE_/);
    // Genuine signatures, but two council votes: no quorum by B's own voting power.
    const r3 = await relay(b, { kind: "activation", proposal, reviews, votes: votes.slice(0, 2), decided_at: T0 });
    expect(r3.status).toBe(422);
    const refusal = (await r3.json()).error;
    expect(refusal.code).toBe("THRESHOLD_NOT_MET");
    expect(refusal.message).toMatch(/do not approve/);
    expect(await loadEpochRegistry(b.pool)).toEqual(before);
    expect((await b.pool.query("SELECT count(*)::int AS n FROM governance_proposals WHERE hash = $1", [hash])).rows[0].n).toBe(0);
  });

  it("registers a rollback executed on A (5 of 7) on B and C, and refuses one with 4 signatures", async () => {
    const decl = sign("c1", { type: "emergency_declaration", body: { trigger: "pq-root-mismatch", evidence: "radar alert 42" } });
    const hash = (await submitEnvelope(a.pool, decl, { now: T0 })).emergency_hash!;
    const signatures = [2, 3, 4, 5].map((i) => sign(`c${i}`, { type: "emergency_signature", body: { emergency_hash: hash } }));
    // Four signatures (declarer included) relayed straight to C before A has a decision: refused, nothing registered.
    const rollbackOrder = sign("c2", { type: "rollback", body: { emergency_hash: hash, rollback_block: 160 } });
    const short = await relay(c, { kind: "rollback", declaration: decl, signatures: signatures.slice(0, 3), rollback: rollbackOrder, decided_at: T0 });
    expect(short.status).toBe(422);
    expect((await short.json()).error).toMatchObject({ code: "THRESHOLD_NOT_MET", message: expect.stringMatching(/4 verified council signatures; 5 of 7/) });
    // A voter who is not on the council cannot make up the fifth signature.
    const outsider = sign("v3", { type: "emergency_signature", body: { emergency_hash: hash } });
    const notCouncil = await relay(c, { kind: "rollback", declaration: decl, signatures: [...signatures.slice(0, 3), outsider], rollback: rollbackOrder, decided_at: T0 });
    expect((await notCouncil.json()).error.code).toBe("MISSING_ROLE");
    expect(await registered(c, hash)).toBeNull();

    for (const s of signatures) await submitEnvelope(a.pool, s, { now: T0 });
    await submitEnvelope(a.pool, rollbackOrder, { now: T0 });
    const onA = await registered(a, hash);
    expect(onA).toMatchObject({ start_block: 160, rule_version: "v1-legacy" });
    await until("B and C to register the rollback", async () => (await registered(b, hash)) !== null && (await registered(c, hash)) !== null);
    for (const node of [b, c]) {
      expect(await registered(node, hash)).toEqual(onA);
      const e = await node.pool.query("SELECT status, rollback_block FROM governance_emergencies WHERE hash = $1", [hash]);
      expect(e.rows[0]).toMatchObject({ status: "ROLLED_BACK", rollback_block: 160 });
      const alert = await node.pool.query("SELECT count(*)::int AS n FROM drift_events WHERE source = 'governance' AND kind = 'ROLLBACK_EXECUTED'");
      expect(alert.rows[0].n).toBe(1);
    }
  });
});
