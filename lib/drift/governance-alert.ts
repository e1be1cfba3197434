/**
 * Governance alerts (issue 8 §3): "Declarations and rollbacks are broadcast as CRITICAL through the drift radar's
 * routing." This module turns a governance decision into the event the outbox routes: severity CRITICAL (the plan's
 * routing: sms, email, slack, network_broadcast, never throttled), source "governance", drift_category null (a
 * council decision is no drift of one of the plan's seven monitors), and a message that carries what the people
 * paged need on every channel, sms included: the emergency hash, the trigger and the signers.
 *
 * Only decisions become alerts: a declaration is broadcast once 5 of 7 council members have signed it (PENDING
 * declarations stay in the portal), a rollback once it is executed. Pure: the id and the tip come in as arguments.
 */
import type { AlertEvent, GovernanceAlertKind } from "./drift-event";
import { COUNCIL_SIZE, COUNCIL_THRESHOLD } from "../governance/members";

export interface GovernanceDecision {
  kind: GovernanceAlertKind;
  emergency_hash: string;
  trigger: string;
  /** Council members who signed the declaration, in signing order. */
  signers: readonly string[];
  /** The rollback epoch's first block (ROLLBACK_EXECUTED). */
  rollback_block?: number;
  /** Unix seconds (the governance transaction's clock). */
  at: number;
}

const MAX_TRIGGER_IN_MESSAGE = 120;

function quoted(trigger: string): string {
  const t = trigger.length > MAX_TRIGGER_IN_MESSAGE ? `${trigger.slice(0, MAX_TRIGGER_IN_MESSAGE - 1)}…` : trigger;
  return JSON.stringify(t);
}

/** The stored and routed event of a governance decision. `tip`: the canonical tip when it was taken (null: none). */
export function governanceAlertEvent(decision: GovernanceDecision, context: { eventId: string; tip: number | null }): AlertEvent {
  const signers = [...decision.signers];
  const who = `${signers.length} of ${COUNCIL_SIZE} council members: ${signers.join(", ")}`;
  const message =
    decision.kind === "EMERGENCY_DECLARED"
      ? `Emergency ${decision.emergency_hash} declared (${who}); trigger ${quoted(decision.trigger)}`
      : `Rollback executed for emergency ${decision.emergency_hash}: legacy epoch (SHA-256, v1-legacy) from block ${decision.rollback_block}; declared by ${who}; trigger ${quoted(decision.trigger)}`;
  return {
    event_id: context.eventId,
    timestamp: decision.at,
    drift_category: null,
    severity: "CRITICAL",
    // A rollback is about the block its epoch starts at; a declaration about the chain as it stood.
    block_number: decision.kind === "ROLLBACK_EXECUTED" && decision.rollback_block !== undefined ? decision.rollback_block : context.tip,
    block_hash: null,
    message,
    details: {
      source: "governance",
      kind: decision.kind,
      emergency_hash: decision.emergency_hash,
      trigger: decision.trigger,
      signers,
      threshold: `${COUNCIL_THRESHOLD} of ${COUNCIL_SIZE}`,
      ...(decision.rollback_block !== undefined ? { rollback_block: decision.rollback_block, rollback_algorithm: "SHA-256", rule_version: "v1-legacy" } : {}),
    },
    resolved: false,
    resolution_timestamp: null,
    source: "governance",
    kind: decision.kind,
  };
}
