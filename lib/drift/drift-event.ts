/**
 * Drift events: what the drift radar records when the migration drifts (docs/../PLAN.md §3 "Drift Schema").
 *
 * The shape is the plan's, field for field, so the stored rows, the dashboard JSON, the CLI's --json output and the
 * alerts sent to people all carry the same object. Timestamps are Unix seconds (floats, as in the plan).
 */
import { SEVERITIES, type Severity } from "../consensus/violations";

export { SEVERITIES, type Severity };

/** The plan's seven monitors, one category each (the order is the dashboard's). */
export const DRIFT_CATEGORIES = [
  "algorithm_mismatch",
  "consistency",
  "lineage",
  "commitment",
  "performance",
  "storage",
  "network",
] as const;
export type DriftCategory = (typeof DRIFT_CATEGORIES)[number];

/** The categories read from the validator's verdicts (consensus-level drift). */
export const CONSENSUS_CATEGORIES = ["algorithm_mismatch", "consistency", "lineage", "commitment"] as const satisfies readonly DriftCategory[];

export function isDriftCategory(value: unknown): value is DriftCategory {
  return typeof value === "string" && (DRIFT_CATEGORIES as readonly string[]).includes(value);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

export interface DriftEvent {
  event_id: string;
  /** When the radar raised it, Unix seconds. */
  timestamp: number;
  drift_category: DriftCategory;
  severity: Severity;
  /** The block the event is about (for network events: the tip when it was raised); null when unreadable. */
  block_number: number | null;
  block_hash: string | null;
  message: string;
  /** Expected and actual values, and whatever else explains the event (category-specific keys). */
  details: Record<string, unknown>;
  resolved: boolean;
  resolution_timestamp: number | null;
}

/**
 * A monitor's finding before the radar gives it an identity and a time. `condition` names the condition that
 * raised it ("performance:validation_ms"): the radar raises one event per condition while it holds (consensus
 * findings are per block: their condition includes the block) and resolves it once the condition has been clear
 * for the configured number of observations.
 */
export interface DriftFinding {
  condition: string;
  /** The condition's group for auto-resolution: every open event of the group clears together. */
  group: string;
  drift_category: DriftCategory;
  severity: Severity;
  block_number: number | null;
  block_hash: string | null;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Where a stored event comes from: the radar's monitors, or governance. Governance alerts (issue 8 §3: an emergency
 * declared by 5 of 7 council members, a rollback executed) are no drift, so they carry no drift_category (null), but
 * they are stored, shown, acknowledged and routed as CRITICAL through the same outbox as the radar's events.
 */
export const EVENT_SOURCES = ["radar", "governance"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const GOVERNANCE_ALERT_KINDS = ["EMERGENCY_DECLARED", "ROLLBACK_EXECUTED"] as const;
export type GovernanceAlertKind = (typeof GOVERNANCE_ALERT_KINDS)[number];

/**
 * What the alert outbox routes and the dashboard lists: a drift event (source "radar", kind null), or a governance
 * alert (source "governance", drift_category null). A DriftEvent straight from the monitors, without the two
 * fields, is a radar event.
 */
export interface AlertEvent extends Omit<DriftEvent, "drift_category"> {
  drift_category: DriftCategory | null;
  source?: EventSource;
  kind?: GovernanceAlertKind | null;
}
