/** What every governance action handler receives: the verified envelope, the transaction, the clock, the registry. */
import type pg from "pg";
import type { MessageType } from "../../lib/governance/bodies";
import type { VerifiedEnvelope } from "../../lib/governance/envelope";
import type { CriticalGovernanceEvent } from "./governance-events";
import type { GovernanceRegistry } from "./governance-store";

export interface ActionContext<T extends MessageType = MessageType> {
  client: pg.PoolClient;
  envelope: VerifiedEnvelope<T>;
  registry: GovernanceRegistry;
  /** Unix seconds (server clock). */
  now: number;
  /** CRITICAL events to emit once the transaction has committed. */
  critical: CriticalGovernanceEvent[];
}

/** What an accepted action returns (ids named as the CLI's --json output names them). */
export interface ActionResult {
  type: MessageType;
  /** Digest of the accepted message. */
  digest: string;
  proposal_hash?: string;
  attestation_id?: string;
  emergency_hash?: string;
  /** The target's status after the action (e.g. VOTING once review consensus is reached). */
  status?: string;
}

export const envelopeJson = (ctx: ActionContext): string => JSON.stringify({ message: ctx.envelope.message, signatures: ctx.envelope.signatures });
