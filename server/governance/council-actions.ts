/**
 * Council actions (docs/spec/governance.md §6.4-6.5): attestation signatures, emergency declarations and signatures,
 * and the rollback. Run inside the governance transaction after the envelope verified.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { attestationId, attestationStatus, checkAttestationSignature, type AttestationRecord } from "../../lib/governance/attestation";
import type { AttestationBody, EmergencySignatureBody, RollbackBody } from "../../lib/governance/bodies";
import { checkDeclaration, checkEmergencySignature, checkRollback, emergencyStatusAfterSignatures, rollbackEpoch, type EmergencyStatus } from "../../lib/governance/emergency";
import { canonicalTipNumber, registerEpochInTransaction } from "../chain/epoch-registry";
import { envelopeJson, type ActionContext, type ActionResult } from "./action-context";
import { appendAudit } from "./audit-store";
import { logRollback } from "../relay/governance-relay";
import type { Queryable } from "./governance-store";

interface AttestationRow {
  id: string;
  milestone: string;
  block_number: number;
  block_hash: string;
  pq_merkle_root: string | null;
  created_at: number;
  deadline: number;
  status: AttestationRecord["status"];
}

export function attestationFromRow(r: AttestationRow): AttestationRecord {
  return { attestation_id: r.id, milestone: r.milestone, block_number: r.block_number, block_hash: r.block_hash, pq_merkle_root: r.pq_merkle_root, created_at: Number(r.created_at), deadline: Number(r.deadline), status: r.status };
}

/**
 * Creates the attestation for a canonical block (its hash and PQ root read from the store). An administrative step
 * (CLI or operator), not a signed action: the signatures are what make it count.
 */
export async function createAttestation(client: pg.PoolClient, milestone: string, blockNumber: number, now: number, periodSeconds: number): Promise<AttestationRecord> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(milestone)) throw new AppError("INVALID_MESSAGE", `milestone ${JSON.stringify(milestone)} must be 1..64 letters, digits, '.', '_', ':' or '-'`);
  if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) throw new AppError("INVALID_MESSAGE", `block number must be a non-negative integer, got ${blockNumber}`);
  const { rows } = await client.query<{ legacy_hash: string; pq_merkle_root: string | null }>("SELECT legacy_hash, pq_merkle_root FROM blocks WHERE block_number = $1 AND canonical LIMIT 1", [blockNumber]);
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `there is no canonical block ${blockNumber} to attest`);
  const id = attestationId(milestone, blockNumber);
  const exists = await client.query("SELECT 1 FROM governance_attestations WHERE id = $1", [id]);
  if ((exists.rowCount ?? 0) > 0) throw new AppError("DUPLICATE_TARGET", `attestation ${id} already exists`);
  const record: AttestationRecord = { attestation_id: id, milestone, block_number: blockNumber, block_hash: rows[0].legacy_hash, pq_merkle_root: rows[0].pq_merkle_root, created_at: now, deadline: now + periodSeconds, status: "PENDING" };
  await client.query("INSERT INTO governance_attestations (id, milestone, block_number, block_hash, pq_merkle_root, created_at, deadline, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING')", [
    id,
    milestone,
    blockNumber,
    record.block_hash,
    record.pq_merkle_root,
    now,
    record.deadline,
  ]);
  await appendAudit(client, "AttestationCreated", { attestation_id: id, milestone, block_number: blockNumber, block_hash: record.block_hash, pq_merkle_root: record.pq_merkle_root, deadline: record.deadline }, now);
  return record;
}

export async function loadAttestation(db: Queryable, id: string, forUpdate = false): Promise<AttestationRecord> {
  const { rows } = await db.query<AttestationRow>(`SELECT id, milestone, block_number, block_hash, pq_merkle_root, created_at, deadline, status FROM governance_attestations WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`, [id]);
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `no attestation ${id} exists`);
  return attestationFromRow(rows[0]);
}

export async function signAttestation(ctx: ActionContext<"attestation">): Promise<ActionResult> {
  const { client, envelope, now } = ctx;
  const body: AttestationBody = envelope.message.body;
  const record = await loadAttestation(client, body.attestation_id, true);
  const { rows } = await client.query<{ signer: string }>("SELECT signer FROM governance_attestation_signatures WHERE attestation_id = $1", [record.attestation_id]);
  const signers = rows.map((r) => r.signer);
  checkAttestationSignature(envelope.member, record, body, signers, now);
  await client.query("INSERT INTO governance_attestation_signatures (digest, attestation_id, signer, envelope, created_at) VALUES ($1, $2, $3, $4, $5)", [envelope.digest, record.attestation_id, envelope.member.id, envelopeJson(ctx), now]);
  await appendAudit(client, "AttestationSigned", { attestation_id: record.attestation_id, signer: envelope.member.id, digest: envelope.digest }, now);
  const status = attestationStatus(record, [...signers, envelope.member.id], now);
  if (status === "VERIFIED") {
    await client.query("UPDATE governance_attestations SET status = 'VERIFIED', decided_at = $2 WHERE id = $1", [record.attestation_id, now]);
    await appendAudit(client, "AttestationVerified", { attestation_id: record.attestation_id, signers: [...signers, envelope.member.id] }, now);
  }
  return { type: "attestation", digest: envelope.digest, attestation_id: record.attestation_id, status };
}

interface EmergencyRow {
  hash: string;
  status: EmergencyStatus;
  trigger: string;
}

async function lockEmergency(client: pg.PoolClient, hash: string): Promise<EmergencyRow> {
  const { rows } = await client.query<EmergencyRow>("SELECT hash, status, trigger FROM governance_emergencies WHERE hash = $1 FOR UPDATE", [hash]);
  if (rows.length === 0) throw new AppError("UNKNOWN_TARGET", `no emergency ${hash} exists`);
  return rows[0];
}

export async function declareEmergency(ctx: ActionContext<"emergency_declaration">): Promise<ActionResult> {
  const { client, envelope, now } = ctx;
  checkDeclaration(envelope.member);
  const { trigger, evidence } = envelope.message.body;
  const json = envelopeJson(ctx);
  await client.query("INSERT INTO governance_emergencies (hash, declarer, trigger, evidence, status, envelope, created_at) VALUES ($1, $2, $3, $4, 'PENDING', $5, $6)", [envelope.digest, envelope.member.id, trigger, evidence, json, now]);
  // The declarer's signature is the first of the five.
  await client.query("INSERT INTO governance_emergency_signatures (digest, emergency_hash, signer, envelope, created_at) VALUES ($1, $1, $2, $3, $4)", [envelope.digest, envelope.member.id, json, now]);
  await appendAudit(client, "EmergencyDeclarationPending", { emergency_hash: envelope.digest, declarer: envelope.member.id, trigger }, now);
  return { type: "emergency_declaration", digest: envelope.digest, emergency_hash: envelope.digest, status: "PENDING" };
}

export async function signEmergency(ctx: ActionContext<"emergency_signature">): Promise<ActionResult> {
  const { client, envelope, now } = ctx;
  const body: EmergencySignatureBody = envelope.message.body;
  const emergency = await lockEmergency(client, body.emergency_hash);
  const { rows } = await client.query<{ signer: string }>("SELECT signer FROM governance_emergency_signatures WHERE emergency_hash = $1", [emergency.hash]);
  const signers = rows.map((r) => r.signer);
  checkEmergencySignature(envelope.member, emergency.status, signers, emergency.hash);
  await client.query("INSERT INTO governance_emergency_signatures (digest, emergency_hash, signer, envelope, created_at) VALUES ($1, $2, $3, $4, $5)", [envelope.digest, emergency.hash, envelope.member.id, envelopeJson(ctx), now]);
  await appendAudit(client, "EmergencySigned", { emergency_hash: emergency.hash, signer: envelope.member.id, digest: envelope.digest }, now);
  const all = [...signers, envelope.member.id];
  const status = emergencyStatusAfterSignatures(emergency.status, all);
  if (status === "DECLARED") {
    await client.query("UPDATE governance_emergencies SET status = 'DECLARED', declared_at = $2 WHERE hash = $1", [emergency.hash, now]);
    await appendAudit(client, "EmergencyDeclared", { emergency_hash: emergency.hash, signers: all }, now);
    ctx.critical.push({ severity: "CRITICAL", kind: "EMERGENCY_DECLARED", emergency_hash: emergency.hash, trigger: emergency.trigger, signers: all, at: now });
  }
  return { type: "emergency_signature", digest: envelope.digest, emergency_hash: emergency.hash, status };
}

export async function executeRollback(ctx: ActionContext<"rollback">): Promise<ActionResult> {
  const { client, envelope, now } = ctx;
  const body: RollbackBody = envelope.message.body;
  const emergency = await lockEmergency(client, body.emergency_hash);
  const tip = await canonicalTipNumber(client);
  checkRollback(envelope.member, emergency.status, body.rollback_block, tip);
  // Same transaction as the decision: the epoch is registered if and only if the rollback is recorded.
  await registerEpochInTransaction(client, rollbackEpoch(emergency.hash, body.rollback_block, now));
  await client.query("UPDATE governance_emergencies SET status = 'ROLLED_BACK', rollback_block = $2, rollback_by = $3, rollback_envelope = $4, rolled_back_at = $5 WHERE hash = $1", [
    emergency.hash,
    body.rollback_block,
    envelope.member.id,
    envelopeJson(ctx),
    now,
  ]);
  const { rows } = await client.query<{ signer: string }>("SELECT signer FROM governance_emergency_signatures WHERE emergency_hash = $1 ORDER BY created_at, signer", [emergency.hash]);
  // The peers register the rollback epoch once they have verified the signed record themselves (server/relay).
  await logRollback(client, emergency.hash, { message: envelope.message, signatures: envelope.signatures }, now);
  await appendAudit(client, "RollbackExecuted", { emergency_hash: emergency.hash, rollback_block: body.rollback_block, by: envelope.member.id, rollback_algorithm: "SHA-256", rule_version: "v1-legacy", digest: envelope.digest }, now);
  ctx.critical.push({ severity: "CRITICAL", kind: "ROLLBACK_EXECUTED", emergency_hash: emergency.hash, trigger: emergency.trigger, signers: rows.map((r) => r.signer), rollback_block: body.rollback_block, at: now });
  return { type: "rollback", digest: envelope.digest, emergency_hash: emergency.hash, status: "ROLLED_BACK" };
}
