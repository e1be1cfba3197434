/**
 * The epoch registry: which hash algorithm and rule version govern each block height.
 *
 * An epoch is `{start_block, end_block, algorithm_id, algorithm_name, rule_version, activation_timestamp,
 * governance_hash}`; a registry is a JSON array of epochs in height order. Rules (docs/spec/consensus.md §6):
 *   - the first epoch starts at block 0; each next one starts right after the previous ends (no gaps, no overlaps);
 *     only the last may be open (end_block null);
 *   - algorithm_name is the registry name of algorithm_id; a v1-legacy epoch uses SHA-256 (0x00), every other rule
 *     version names a post-quantum algorithm (the PQ chain's);
 *   - rule versions only move forward, except a rollback epoch back to v1-legacy, which must carry the governance hash
 *     of the emergency declaration that ordered it;
 *   - registering a new epoch may not activate it at or below the finalized height.
 */
import type { ErrorCode } from "../error-codes";
import { AppError } from "../errors";
import { describeValue, isCanonicalHex } from "../encoding/hex";
import { algorithmInfo, isKnownAlgorithmId, SHA256_ID } from "../crypto/hash-algorithms";
import { isRuleVersion, RULE_VERSIONS, ruleVersionRules, type RuleVersion } from "./rule-versions";

export interface Epoch {
  start_block: number;
  /** Last block of the epoch, inclusive; null while the epoch is open-ended. */
  end_block: number | null;
  algorithm_id: number;
  algorithm_name: string;
  rule_version: RuleVersion;
  /** Unix seconds at which governance activated (or scheduled) the epoch. */
  activation_timestamp: number;
  /** Hash of the governance decision (proposal or emergency declaration) that created it; null for genesis config. */
  governance_hash: string | null;
}

export type EpochRegistry = readonly Epoch[];

function fail(code: ErrorCode, message: string): never {
  throw new AppError(code, message);
}

/** Reads one epoch from untrusted JSON, throwing AppError("INVALID_EPOCH") naming the field. */
export function parseEpoch(input: unknown, where = "epoch"): Epoch {
  if (typeof input !== "object" || input === null || Array.isArray(input)) fail("INVALID_EPOCH", `${where} must be a JSON object, got ${describeValue(input)}`);
  const e = input as Record<string, unknown>;
  const uint = (field: string, nullable = false): number | null => {
    const v = e[field];
    if (nullable && (v === null || v === undefined)) return null;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      fail("INVALID_EPOCH", `${where}.${field} must be a non-negative integer${nullable ? " or null" : ""}, got ${describeValue(v)}`);
    }
    return v;
  };
  const start_block = uint("start_block")!;
  const end_block = uint("end_block", true);
  const algorithm_id = uint("algorithm_id")!;
  if (!isKnownAlgorithmId(algorithm_id)) fail("UNKNOWN_ALGORITHM", `${where}.algorithm_id: ${algorithmErrorText(algorithm_id)}`);
  if (typeof e.algorithm_name !== "string") fail("INVALID_EPOCH", `${where}.algorithm_name must be a string, got ${describeValue(e.algorithm_name)}`);
  if (!isRuleVersion(e.rule_version)) {
    fail("UNKNOWN_RULE_VERSION", `${where}.rule_version: unknown rule version ${describeValue(e.rule_version)} (known: ${RULE_VERSIONS.join(", ")})`);
  }
  const ts = e.activation_timestamp;
  if (typeof ts !== "number" || !Number.isFinite(ts) || ts < 0) {
    fail("INVALID_EPOCH", `${where}.activation_timestamp must be a non-negative number of Unix seconds, got ${describeValue(ts)}`);
  }
  const gh = e.governance_hash ?? null;
  if (gh !== null && !isCanonicalHex(gh, 32)) {
    fail("INVALID_EPOCH", `${where}.governance_hash must be a 32-byte 0x-prefixed lowercase hex hash or null, got ${describeValue(gh)}`);
  }
  return {
    start_block,
    end_block,
    algorithm_id,
    algorithm_name: e.algorithm_name,
    rule_version: e.rule_version,
    activation_timestamp: ts,
    governance_hash: gh as string | null,
  };
}

function algorithmErrorText(id: number): string {
  try {
    algorithmInfo(id);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

/** Checks the rules that concern one epoch on its own (its form first, as parseEpoch reads it). */
function checkEpochAlone(epoch: Epoch, where: string): void {
  parseEpoch(epoch, where);
  if (epoch.end_block !== null && epoch.end_block < epoch.start_block) {
    fail("INVALID_EPOCH", `${where} ends (block ${epoch.end_block}) before it starts (block ${epoch.start_block})`);
  }
  const info = algorithmInfo(epoch.algorithm_id);
  if (epoch.algorithm_name !== info.name) {
    fail("INVALID_EPOCH", `${where}.algorithm_name is ${describeValue(epoch.algorithm_name)} but algorithm_id 0x${epoch.algorithm_id.toString(16).padStart(2, "0")} is ${info.name}`);
  }
  const rules = ruleVersionRules(epoch.rule_version);
  if (rules.pq === "forbidden" && epoch.algorithm_id !== SHA256_ID) {
    fail("INVALID_EPOCH", `${where} is ${epoch.rule_version}, which uses SHA-256 only, but names ${info.name}`);
  }
  if (rules.pq !== "forbidden" && !info.postQuantum) {
    fail("INVALID_EPOCH", `${where} is ${epoch.rule_version}, whose PQ chain needs a post-quantum algorithm, but names ${info.name}`);
  }
}

/** Checks that `next` may follow `previous` in a registry. */
function checkSuccession(previous: Epoch, next: Epoch, where: string): void {
  if (previous.end_block === null) fail("EPOCH_OVERLAP", `${where} starts at block ${next.start_block} but the epoch before it is open-ended`);
  if (next.start_block <= previous.end_block) {
    fail("EPOCH_OVERLAP", `${where} starts at block ${next.start_block}, inside the previous epoch (${previous.start_block}..${previous.end_block})`);
  }
  if (next.start_block > previous.end_block + 1) {
    const missing = next.start_block - 1 === previous.end_block + 1 ? `block ${previous.end_block + 1}` : `blocks ${previous.end_block + 1}..${next.start_block - 1}`;
    fail("EPOCH_GAP", `${where} starts at block ${next.start_block}, leaving ${missing} without an epoch`);
  }
  const from = ruleVersionRules(previous.rule_version);
  const to = ruleVersionRules(next.rule_version);
  const isRollback = to.version === "v1-legacy" && from.order > 0;
  if (to.order < from.order && !isRollback) {
    fail("RULE_VERSION_REGRESSION", `${where} moves the rule version back from ${from.version} to ${to.version}; only a rollback to v1-legacy may go backwards`);
  }
  if (isRollback && next.governance_hash === null) {
    fail("ROLLBACK_WITHOUT_GOVERNANCE", `${where} rolls back to v1-legacy but has no governance_hash (the emergency declaration that ordered it)`);
  }
}

/** Validates a whole registry; throws AppError with a code and a message naming the offending epoch. */
export function validateEpochRegistry(epochs: EpochRegistry): void {
  if (epochs.length === 0) fail("EMPTY_EPOCH_REGISTRY", "the epoch registry is empty: it needs at least one epoch starting at block 0");
  if (epochs[0].start_block !== 0) fail("EPOCH_GAP", `the first epoch must start at block 0, not ${epochs[0].start_block}`);
  epochs.forEach((epoch, i) => {
    const where = `epoch ${i} (start ${epoch.start_block})`;
    checkEpochAlone(epoch, where);
    if (i > 0) checkSuccession(epochs[i - 1], epoch, where);
  });
}

/** Parses and validates a registry from untrusted JSON (an array of epochs). */
export function parseEpochRegistry(input: unknown): Epoch[] {
  if (!Array.isArray(input)) fail("INVALID_EPOCH", `the epoch registry must be a JSON array of epochs, got ${describeValue(input)}`);
  const epochs = input.map((e, i) => parseEpoch(e, `epoch ${i}`));
  validateEpochRegistry(epochs);
  return epochs;
}

/** The epoch covering `blockNumber`, or undefined when none does. */
export function findEpoch(epochs: EpochRegistry, blockNumber: number): Epoch | undefined {
  // Registries are short (a handful of epochs over the network's life), so a scan from the end is enough.
  for (let i = epochs.length - 1; i >= 0; i--) {
    const e = epochs[i];
    if (blockNumber >= e.start_block && (e.end_block === null || blockNumber <= e.end_block)) return e;
  }
  return undefined;
}

/** The epoch covering `blockNumber`; throws AppError("NO_EPOCH") when none does. */
export function resolveEpoch(epochs: EpochRegistry, blockNumber: number): Epoch {
  const epoch = findEpoch(epochs, blockNumber);
  if (!epoch) {
    const last = epochs[epochs.length - 1];
    fail("NO_EPOCH", `no epoch covers block ${blockNumber}${last && last.end_block !== null ? ` (the registry ends at block ${last.end_block})` : ""}`);
  }
  return epoch;
}

export interface RegisterEpochOptions {
  /** The highest finalized block: an activation must land strictly above it. */
  finalizedHeight: number | null;
}

/**
 * Returns a new registry with `epoch` appended: the open last epoch is closed at `epoch.start_block - 1`.
 * Throws (and changes nothing) when the result would break a registry rule or the activation is not above the
 * finalized height. `epoch.end_block` must be null: activations are open-ended until the next one.
 */
export function registerEpoch(epochs: EpochRegistry, proposed: Epoch, options: RegisterEpochOptions): Epoch[] {
  const epoch = parseEpoch(proposed, "new epoch");
  if (epoch.end_block !== null) fail("INVALID_EPOCH", `a newly registered epoch must be open-ended (end_block null), got ${epoch.end_block}`);
  if (options.finalizedHeight !== null && epoch.start_block <= options.finalizedHeight) {
    fail("ACTIVATION_NOT_ABOVE_FINALITY", `activation at block ${epoch.start_block} is at or below the finalized height ${options.finalizedHeight}`);
  }
  const next = epochs.map((e) => ({ ...e }));
  const last = next[next.length - 1];
  if (last && last.end_block === null) {
    if (epoch.start_block <= last.start_block) {
      fail("EPOCH_OVERLAP", `activation at block ${epoch.start_block} is not after the start of the current epoch (block ${last.start_block})`);
    }
    last.end_block = epoch.start_block - 1;
  }
  next.push({ ...epoch });
  validateEpochRegistry(next);
  return next;
}

export type TransitionKind = "activation" | "algorithm-change" | "rollback" | "renewal";

export interface EpochTransition {
  /** The first block of the new epoch (the activation block). */
  block_number: number;
  from: Epoch;
  to: Epoch;
  kind: TransitionKind;
}

/** Every transition in the registry, in height order. */
export function listTransitions(epochs: EpochRegistry): EpochTransition[] {
  const out: EpochTransition[] = [];
  for (let i = 1; i < epochs.length; i++) {
    const from = epochs[i - 1];
    const to = epochs[i];
    const fromOrder = ruleVersionRules(from.rule_version).order;
    const toOrder = ruleVersionRules(to.rule_version).order;
    const kind: TransitionKind =
      toOrder < fromOrder
        ? "rollback"
        : toOrder > fromOrder
          ? "activation"
          : to.algorithm_id !== from.algorithm_id
            ? "algorithm-change"
            : "renewal"; // same rules and algorithm under a new governance decision
    out.push({ block_number: to.start_block, from, to, kind });
  }
  return out;
}

/** The transition that takes effect at `blockNumber` (the block is the first of a new epoch), if any. */
export function transitionAt(epochs: EpochRegistry, blockNumber: number): EpochTransition | undefined {
  return listTransitions(epochs).find((t) => t.block_number === blockNumber);
}

/** The next transition strictly after `blockNumber`, if one is scheduled. */
export function nextTransitionAfter(epochs: EpochRegistry, blockNumber: number): EpochTransition | undefined {
  return listTransitions(epochs).find((t) => t.block_number > blockNumber);
}

/** A ready-made epoch for `rule_version` with `algorithmId`, for registries built in code (devnet, tests). */
export function makeEpoch(
  start_block: number,
  rule_version: RuleVersion,
  algorithmId: number,
  activation_timestamp: number,
  governance_hash: string | null = null,
  end_block: number | null = null,
): Epoch {
  return {
    start_block,
    end_block,
    algorithm_id: algorithmId,
    algorithm_name: algorithmInfo(algorithmId).name,
    rule_version,
    activation_timestamp,
    governance_hash,
  };
}
