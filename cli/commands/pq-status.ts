/**
 * `mathledger-cli pq status`: the step of the operator guide that confirms PQ support ("PQ migration support:
 * ENABLED", docs/PLAN §5 Phase 3), then where the network stands in the migration: the epoch in force (algorithm and
 * rule version), the next scheduled transition and how many blocks remain before it, and the whole epoch registry.
 */
import { findEpoch, nextTransitionAfter, type Epoch, type EpochTransition } from "../../lib/consensus/epochs";
import { canonicalTipNumber, loadEpochRegistry } from "../../server/chain/epoch-registry";
import { defineCommand } from "../command";
import { epochLine, epochSpan, hexId, ruleRequirements, table } from "../chain-text";
import { withChainDatabase } from "../database";

/** This build validates, seals and stores every rule version of the migration (lib/consensus/rule-versions.ts). */
export const PQ_SUPPORT_LINE = "PQ migration support: ENABLED";

export interface PqStatus {
  pq_migration_support: "ENABLED";
  /** The canonical tip, or null on an empty chain. */
  current_block: number | null;
  current_epoch: (Epoch & { requirements: ReturnType<typeof ruleRequirements> }) | null;
  next_transition: { block_number: number; kind: EpochTransition["kind"]; epoch: Epoch; blocks_remaining: number } | null;
  registry: Epoch[];
}

export function pqStatus(epochs: Epoch[], tip: number): PqStatus {
  // On an empty chain the next block is block 0, so the epoch "in force" is the one that covers it.
  const current = findEpoch(epochs, Math.max(tip, 0)) ?? null;
  const next = nextTransitionAfter(epochs, tip);
  return {
    pq_migration_support: "ENABLED",
    current_block: tip < 0 ? null : tip,
    current_epoch: current ? { ...current, requirements: ruleRequirements(current) } : null,
    next_transition: next ? { block_number: next.block_number, kind: next.kind, epoch: next.to, blocks_remaining: next.block_number - tip } : null,
    registry: epochs,
  };
}

export function pqStatusText(status: PqStatus): string {
  const current = status.current_epoch;
  const next = status.next_transition;
  const lines = [
    PQ_SUPPORT_LINE,
    ...table([
      ["current epoch", current ? epochLine(current) : "none (the database has no epoch registry)"],
      ...(current ? ([["rules", `${current.rule_version}: ${current.requirements.summary}`]] as Array<[string, string]>) : []),
      ["tip", status.current_block === null ? "no blocks yet" : `block ${status.current_block}`],
      [
        "next transition",
        next
          ? `${next.kind} at block ${next.block_number}: ${next.epoch.rule_version}, ${next.epoch.algorithm_name} (${hexId(next.epoch.algorithm_id)}); ${next.blocks_remaining} blocks remaining`
          : "none scheduled",
      ],
    ]),
  ];
  if (status.registry.length > 0) {
    lines.push("", `Epoch registry (${status.registry.length} epoch${status.registry.length === 1 ? "" : "s"}):`);
    const spanWidth = Math.max(...status.registry.map((e) => epochSpan(e).length));
    const ruleWidth = Math.max(...status.registry.map((e) => e.rule_version.length));
    for (const e of status.registry) {
      const mark = current && e.start_block === current.start_block ? "  <- current" : "";
      const governance = e.governance_hash ? `  governance ${e.governance_hash}` : "";
      lines.push(`  ${epochSpan(e).padEnd(spanWidth)}  ${e.rule_version.padEnd(ruleWidth)}  ${e.algorithm_name} (${hexId(e.algorithm_id)})${governance}${mark}`);
    }
  }
  return lines.join("\n");
}

export const pqStatusCommand = defineCommand({
  name: "pq status",
  summary: 'print "PQ migration support: ENABLED", the current epoch, the next transition and the registry',
  description:
    'Prints "PQ migration support: ENABLED" on the first line (this build implements every rule version of the ' +
    "migration), then the epoch in force at the canonical tip (rule version, algorithm and what the rule version " +
    "requires), the next scheduled transition with the blocks remaining before it, and the epoch registry stored in " +
    "the database. Exit 0; exit 2 when the database cannot be reached.",
  flags: {},
  examples: ["mathledger-cli pq status", "mathledger-cli pq status --json"],
  async run(_flags, context) {
    return withChainDatabase(context, async ({ pool }) => {
      const [epochs, tip] = await Promise.all([loadEpochRegistry(pool), canonicalTipNumber(pool)]);
      const status = pqStatus(epochs, tip);
      return { outcome: "ok", json: status, text: pqStatusText(status) };
    });
  },
});
