/**
 * CRITICAL governance events: an emergency declared (5 of 7 council signatures) and a rollback executed. Council
 * actions collect them in the action's context; submitEnvelope then
 *  - persists each one, inside the decision's transaction, as a governance alert that the drift radar's alerting
 *    routes as CRITICAL (sms, email, slack, network_broadcast; server/drift/governance-alerts.ts): that is the
 *    durable path, and it works across processes (governance runs in the web process, alerting in the worker);
 *  - after commit, tells this process's observer (a log line by default; tests may watch with
 *    setCriticalGovernanceEventSink). The observer is informational: nothing depends on it being called.
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

/** Tells the observer after the decision is committed; a failing observer is logged, never undoes the decision. */
export async function emitCriticalGovernanceEvent(event: CriticalGovernanceEvent): Promise<void> {
  try {
    await sink(event);
  } catch (error) {
    console.error(`[governance] CRITICAL event routing failed (${(error as Error).message}): ${JSON.stringify(event)}`);
  }
}
