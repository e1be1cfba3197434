/**
 * `mathledger-cli drift ...`: the drift radar from the command line, against the node's database.
 *   drift inject --kind K [--count N]   make the running devnet produce the faulty block or report (exit 2 without one)
 *   drift events [--category C] [--severity S] [--open]
 *   drift ack --event-id ID · drift resolve --event-id ID --note TEXT · drift silence --match NAME=VALUE ... --duration S --comment TEXT
 * Operator actions from the CLI are recorded as `cli:<user>`: whoever can reach the node's database is an operator.
 */
import os from "node:os";
import { AppError } from "../../lib/errors";
import { DRIFT_CATEGORIES, isDriftCategory, isSeverity } from "../../lib/drift/drift-event";
import { DEFAULT_RADAR_THRESHOLDS } from "../../lib/drift/radar-thresholds";
import type { StoredDriftEvent } from "../../server/drift/drift-event-repository";
import { defineCommand } from "../command";
import { isoTime } from "../chain-text";
import { withChainDatabase } from "../database";

const actor = () => `cli:${os.userInfo().username}`;

function eventLine(e: StoredDriftEvent): string {
  const state = e.resolved ? `resolved (${e.resolved_by}${e.resolution_note ? `: ${e.resolution_note}` : ""})` : e.acknowledged_at ? `open, acknowledged by ${e.acknowledged_by}` : "open";
  return `${isoTime(Math.floor(e.timestamp))}  ${e.severity.padEnd(8)} ${(e.drift_category ?? `governance ${e.kind ?? ""}`).padEnd(18)} block ${String(e.block_number ?? "?").padEnd(8)} ${e.event_id}  ${state}\n    ${e.message}`;
}

export const driftInjectCommand = defineCommand({
  name: "drift inject",
  summary: "make the running devnet produce drift of one category (the plan's DriftInjector)",
  description:
    "Files a drift injection that the running devnet producer carries out on its next blocks, then prints the block " +
    "numbers affected. Kinds: algorithm_mismatch (pq_algorithm 0xFF), consistency (pq_merkle_root \"0x\" + \"FF\"*32), " +
    "lineage (pq_prev_hash \"0x\" + \"EE\"*32), commitment (dual_commitment \"0x\" + \"DD\"*32), exactly as the plan " +
    "writes them (so they are refused at admission, which the radar sees); performance (slow sealing; --count " +
    `defaults to ${DEFAULT_RADAR_THRESHOLDS.performance.consecutive_blocks}, the run the monitor needs), storage (an oversize block), network ` +
    "(bad node reports from every simulated peer). Exit 2 when no devnet is running on the database.",
  flags: {
    kind: { kind: "string", value: "CATEGORY", description: `one of ${DRIFT_CATEGORIES.join(", ")}`, required: true },
    count: { kind: "integer", value: "N", description: "how many faulty blocks or reports (default 1; performance: 5)" },
  },
  examples: ["mathledger-cli drift inject --kind consistency", "mathledger-cli drift inject --kind performance --count 6"],
  async run(flags, context) {
    if (!isDriftCategory(flags.kind)) throw new AppError("USAGE", `--kind must be one of ${DRIFT_CATEGORIES.join(", ")}, got ${JSON.stringify(flags.kind)}`);
    const count = flags.count ?? (flags.kind === "performance" ? DEFAULT_RADAR_THRESHOLDS.performance.consecutive_blocks : 1);
    const { requestInjection, waitForInjection } = await import("../../server/devnet/devnet-injections");
    return withChainDatabase(context, async ({ pool }) => {
      const id = await requestInjection(pool, flags.kind, count);
      const blocks = await waitForInjection(pool, id, 30_000 + count * 5_000);
      return {
        outcome: "ok",
        json: { kind: flags.kind, count, affected_blocks: blocks },
        text: `Injected ${flags.kind} drift ${count === 1 ? "once" : `${count} times`}: block${blocks.length > 1 ? "s" : ""} ${blocks.join(", ")}`,
      };
    });
  },
});

export const driftEventsCommand = defineCommand({
  name: "drift events",
  summary: "list drift events (newest first)",
  description: "Lists the drift radar's events, newest first (at most --limit, default 50), optionally only one category, one severity, or the open ones.",
  flags: {
    category: { kind: "string", value: "CATEGORY", description: `one of ${DRIFT_CATEGORIES.join(", ")}` },
    severity: { kind: "string", value: "SEVERITY", description: "CRITICAL, HIGH, MEDIUM or LOW" },
    open: { kind: "boolean", description: "only events not yet resolved" },
    limit: { kind: "integer", value: "N", description: "at most N events (1..1000, default 50)" },
  },
  examples: ["mathledger-cli drift events --open", "mathledger-cli drift events --category consistency --json"],
  async run(flags, context) {
    if (flags.category !== undefined && !isDriftCategory(flags.category)) throw new AppError("USAGE", `--category must be one of ${DRIFT_CATEGORIES.join(", ")}, got ${JSON.stringify(flags.category)}`);
    if (flags.severity !== undefined && !isSeverity(flags.severity)) throw new AppError("USAGE", `--severity must be CRITICAL, HIGH, MEDIUM or LOW, got ${JSON.stringify(flags.severity)}`);
    const limit = flags.limit ?? 50;
    if (limit < 1 || limit > 1000) throw new AppError("USAGE", `--limit must be 1..1000, got ${limit}`);
    const { listDriftEvents } = await import("../../server/drift/drift-event-repository");
    return withChainDatabase(context, async ({ pool }) => {
      const events = await listDriftEvents(pool, { category: flags.category as never, severity: flags.severity as never, open: flags.open, limit });
      return {
        outcome: "ok",
        json: { events },
        text: events.length ? events.map(eventLine).join("\n") : "No drift events match.",
      };
    });
  },
});

export const driftAckCommand = defineCommand({
  name: "drift ack",
  summary: "acknowledge a drift event (it stays open)",
  description: "Records that an operator has seen the event. Exit 2 when no event has that id.",
  flags: { "event-id": { kind: "string", value: "ID", description: "the event's event_id", required: true } },
  examples: ["mathledger-cli drift ack --event-id 6f1c..."],
  async run(flags, context) {
    const { acknowledgeDriftEvent } = await import("../../server/drift/drift-event-repository");
    return withChainDatabase(context, async ({ pool }) => {
      const e = await acknowledgeDriftEvent(pool, flags["event-id"], actor());
      return { outcome: "ok", json: { event: e }, text: eventLine(e) };
    });
  },
});

export const driftResolveCommand = defineCommand({
  name: "drift resolve",
  summary: "resolve a drift event with a note",
  description: "Resolves the event, recording the note (required) and who resolved it. Exit 2 when no event has that id or it is already resolved.",
  flags: {
    "event-id": { kind: "string", value: "ID", description: "the event's event_id", required: true },
    note: { kind: "string", value: "TEXT", description: "why the event is resolved", required: true },
  },
  examples: ['mathledger-cli drift resolve --event-id 6f1c... --note "peer upgraded"'],
  async run(flags, context) {
    const { resolveDriftEvent } = await import("../../server/drift/drift-event-repository");
    return withChainDatabase(context, async ({ pool }) => {
      const e = await resolveDriftEvent(pool, flags["event-id"], actor(), flags.note, context.now());
      return { outcome: "ok", json: { event: e }, text: eventLine(e) };
    });
  },
});

export const driftSilenceCommand = defineCommand({
  name: "drift silence",
  summary: "silence alerts matching every --match until the duration ends",
  description:
    "Creates a silence: events that match every matcher are still stored and shown but not sent. A matcher is " +
    "NAME=VALUE (exact) or NAME=~REGEX (anchored), NAME one of drift_category, severity, block_number, message.",
  flags: {
    match: { kind: "string", value: "NAME=VALUE", description: "a matcher (repeat for several)", repeatable: true },
    duration: { kind: "integer", value: "SECONDS", description: "how long (60..2592000)", required: true },
    comment: { kind: "string", value: "TEXT", description: "why", required: true },
  },
  examples: ['mathledger-cli drift silence --match drift_category=storage --match "severity=~MEDIUM|LOW" --duration 3600 --comment "disk migration"'],
  async run(flags, context) {
    const matchers = flags.match.map((m) => {
      const at = m.indexOf("=");
      if (at <= 0) throw new AppError("USAGE", `--match must be NAME=VALUE or NAME=~REGEX, got ${JSON.stringify(m)}`);
      const name = m.slice(0, at);
      const rest = m.slice(at + 1);
      return rest.startsWith("~") ? { name, value: rest.slice(1), regex: true } : { name, value: rest };
    });
    const { createSilence } = await import("../../server/drift/alert-silences");
    return withChainDatabase(context, async ({ pool }) => {
      const s = await createSilence(pool, { matchers, duration_seconds: flags.duration, comment: flags.comment }, actor(), context.now());
      return {
        outcome: "ok",
        json: { silence: s },
        text: `Silence ${s.id} until ${isoTime(Math.floor(s.ends_at))}: ${s.matchers.map((x) => `${x.name}${x.regex ? "=~" : "="}${x.value}`).join(", ")}`,
      };
    });
  },
});
