/**
 * Fork choice, finality and reorgs (docs/spec/consensus.md §8).
 *
 * Rule: among valid branches, the one whose tip has the greatest block number wins; at equal height the branch whose
 * tip has the numerically lower primary hash wins, so every node converges on the same chain whatever order the
 * blocks arrived in. The primary hash is the block's SHA-256 hash under v1-legacy, v1.5 and v2, and its hash under
 * the epoch's PQ algorithm under v2.5-pq-primary and v3-pq-only: from v2.5 on, the PQ chain decides.
 *
 * Finality: a block `finalityDepth` or more blocks below the tip is final and is never rolled back
 * (Bitcoin ABC's max-reorg-depth and Ethereum's finalized checkpoint play this role). Epoch-boundary protection: an
 * activation block (the first block of any epoch after the first) is final sooner, once it has
 * `activationFinalityDepth` confirmations, so a reorg can never move a network back across an activation that it
 * has already built on.
 */
import { AppError } from "../errors";
import { nobleHashSuite, type HashSuite } from "../crypto/hash-algorithms";
import { blockHash, type Block } from "./block";
import { findEpoch, type Epoch, type EpochRegistry } from "./epochs";
import { ruleVersionRules } from "./rule-versions";
import { validateChain } from "./validate-chain";
import { isBlocking, type Violation } from "./violations";

export interface ForkChoiceParams {
  /** Blocks this deep below the tip (tip - n >= depth) are final. */
  finalityDepth: number;
  /** Activation blocks are final once they have this many confirmations. Must not exceed finalityDepth. */
  activationFinalityDepth: number;
}

export const DEFAULT_FORK_CHOICE_PARAMS: ForkChoiceParams = { finalityDepth: 64, activationFinalityDepth: 6 };

/** The highest final block number for a chain whose tip is `tipNumber`, or -1 when nothing is final yet. */
export function finalizedHeight(tipNumber: number, params: ForkChoiceParams = DEFAULT_FORK_CHOICE_PARAMS): number {
  return Math.max(-1, tipNumber - params.finalityDepth);
}

/** The chain ("legacy" or "pq") whose hash identifies blocks at this height for fork choice. */
export function primaryChainAt(epochs: EpochRegistry, blockNumber: number): "legacy" | "pq" {
  const epoch = findEpoch(epochs, blockNumber);
  return epoch ? ruleVersionRules(epoch.rule_version).primaryChain : "legacy";
}

/** The hash that identifies `block` for fork choice and finality under its epoch. */
export function primaryHash(block: Block, epochs: EpochRegistry, suite: HashSuite = nobleHashSuite): string {
  const epoch: Epoch | undefined = findEpoch(epochs, block.block_number);
  const chain = epoch ? ruleVersionRules(epoch.rule_version).primaryChain : "legacy";
  return blockHash(block, suite.get(chain === "pq" && epoch ? epoch.algorithm_id : 0x00));
}

export type ReorgDecision = "ADOPT" | "KEEP" | "REJECT";
export type ReorgReason =
  | "LONGER_BRANCH"
  | "SHORTER_BRANCH"
  | "TIE_LOWER_HASH"
  | "TIE_HIGHER_HASH"
  | "INVALID_BRANCH"
  | "UNKNOWN_FORK_POINT"
  | "REORG_BEYOND_FINALITY"
  | "REORG_ACROSS_ACTIVATION"
  | "EMPTY_BRANCH"
  | "ALREADY_CANONICAL";

export interface BlockRef {
  block_number: number;
  hash: string;
  statement_count: number;
}

export interface ReorgPlan {
  decision: ReorgDecision;
  reason: ReorgReason;
  message: string;
  /** The last block both branches share. */
  fork_point: number;
  old_tip: BlockRef | null;
  new_tip: BlockRef | null;
  finalized_height: number;
  /** Canonical blocks that adopting the branch would roll back (newest last). */
  rolled_back: BlockRef[];
  /** Branch blocks that adopting it would make canonical. */
  adopted: BlockRef[];
  statements_rolled_back: number;
  /** Activation blocks among the rolled-back ones. */
  activation_blocks_rolled_back: number[];
  /** Violations found on the branch (non-empty only for INVALID_BRANCH). */
  branch_violations: Violation[];
}

export interface PlanReorgInput {
  /** The canonical chain, contiguous and ascending; it must contain the fork point and reach the current tip. */
  canonical: readonly Block[];
  /** The competing branch, contiguous and ascending; its first block follows the fork point. */
  branch: readonly Block[];
  epochs: EpochRegistry;
  params?: ForkChoiceParams;
  suite?: HashSuite;
}

/**
 * Decides between the canonical chain and a competing branch, and reports what adopting the branch would roll back.
 * Pure: the caller applies an ADOPT decision (the ingest worker flips canonical flags and records the reorg).
 */
export function planReorg(input: PlanReorgInput): ReorgPlan {
  const params = input.params ?? DEFAULT_FORK_CHOICE_PARAMS;
  if (!(params.activationFinalityDepth >= 0 && params.activationFinalityDepth <= params.finalityDepth)) {
    throw new AppError("INVALID_PARAMS", `activationFinalityDepth (${params.activationFinalityDepth}) must be between 0 and finalityDepth (${params.finalityDepth})`);
  }
  const suite = input.suite ?? nobleHashSuite;
  const { canonical, epochs } = input;
  // Blocks the branch shares with the canonical chain are not part of the fork: drop them, so fork_point really is
  // the last shared block.
  let shared = 0;
  const baseNumber = canonical.length ? canonical[0].block_number : 0;
  while (shared < input.branch.length) {
    const b = input.branch[shared];
    const c = canonical[b.block_number - baseNumber];
    if (!c || c.block_number !== b.block_number || blockHash(c, suite.get(0)) !== blockHash(b, suite.get(0))) break;
    shared++;
  }
  const branch = input.branch.slice(shared);
  const ref = (b: Block): BlockRef => ({ block_number: b.block_number, hash: primaryHash(b, epochs, suite), statement_count: b.statements.length });
  const oldTipBlock = canonical[canonical.length - 1] ?? null;
  const tipNumber = oldTipBlock ? oldTipBlock.block_number : -1;
  const plan: ReorgPlan = {
    decision: "REJECT",
    reason: "EMPTY_BRANCH",
    message: "",
    fork_point: branch.length ? branch[0].block_number - 1 : -1,
    old_tip: oldTipBlock ? ref(oldTipBlock) : null,
    new_tip: branch.length ? ref(branch[branch.length - 1]) : null,
    finalized_height: finalizedHeight(tipNumber, params),
    rolled_back: [],
    adopted: branch.map(ref),
    statements_rolled_back: 0,
    activation_blocks_rolled_back: [],
    branch_violations: [],
  };
  const reject = (reason: ReorgReason, message: string): ReorgPlan => ({ ...plan, decision: "REJECT", reason, message });
  if (branch.length === 0 && shared > 0) {
    return { ...plan, decision: "KEEP", reason: "ALREADY_CANONICAL", message: "every block of the branch is already on the canonical chain" };
  }
  if (branch.length === 0) return reject("EMPTY_BRANCH", "the competing branch has no blocks");

  const forkPoint = plan.fork_point;
  const base = canonical.length ? canonical[0].block_number : 0;
  const forkBlock = forkPoint >= 0 ? canonical[forkPoint - base] : null;
  if (forkPoint >= 0 && (!forkBlock || forkBlock.block_number !== forkPoint)) {
    return reject("UNKNOWN_FORK_POINT", `the branch starts at block ${branch[0].block_number} but block ${forkPoint} is not in the canonical chain given`);
  }

  const rolledBack = canonical.filter((b) => b.block_number > forkPoint);
  plan.rolled_back = rolledBack.map(ref);
  plan.statements_rolled_back = rolledBack.reduce((n, b) => n + b.statements.length, 0);
  const activationStarts = new Set(epochs.slice(1).map((e) => e.start_block));
  plan.activation_blocks_rolled_back = rolledBack.filter((b) => activationStarts.has(b.block_number)).map((b) => b.block_number);

  const validation = validateChain(branch, { epochs, prev: forkBlock, suite });
  if (validation.verdict === "INVALID") {
    const invalid = validation.results.filter((r) => r.verdict === "INVALID");
    plan.branch_violations = invalid.flatMap((r) => r.violations.filter(isBlocking));
    const first = invalid[0];
    return reject("INVALID_BRANCH", `the branch is invalid: block ${first.block_number} has ${first.violations.filter(isBlocking).map((v) => v.code).join(", ")}`);
  }

  if (rolledBack.length > 0 && forkPoint + 1 <= plan.finalized_height) {
    return reject("REORG_BEYOND_FINALITY", `the branch would roll back block ${forkPoint + 1}, but blocks up to ${plan.finalized_height} are final (depth ${params.finalityDepth})`);
  }
  const protectedActivation = plan.activation_blocks_rolled_back.find((n) => tipNumber - n >= params.activationFinalityDepth);
  if (protectedActivation !== undefined) {
    return reject("REORG_ACROSS_ACTIVATION", `the branch would roll back activation block ${protectedActivation}, which has ${tipNumber - protectedActivation} confirmations (activation blocks are final after ${params.activationFinalityDepth})`);
  }

  const newTip = plan.new_tip!;
  if (newTip.block_number > tipNumber) {
    return { ...plan, decision: "ADOPT", reason: "LONGER_BRANCH", message: `the branch reaches block ${newTip.block_number}, beyond the current tip ${tipNumber}` };
  }
  if (newTip.block_number < tipNumber) {
    return { ...plan, decision: "KEEP", reason: "SHORTER_BRANCH", message: `the branch reaches block ${newTip.block_number}, short of the current tip ${tipNumber}` };
  }
  const chain = primaryChainAt(epochs, tipNumber);
  if (newTip.hash < plan.old_tip!.hash) {
    return { ...plan, decision: "ADOPT", reason: "TIE_LOWER_HASH", message: `equal height ${tipNumber}: the branch tip has the lower ${chain} hash` };
  }
  return { ...plan, decision: "KEEP", reason: "TIE_HIGHER_HASH", message: `equal height ${tipNumber}: the current tip has the lower (or equal) ${chain} hash` };
}
