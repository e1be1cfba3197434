/**
 * Governance decisions over the relay (lib/relay/governance-record.ts says what a record holds and what is checked).
 *
 * Sending side: when this node decides (an approved proposal scheduled with its epoch, or a rollback executed), the
 * decision's transaction builds the record from the stored signed envelopes and logs it for the peers
 * (logActivation / logRollback), so it is relayed if and only if the decision committed.
 *
 * Receiving side (receiveGovernanceRecord): the record is verified against this node's own genesis registry and
 * thresholds, then, in one governance transaction, the epoch is registered through the same code path governance
 * uses (registerEpochInTransaction), the decision is mirrored into this node's governance tables (a SCHEDULED
 * proposal that the worker marks ACTIVATED when the chain reaches it; a ROLLED_BACK emergency with its CRITICAL
 * alert), audited, and logged for this node's own peers. A record whose epoch is already registered answers
 * "already registered" and goes no further (no loops). A refused record registers nothing.
 */
import type pg from "pg";
import type { SignedEnvelope } from "../../lib/governance/envelope";
import { verifyGovernanceRecord, type ActivationRecord, type RollbackRecord, type VerifiedDecision } from "../../lib/relay/governance-record";
import { loadEpochRegistry, registerEpochInTransaction } from "../chain/epoch-registry";
import { recordGovernanceAlert } from "../drift/governance-alerts";
import { appendAudit } from "../governance/audit-store";
import { emitCriticalGovernanceEvent, type CriticalGovernanceEvent } from "../governance/governance-events";
import { inGovernanceTransaction, loadGovernance } from "../governance/governance-store";
import { nodeEd25519Verify } from "../governance/node-ed25519";
import { logRelayRecord } from "./relay-log";
import { countReceived } from "./relay-received";

type Queryable = Pick<pg.ClientBase, "query">;

const envelopes = async (db: Queryable, sql: string, params: unknown[]): Promise<SignedEnvelope[]> => (await db.query<{ envelope: SignedEnvelope }>(sql, params)).rows.map((r) => r.envelope);

/** Logs the activation record of a proposal just scheduled (in the transaction that scheduled it). */
export async function logActivation(client: Queryable, proposalHash: string, decidedAt: number): Promise<void> {
  const [proposal] = await envelopes(client, "SELECT envelope FROM governance_proposals WHERE hash = $1", [proposalHash]);
  const record: ActivationRecord = {
    kind: "activation",
    proposal,
    reviews: await envelopes(client, "SELECT envelope FROM governance_reviews WHERE proposal_hash = $1 ORDER BY created_at, digest", [proposalHash]),
    votes: await envelopes(client, "SELECT envelope FROM governance_votes WHERE proposal_hash = $1 ORDER BY created_at, nonce, digest", [proposalHash]),
    decided_at: decidedAt,
  };
  await logRelayRecord(client, record, null);
}

/** Logs the rollback record of an emergency just rolled back (in the rollback's transaction). */
export async function logRollback(client: Queryable, emergencyHash: string, rollbackEnvelope: SignedEnvelope, decidedAt: number): Promise<void> {
  const [declaration] = await envelopes(client, "SELECT envelope FROM governance_emergencies WHERE hash = $1", [emergencyHash]);
  const record: RollbackRecord = {
    kind: "rollback",
    declaration,
    // The declarer's own signature row is the declaration itself (its digest is the emergency hash).
    signatures: await envelopes(client, "SELECT envelope FROM governance_emergency_signatures WHERE emergency_hash = $1 AND digest <> $1 ORDER BY created_at, signer", [emergencyHash]),
    rollback: rollbackEnvelope,
    decided_at: decidedAt,
  };
  await logRelayRecord(client, record, null);
}

export interface ReceivedRecord {
  outcome: "registered" | "already_registered";
  kind: VerifiedDecision["kind"];
  governance_hash: string;
  epoch: VerifiedDecision["epoch"];
  signers: string[];
}

/**
 * Verifies a record relayed by `from` and registers its epoch; throws AppError with the governance reason code (or
 * the consensus core's, when it refuses the epoch) with nothing written.
 */
export async function receiveGovernanceRecord(pool: pg.Pool, input: unknown, from: string | null, bytes: number, now = Math.floor(Date.now() / 1000)): Promise<ReceivedRecord> {
  const registry = await loadGovernance(pool);
  const decision = verifyGovernanceRecord(input, { networkId: registry.networkId, members: registry.members, edVerify: nodeEd25519Verify });
  const critical: CriticalGovernanceEvent[] = [];
  const result = await inGovernanceTransaction(pool, async (client): Promise<ReceivedRecord> => {
    const base = { kind: decision.kind, governance_hash: decision.governance_hash, epoch: decision.epoch, signers: decision.signers };
    if ((await loadEpochRegistry(client)).some((e) => e.governance_hash === decision.governance_hash)) {
      if (from) await countReceived(client, from, { bytes });
      return { outcome: "already_registered", ...base };
    }
    await registerEpochInTransaction(client, decision.epoch);
    if (decision.proposal) {
      const { body, proposer, envelope } = decision.proposal;
      // A proposal this node already knows (submitted here too) is moved on; an unknown one is recorded as scheduled.
      const updated = await client.query(
        "UPDATE governance_proposals SET status = 'SCHEDULED', tally = $2, decided_at = $3, updated_at = $3 WHERE hash = $1 AND status IN ('SUBMITTED', 'UNDER_REVIEW', 'VOTING', 'APPROVED')",
        [decision.governance_hash, JSON.stringify(decision.tally), decision.epoch.activation_timestamp],
      );
      if (!updated.rowCount) {
        await client.query(
          `INSERT INTO governance_proposals (hash, proposal_id, proposal_type, title, proposer, submission_timestamp, activation_block, status, envelope, tally, decided_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'SCHEDULED', $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
          [decision.governance_hash, body.proposal_id, body.proposal_type, body.title, proposer, envelope.message.issued_at, body.activation_block, JSON.stringify(envelope), JSON.stringify(decision.tally), decision.epoch.activation_timestamp, now],
        );
      }
    }
    if (decision.emergency) {
      const e = decision.emergency;
      await client.query(
        `INSERT INTO governance_emergencies (hash, declarer, trigger, evidence, status, envelope, created_at, declared_at, rollback_block, rollback_by, rollback_envelope, rolled_back_at)
         VALUES ($1, $2, $3, $4, 'ROLLED_BACK', $5, $6, $6, $7, $8, $9, $10)
         ON CONFLICT (hash) DO UPDATE SET status = 'ROLLED_BACK', rollback_block = EXCLUDED.rollback_block, rollback_by = EXCLUDED.rollback_by,
           rollback_envelope = EXCLUDED.rollback_envelope, rolled_back_at = EXCLUDED.rolled_back_at`,
        [decision.governance_hash, e.declarer, e.trigger, e.evidence, JSON.stringify(e.envelope), e.envelope.message.issued_at, decision.epoch.start_block, e.rollback_by, JSON.stringify(e.rollback_envelope), decision.epoch.activation_timestamp],
      );
      const event: CriticalGovernanceEvent = { severity: "CRITICAL", kind: "ROLLBACK_EXECUTED", emergency_hash: decision.governance_hash, trigger: e.trigger, signers: decision.signers, rollback_block: decision.epoch.start_block, at: now };
      await recordGovernanceAlert(client, event);
      critical.push(event);
    }
    await appendAudit(
      client,
      "RelayedDecisionRegistered",
      { kind: decision.kind, governance_hash: decision.governance_hash, start_block: decision.epoch.start_block, rule_version: decision.epoch.rule_version, signers: decision.signers, from },
      now,
    );
    if (from) await countReceived(client, from, { bytes, records: 1 });
    await logRelayRecord(client, input, from);
    return { outcome: "registered", ...base };
  });
  for (const event of critical) await emitCriticalGovernanceEvent(event);
  return result;
}
