/**
 * The reference migration: one epoch registry that crosses every kind of boundary, and a 14-block chain sealed over
 * it by reference.ts. blocks.json and fork-choice.json are both built on it.
 */
import { H, hex, seal, type RefBlock, type RefEpoch } from "./reference";

const gov = (text: string) => hex(H(0, Buffer.from(`MathLedger governance: ${text}`, "utf8")));

export const T0 = 1_700_000_000;

/** Epoch i covers blocks 2i and 2i+1; the last one is open. */
export const MIGRATION_REGISTRY: RefEpoch[] = [
  { start_block: 0, end_block: 1, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", activation_timestamp: T0, governance_hash: null },
  { start_block: 2, end_block: 3, algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v1.5-pq-optional", activation_timestamp: T0 + 1100, governance_hash: gov("proposal 1, activate v1.5-pq-optional with SHA3-256") },
  { start_block: 4, end_block: 5, algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2-dual-required", activation_timestamp: T0 + 2300, governance_hash: gov("proposal 2, activate v2-dual-required") },
  { start_block: 6, end_block: 7, algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary", activation_timestamp: T0 + 3500, governance_hash: gov("proposal 3, activate v2.5-pq-primary") },
  { start_block: 8, end_block: 9, algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v3-pq-only", activation_timestamp: T0 + 4700, governance_hash: gov("proposal 4, activate v3-pq-only") },
  { start_block: 10, end_block: 11, algorithm_id: 2, algorithm_name: "BLAKE3", rule_version: "v3-pq-only", activation_timestamp: T0 + 5900, governance_hash: gov("proposal 5, change the PQ algorithm to BLAKE3") },
  { start_block: 12, end_block: null, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", activation_timestamp: T0 + 7100, governance_hash: gov("emergency declaration 1, roll back to v1-legacy") },
];

export const STATEMENTS: string[][] = [
  ["genesis: 0 = 0"],
  ["1 + 1 = 2", "\u2200n \u2208 \u2115. n + 0 = n"],
  ["caf\u00e9", "cafe\u0301"],
  [],
  ["", "an empty statement is a valid leaf", "\u{1F600} is four UTF-8 bytes"],
  ["theorem add_comm: a + b = b + a", "theorem mul_comm: a * b = b * a", "lemma zero_add: 0 + a = a", "lemma add_zero: a + 0 = a", "axiom succ_ne_zero: S n \u2260 0"],
  ["v2.5: the PQ chain is primary from here"],
  ["\u221a2 \u2209 \u211a", "\u03c0 > 3"],
  ["v3: the legacy chain has ended"],
  ["\u2211_{i=1}^{n} i = n(n+1)/2"],
  ["BLAKE3 epoch: first block"],
  ["\u222b\u2080\u00b9 x dx = 1/2", "e^{i\u03c0} + 1 = 0", "p prime \u2192 p \u2223 ab \u2192 p \u2223 a \u2228 p \u2223 b"],
  ["rollback: back to SHA-256 only"],
  ["2 + 2 = 4"],
];

export const BOUNDARIES: Record<number, string> = {
  0: "genesis (v1-legacy): prev_hash is 32 zero bytes",
  2: "v1-legacy -> v1.5-pq-optional activation; the first PQ fields: pq_prev_hash is the SHA3-256 hash of block 1, a block that never carried PQ fields",
  3: "v1.5-pq-optional block sealed without the optional PQ fields",
  4: "v1.5-pq-optional -> v2-dual-required activation: pq_prev_hash is the SHA3-256 hash of block 3, which has no PQ fields",
  6: "v2-dual-required -> v2.5-pq-primary activation: same fields as v2; the PQ hash becomes the primary hash",
  8: "v2.5-pq-primary -> v3-pq-only activation: no prev_hash, merkle_root or dual_commitment; pq_prev_hash is the SHA3-256 hash of block 7",
  10: "v3-pq-only SHA3-256 -> v3-pq-only BLAKE3 algorithm change: pq_prev_hash is the BLAKE3 hash of block 9 (not block 9's SHA3-256 hash)",
  12: "v3-pq-only -> v1-legacy rollback (governance_hash set): prev_hash is the SHA-256 hash of block 11, a block with no legacy fields",
};

/** Block timestamps: ten minutes apart. */
export const timestampOf = (n: number) => T0 + 600 * n;

export function sealChain(): RefBlock[] {
  const chain: RefBlock[] = [];
  STATEMENTS.forEach((statements, n) => {
    chain.push(seal(MIGRATION_REGISTRY, chain[n - 1] ?? null, statements, timestampOf(n), n !== 3));
  });
  return chain;
}
