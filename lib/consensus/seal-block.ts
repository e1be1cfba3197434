/**
 * Sealing: builds the next block from statements, following the rules of the epoch that covers its number.
 *
 * The legacy fields (when the rule version uses them) link to the predecessor's SHA-256 hash; the PQ fields link to
 * the predecessor's hash under the epoch's PQ algorithm, whatever the predecessor's own epoch was (spec §5.3).
 */
import { AppError } from "../errors";
import { toHex } from "../encoding/hex";
import { nobleHashSuite, SHA256_ID, type HashSuite } from "../crypto/hash-algorithms";
import { blockHash, dualCommitment, encodeLeaves, GENESIS_PREV_HASH, isWellFormedText, type Block } from "./block";
import { merkleRootOfLeafInputs } from "./merkle";
import { resolveEpoch, type EpochRegistry } from "./epochs";
import { ruleVersionRules } from "./rule-versions";

export interface SealBlockInput {
  statements: readonly string[];
  epochs: EpochRegistry;
  /** The predecessor; null or omitted seals a genesis block (block 0 unless `blockNumber` says otherwise). */
  prev?: Block | null;
  /** Defaults to prev.block_number + 1, or 0 for genesis. When given with `prev` it must equal prev + 1. */
  blockNumber?: number;
  /** Unix seconds; must not be earlier than the predecessor's. */
  timestamp: number;
  /** In v1.5-pq-optional epochs, whether to add the optional PQ fields (default true: build the PQ chain early). */
  includeOptionalPq?: boolean;
  suite?: HashSuite;
}

/** Seals a block; throws AppError on input that cannot make a valid block (bad number, regression, bad text). */
export function sealBlock(input: SealBlockInput): Block {
  const suite = input.suite ?? nobleHashSuite;
  const prev = input.prev ?? null;
  const blockNumber = input.blockNumber ?? (prev ? prev.block_number + 1 : 0);
  if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) {
    throw new AppError("INVALID_BLOCK_NUMBER", `block number must be a non-negative integer, got ${blockNumber}`);
  }
  if (prev && blockNumber !== prev.block_number + 1) {
    throw new AppError("INVALID_BLOCK_NUMBER", `block number ${blockNumber} does not follow the predecessor (block ${prev.block_number}); it must be ${prev.block_number + 1}`);
  }
  if (!prev && blockNumber !== 0) {
    throw new AppError("INVALID_BLOCK_NUMBER", `a block without a predecessor is a genesis block and must be block 0, not ${blockNumber}`);
  }
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new AppError("INVALID_TIMESTAMP", `timestamp must be a non-negative integer of Unix seconds, got ${input.timestamp}`);
  }
  if (prev && input.timestamp < prev.timestamp) {
    throw new AppError("INVALID_TIMESTAMP", `timestamp ${input.timestamp} is earlier than the predecessor's ${prev.timestamp}`);
  }
  input.statements.forEach((s, i) => {
    if (typeof s !== "string" || !isWellFormedText(s)) {
      throw new AppError("INVALID_STATEMENT", `statement ${i} is not well-formed Unicode text`);
    }
  });

  const epoch = resolveEpoch(input.epochs, blockNumber);
  const rules = ruleVersionRules(epoch.rule_version);
  const leaves = encodeLeaves(input.statements);
  const block: Block = {
    block_number: blockNumber,
    timestamp: input.timestamp,
    prev_hash: null,
    merkle_root: null,
    pq_algorithm: null,
    pq_prev_hash: null,
    pq_merkle_root: null,
    dual_commitment: null,
    statements: [...input.statements],
  };
  const withLegacy = rules.legacy === "required";
  const withPq = rules.pq === "required" || (rules.pq === "optional" && input.includeOptionalPq !== false);
  if (withLegacy) {
    const sha256 = suite.get(SHA256_ID);
    block.prev_hash = prev ? blockHash(prev, sha256) : GENESIS_PREV_HASH;
    block.merkle_root = toHex(merkleRootOfLeafInputs(sha256, leaves));
  }
  if (withPq) {
    const pqAlg = suite.get(epoch.algorithm_id);
    block.pq_algorithm = pqAlg.id;
    block.pq_prev_hash = prev ? blockHash(prev, pqAlg) : GENESIS_PREV_HASH;
    block.pq_merkle_root = toHex(merkleRootOfLeafInputs(pqAlg, leaves));
    if (withLegacy) block.dual_commitment = dualCommitment(pqAlg, block.merkle_root!, block.pq_merkle_root);
  }
  return block;
}
