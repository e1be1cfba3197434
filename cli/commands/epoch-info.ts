/**
 * `mathledger-cli epoch-info --block-number N`: the epoch of the stored registry that covers height N, whether N is
 * that epoch's activation block (and the transition it makes), and what the epoch's rule version requires of a block,
 * in words (lib/consensus/rule-versions.ts, docs/spec/consensus.md §5-6). N may be a height not produced yet: the
 * registry schedules epochs ahead of the tip.
 */
import { AppError } from "../../lib/errors";
import { resolveEpoch, transitionAt, type Epoch, type EpochTransition } from "../../lib/consensus/epochs";
import { canonicalTipNumber, loadEpochRegistry } from "../../server/chain/epoch-registry";
import { defineCommand } from "../command";
import { epochLine, hexId, isoTime, ruleRequirementRows, ruleRequirements, table, type RuleRequirements } from "../chain-text";
import { withChainDatabase } from "../database";

export interface EpochInfo {
  block_number: number;
  /** 1-based position of the epoch in the registry. */
  epoch_index: number;
  epoch_count: number;
  epoch: Epoch;
  is_activation_block: boolean;
  /** The transition that takes effect at this block (only on an activation block other than genesis). */
  transition: { kind: EpochTransition["kind"]; from: Epoch } | null;
  requirements: RuleRequirements;
  /** The canonical tip (null on an empty chain), to place N relative to it. */
  tip: number | null;
}

export function epochInfo(epochs: Epoch[], blockNumber: number, tip: number): EpochInfo {
  if (epochs.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "the database has no epoch registry yet (every start seeds the default one into an empty registry: run any command again)");
  const epoch = resolveEpoch(epochs, blockNumber);
  const transition = transitionAt(epochs, blockNumber);
  return {
    block_number: blockNumber,
    epoch_index: epochs.indexOf(epoch) + 1,
    epoch_count: epochs.length,
    epoch,
    is_activation_block: epoch.start_block === blockNumber,
    transition: transition ? { kind: transition.kind, from: transition.from } : null,
    requirements: ruleRequirements(epoch),
    tip: tip < 0 ? null : tip,
  };
}

export function epochInfoText(info: EpochInfo): string {
  const { epoch, block_number: n } = info;
  const where = `epoch ${info.epoch_index} of ${info.epoch_count}`;
  const head = info.is_activation_block
    ? `Block ${n} is the activation block of ${where}${n === 0 ? " (genesis)" : ""}`
    : `Block ${n} is in ${where}, whose activation block is ${epoch.start_block}`;
  const position =
    info.tip === null
      ? "the chain is empty"
      : n <= info.tip
        ? `${info.tip - n} blocks below the tip (${info.tip})`
        : `${n - info.tip} blocks above the tip (${info.tip}): not produced yet`;
  const rows: Array<[string, string]> = [["epoch", epochLine(epoch)]];
  if (info.transition) {
    const from = info.transition.from;
    rows.push(["transition", `${info.transition.kind} from ${from.rule_version}, ${from.algorithm_name} (${hexId(from.algorithm_id)}) at block ${n}`]);
  }
  rows.push(
    ["activated", `${isoTime(epoch.activation_timestamp)} (activation_timestamp ${epoch.activation_timestamp})`],
    ["governance", epoch.governance_hash ?? "none (genesis configuration)"],
    ["position", position],
  );
  const lines = [head, ...table(rows), "", `Requirements of ${epoch.rule_version} (${info.requirements.summary}):`, ...table(ruleRequirementRows(epoch))];
  if (info.transition && info.requirements.pq_chain !== "forbidden") {
    lines.push(
      "",
      `At this activation block the links cross the boundary: pq_prev_hash is the ${epoch.algorithm_name} hash of block ${n - 1}` +
        (info.requirements.legacy_chain === "required" ? ` and prev_hash its SHA-256 hash` : "") +
        `, whatever block ${n - 1}'s own epoch (docs/spec/consensus.md §5.3).`,
    );
  }
  return lines.join("\n");
}

export const epochInfoCommand = defineCommand({
  name: "epoch-info",
  summary: "the epoch covering a block height, whether it is an activation block, and its requirements",
  description:
    "Looks up height N in the epoch registry stored in the node's database: the epoch that covers it (rule version, " +
    "algorithm, span, activation time, governance hash), whether N is the epoch's activation block and the " +
    "transition it makes, what the rule version requires of a block (legacy chain, PQ chain, dual commitment, " +
    "primary chain), and where N lies relative to the canonical tip. N may be above the tip. Exit 0; exit 2 when no " +
    "epoch covers N, the registry is empty, or the database cannot be reached.",
  flags: {
    "block-number": { kind: "integer", value: "N", required: true, description: "the block height to look up" },
  },
  examples: ["mathledger-cli epoch-info --block-number 200", "mathledger-cli epoch-info --block-number 200 --json"],
  async run(flags, context) {
    return withChainDatabase(context, async ({ pool }) => {
      const [epochs, tip] = await Promise.all([loadEpochRegistry(pool), canonicalTipNumber(pool)]);
      const info = epochInfo(epochs, flags["block-number"], tip);
      return { outcome: "ok", json: info, text: epochInfoText(info) };
    });
  },
});
