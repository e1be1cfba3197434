/**
 * The plan's DriftInjector (PLAN.md §3 "Drift Injection Test Harness"), exactly as the plan writes the four
 * consensus injections, plus the three the issue adds (slow sealing, oversize blocks, bad node reports). Used by the
 * tests and by `mathledger-cli drift inject` through the devnet.
 *
 * The plan's values are uppercase hex ("0x" + "FF" * 32), which this node's admission refuses as malformed: that is
 * deliberate, since a refused block is evidence too. `lowercase: true` gives the same value in canonical form, which
 * admission lets through and the block is stored INVALID instead; both must raise an event of the plan's category.
 */
import type { Block } from "../consensus/block";
import type { DriftCategory } from "./drift-event";
import type { NodeReport } from "./node-report";

export interface InjectOptions {
  /** Write the plan's hex values in lowercase (stored INVALID) instead of the plan's uppercase (refused). */
  lowercase?: boolean;
}

const planHex = (byte: string, o: InjectOptions) => "0x" + (o.lowercase ? byte.toLowerCase() : byte).repeat(32);

/** Invalid algorithm. */
export function injectAlgorithmMismatch(block: Block): unknown {
  return { ...block, pq_algorithm: 0xff };
}

/** Merkle root mismatch. */
export function injectConsistencyViolation(block: Block, o: InjectOptions = {}): unknown {
  return { ...block, pq_merkle_root: planHex("FF", o) };
}

/** prev_hash mismatch. */
export function injectLineageDrift(block: Block, o: InjectOptions = {}): unknown {
  return { ...block, pq_prev_hash: planHex("EE", o) };
}

/** Dual commitment mismatch. */
export function injectCommitmentInconsistency(block: Block, o: InjectOptions = {}): unknown {
  return { ...block, dual_commitment: planHex("DD", o) };
}

/** The consensus injections by the category they must raise. */
export const BLOCK_INJECTIONS: Record<"algorithm_mismatch" | "consistency" | "lineage" | "commitment", (block: Block, o?: InjectOptions) => unknown> = {
  algorithm_mismatch: injectAlgorithmMismatch,
  consistency: injectConsistencyViolation,
  lineage: injectLineageDrift,
  commitment: injectCommitmentInconsistency,
};

/** performance: how much slower the devnet seals an injected block (a multiple of the baseline, at least +50 ms). */
export function slowSealingDelayMs(baselineP95Ms: number | null): number {
  return Math.max(50, (baselineP95Ms ?? 0) * 5);
}

/** storage: statements that make a block of at least `bytes` bytes (the limit plus a margin). */
export function oversizeStatements(bytes: number, label = "oversize"): string[] {
  const line = `${label}: ` + "∑".repeat(1000); // 3,000 bytes of UTF-8 per statement and a label
  return Array.from({ length: Math.ceil(bytes / 3000) + 1 }, (_, i) => `${line} #${i}`);
}

/** network: one report per node saying the network is slow, thin and orphaning blocks. */
export function badNodeReports(nodeIds: readonly string[], observedAt: number, blockNumber: number | null): NodeReport[] {
  return nodeIds.map((node_id) => ({
    node_id,
    observed_at: observedAt,
    block_number: blockNumber,
    peer_count: 1,
    propagation_ms: 9000,
    blocks_received: 10,
    orphan_blocks: 4,
  }));
}

export const INJECTION_KINDS: readonly DriftCategory[] = ["algorithm_mismatch", "consistency", "lineage", "commitment", "performance", "storage", "network"];
