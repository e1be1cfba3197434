/**
 * Test fixtures for the consensus core: epoch registries covering every kind of boundary, and deterministic chains
 * sealed over them. Test-only (imported by *.test.ts); nothing in production code may import it.
 *
 * Chains are built with sealBlock, so every block is valid under its own epoch. Statements are tiny and
 * deterministic (`"<tag>#<block>.<i>"`), timestamps are T0 + 60 * block_number, so the same call always gives the
 * same blocks and two branches differ only by their tag.
 */
import { BLAKE3_ID, SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import type { Block } from "./block";
import { makeEpoch, type Epoch, type EpochRegistry } from "./epochs";
import type { RuleVersion } from "./rule-versions";
import { sealBlock } from "./seal-block";

/** Genesis time of every fixture chain (Unix seconds). */
export const T0 = 1_700_000_000;

/** A well-formed governance hash (for rollback epochs and governed activations). */
export const GOVERNANCE_HASH = "0x" + "ab".repeat(32);

/** The algorithm a single-epoch fixture uses for each rule version: SHA-256 for v1-legacy, SHA3-256 otherwise. */
export function defaultAlgorithmFor(ruleVersion: RuleVersion): number {
  return ruleVersion === "v1-legacy" ? SHA256_ID : SHA3_256_ID;
}

/** A registry with one open epoch from block 0. */
export function singleEpochRegistry(ruleVersion: RuleVersion, algorithmId = defaultAlgorithmFor(ruleVersion)): Epoch[] {
  return [makeEpoch(0, ruleVersion, algorithmId, T0)];
}

/**
 * A registry from [start, ruleVersion, algorithmId, governanceHash?] tuples: each epoch ends right before the next
 * starts, the last is open, activation timestamps follow the chain's clock.
 */
export function registryOf(spec: ReadonlyArray<readonly [number, RuleVersion, number, (string | null)?]>): Epoch[] {
  return spec.map(([start, version, alg, gov], i) => {
    const next = spec[i + 1];
    return makeEpoch(start, version, alg, T0 + 60 * start, gov ?? null, next ? next[0] - 1 : null);
  });
}

/** The five rule versions in order, five blocks each: v1 0..4, v1.5 5..9, v2 10..14, v2.5 15..19, v3 from 20 (SHA3-256). */
export const EPOCHS_ALL_VERSIONS: EpochRegistry = registryOf([
  [0, "v1-legacy", SHA256_ID],
  [5, "v1.5-pq-optional", SHA3_256_ID, GOVERNANCE_HASH],
  [10, "v2-dual-required", SHA3_256_ID, GOVERNANCE_HASH],
  [15, "v2.5-pq-primary", SHA3_256_ID, GOVERNANCE_HASH],
  [20, "v3-pq-only", SHA3_256_ID, GOVERNANCE_HASH],
]);

/** An algorithm change at the same rule version: v1 0..4, v2 SHA3-256 5..9, v2 BLAKE3 from 10. */
export const EPOCHS_ALGORITHM_CHANGE: EpochRegistry = registryOf([
  [0, "v1-legacy", SHA256_ID],
  [5, "v2-dual-required", SHA3_256_ID, GOVERNANCE_HASH],
  [10, "v2-dual-required", BLAKE3_ID, GOVERNANCE_HASH],
]);

/** An emergency rollback and recovery: v1 0..4, v2 SHA3-256 5..9, v1-legacy (rollback) 10..14, v2 BLAKE3 from 15. */
export const EPOCHS_ROLLBACK: EpochRegistry = registryOf([
  [0, "v1-legacy", SHA256_ID],
  [5, "v2-dual-required", SHA3_256_ID, GOVERNANCE_HASH],
  [10, "v1-legacy", SHA256_ID, GOVERNANCE_HASH],
  [15, "v2-dual-required", BLAKE3_ID, GOVERNANCE_HASH],
]);

export interface BuildChainOptions {
  /** The block to build on; null or omitted starts at genesis (block 0). */
  prev?: Block | null;
  /** Distinguishes branches: two chains with different tags differ in every block's statements. Default "main". */
  tag?: string;
  /** Statements per block (default 1); a function gets the block number. */
  statementsPerBlock?: number | ((blockNumber: number) => number);
  /** Timestamp of a block (default T0 + 60 * block_number). */
  timestamp?: (blockNumber: number) => number;
  /** In v1.5 epochs, whether to add the optional PQ fields (default true, as sealBlock). */
  includeOptionalPq?: boolean;
}

/** The deterministic statements of block `blockNumber` on the branch `tag`. */
export function statementsFor(tag: string, blockNumber: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${tag}#${blockNumber}.${i}`);
}

/** Seals `count` consecutive valid blocks over `epochs`, after `opts.prev` (or from genesis). */
export function buildChain(epochs: EpochRegistry, count: number, opts: BuildChainOptions = {}): Block[] {
  const tag = opts.tag ?? "main";
  const perBlock = opts.statementsPerBlock ?? 1;
  const timestamp = opts.timestamp ?? ((n: number) => T0 + 60 * n);
  const blocks: Block[] = [];
  let prev: Block | null = opts.prev ?? null;
  for (let i = 0; i < count; i++) {
    const n = prev ? prev.block_number + 1 : 0;
    const k = typeof perBlock === "function" ? perBlock(n) : perBlock;
    prev = sealBlock({
      statements: statementsFor(tag, n, k),
      epochs,
      prev,
      timestamp: timestamp(n),
      includeOptionalPq: opts.includeOptionalPq,
    });
    blocks.push(prev);
  }
  return blocks;
}

/**
 * A competing branch of `count` blocks forking from `chain` after block `forkPoint` (-1: a rival genesis). `chain`
 * must start at block 0 or contain the fork point.
 */
export function buildBranch(
  chain: readonly Block[],
  forkPoint: number,
  epochs: EpochRegistry,
  count: number,
  opts: Omit<BuildChainOptions, "prev"> = {},
): Block[] {
  const prev = forkPoint < 0 ? null : chain.find((b) => b.block_number === forkPoint);
  if (prev === undefined) throw new Error(`buildBranch: block ${forkPoint} is not in the chain given`);
  return buildChain(epochs, count, { ...opts, tag: opts.tag ?? "branch", prev });
}
