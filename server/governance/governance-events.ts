/**
 * The seam between governance and alert routing: governance calls emitCriticalGovernanceEvent when an emergency is
 * declared (5 of 7 council signatures) and when a rollback is executed. The drift radar's routing registers itself
 * with setCriticalGovernanceEventSink (whichever of the two branches lands second wires them, issue 8 §3); until
 * then the event is written to the log as one JSON line so it is never silently lost.
 */
export interface CriticalGovernanceEvent {
  severity: "CRITICAL";
  kind: "EMERGENCY_DECLARED" | "ROLLBACK_EXECUTED";
  emergency_hash: string;
  trigger: string;
  /** Council members who signed the declaration. */
  signers: string[];
  rollback_block?: number;
  /** Unix seconds. */
  at: number;
}

export type CriticalGovernanceEventSink = (event: CriticalGovernanceEvent) => void | Promise<void>;

const defaultSink: CriticalGovernanceEventSink = (event) => {
  console.error(`[governance CRITICAL] ${JSON.stringify(event)}`);
};

let sink: CriticalGovernanceEventSink = defaultSink;

/** Routes CRITICAL governance events to `next` (pass null to restore the log-only default). */
export function setCriticalGovernanceEventSink(next: CriticalGovernanceEventSink | null): void {
  sink = next ?? defaultSink;
}

/** Emits after the decision is committed; a failing sink is logged, never undoes the decision. */
export async function emitCriticalGovernanceEvent(event: CriticalGovernanceEvent): Promise<void> {
  try {
    await sink(event);
  } catch (error) {
    console.error(`[governance] CRITICAL event routing failed (${(error as Error).message}): ${JSON.stringify(event)}`);
  }
}
