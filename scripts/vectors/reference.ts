/**
 * An independent, deliberately plain implementation of docs/spec/consensus.md, used only to generate the golden
 * vectors. It shares no code with lib/: hashes come from node:crypto (SHA-256, SHA3-256) and @noble/hashes (BLAKE3,
 * which node:crypto lacks), the Merkle functions are the recursive definitions of RFC 9162 §2.1 transcribed
 * literally, and the header encoder follows the byte table of spec §4.1. generate.ts asserts that lib/ agrees with
 * every value computed here before it writes a file, so the vectors cross-check the library rather than echo it.
 */
import { createHash } from "node:crypto";
import { blake3 } from "@noble/hashes/blake3.js";

export const ALGORITHMS = [
  { id: 0, name: "SHA-256" },
  { id: 1, name: "SHA3-256" },
  { id: 2, name: "BLAKE3" },
] as const;

/** HASH_id(data) (spec §2.1). */
export function H(id: number, ...parts: Buffer[]): Buffer {
  const data = Buffer.concat(parts);
  if (id === 0) return createHash("sha256").update(data).digest();
  if (id === 1) return createHash("sha3-256").update(data).digest();
  if (id === 2) return Buffer.from(blake3(data));
  throw new Error(`reference: unknown algorithm ${id}`);
}

const byte = (b: number) => Buffer.from([b]);

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]), RFC 9162 §2.1.1. */
export function mth(id: number, d: readonly Buffer[]): Buffer {
  if (d.length === 0) return H(id);
  if (d.length === 1) return H(id, byte(0x00), d[0]);
  const k = largestPowerOfTwoBelow(d.length);
  return H(id, byte(0x01), mth(id, d.slice(0, k)), mth(id, d.slice(k)));
}

/** PATH(m, D[n]), RFC 9162 §2.1.3.1. */
export function path(id: number, m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  return m < k ? [...path(id, m, d.slice(0, k)), mth(id, d.slice(k))] : [...path(id, m - k, d.slice(k)), mth(id, d.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), RFC 9162 §2.1.4.1. */
export function consistency(id: number, m: number, d: readonly Buffer[]): Buffer[] {
  const sub = (m: number, d: readonly Buffer[], b: boolean): Buffer[] => {
    if (m === d.length) return b ? [] : [mth(id, d)];
    const k = largestPowerOfTwoBelow(d.length);
    return m <= k ? [...sub(m, d.slice(0, k), b), mth(id, d.slice(k))] : [...sub(m - k, d.slice(k), false), mth(id, d.slice(0, k))];
  };
  return sub(m, d, true);
}

// ---- Blocks (spec §3, §4) ----

export interface RefBlock {
  block_number: number;
  timestamp: number;
  prev_hash: string | null;
  merkle_root: string | null;
  pq_algorithm: number | null;
  pq_prev_hash: string | null;
  pq_merkle_root: string | null;
  dual_commitment: string | null;
  statements: string[];
}

export const hex = (b: Buffer) => "0x" + b.toString("hex");
const unhex = (h: string) => {
  if (!/^0x[0-9a-f]{64}$/.test(h)) throw new Error(`reference: not a 32-byte hash: ${h}`);
  return Buffer.from(h.slice(2), "hex");
};
export const ZERO_HASH = "0x" + "00".repeat(32);

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
const opt32 = (h: string | null) => (h === null ? byte(0x00) : Buffer.concat([byte(0x01), unhex(h)]));

/** Statement leaf data: UTF-8, no normalisation (spec §3). */
export const leafData = (s: string) => Buffer.from(s, "utf8");

/** Header bytes, spec §4.1. */
export function headerBytes(b: RefBlock): Buffer {
  return Buffer.concat([
    byte(0x01),
    u64(b.block_number),
    u64(b.timestamp),
    opt32(b.prev_hash),
    opt32(b.merkle_root),
    b.pq_algorithm === null ? byte(0x00) : Buffer.from([0x01, b.pq_algorithm]),
    opt32(b.pq_prev_hash),
    opt32(b.pq_merkle_root),
    opt32(b.dual_commitment),
  ]);
}

/** Block hash under algorithm `id`, spec §4.2. */
export const blockHash = (b: RefBlock, id: number) => hex(H(id, byte(0x02), headerBytes(b)));

/** Dual commitment, spec §4.3. */
export const dualCommitment = (p: number, legacyRoot: string, pqRoot: string) =>
  hex(H(p, Buffer.from([0x03, 0x00]), unhex(legacyRoot), byte(p), unhex(pqRoot)));

/** Content id, spec §4.4. */
export function contentId(b: RefBlock): Buffer {
  const parts = [byte(0x04), headerBytes(b), u32(b.statements.length)];
  for (const s of b.statements) {
    const d = leafData(s);
    parts.push(u32(d.length), d);
  }
  return H(0, ...parts);
}

export const merkleRootOf = (id: number, statements: readonly string[]) => hex(mth(id, statements.map(leafData)));

// ---- Rule versions and sealing (spec §5) ----

export interface RefEpoch {
  start_block: number;
  end_block: number | null;
  algorithm_id: number;
  algorithm_name: string;
  rule_version: string;
  activation_timestamp: number;
  governance_hash: string | null;
}

const LEGACY_REQUIRED = new Set(["v1-legacy", "v1.5-pq-optional", "v2-dual-required", "v2.5-pq-primary"]);
const PQ_REQUIRED = new Set(["v2-dual-required", "v2.5-pq-primary", "v3-pq-only"]);

export function epochOf(epochs: readonly RefEpoch[], n: number): RefEpoch {
  const e = epochs.find((e) => n >= e.start_block && (e.end_block === null || n <= e.end_block));
  if (!e) throw new Error(`reference: no epoch for ${n}`);
  return e;
}

/** Seals the next block exactly as spec §5.2/§5.3 say (withPq only matters in v1.5). */
export function seal(epochs: readonly RefEpoch[], prev: RefBlock | null, statements: string[], timestamp: number, withPq = true): RefBlock {
  const n = prev ? prev.block_number + 1 : 0;
  const e = epochOf(epochs, n);
  const legacy = LEGACY_REQUIRED.has(e.rule_version);
  const pq = PQ_REQUIRED.has(e.rule_version) || (e.rule_version === "v1.5-pq-optional" && withPq);
  const b: RefBlock = {
    block_number: n,
    timestamp,
    prev_hash: null,
    merkle_root: null,
    pq_algorithm: null,
    pq_prev_hash: null,
    pq_merkle_root: null,
    dual_commitment: null,
    statements: [...statements],
  };
  if (legacy) {
    b.prev_hash = prev ? blockHash(prev, 0) : ZERO_HASH;
    b.merkle_root = merkleRootOf(0, statements);
  }
  if (pq) {
    const p = e.algorithm_id;
    b.pq_algorithm = p;
    b.pq_prev_hash = prev ? blockHash(prev, p) : ZERO_HASH;
    b.pq_merkle_root = merkleRootOf(p, statements);
    if (legacy) b.dual_commitment = dualCommitment(p, b.merkle_root!, b.pq_merkle_root);
  }
  return b;
}

/** The hash that identifies a block for fork choice (spec §8.1). */
export function primaryHash(epochs: readonly RefEpoch[], b: RefBlock): string {
  const e = epochOf(epochs, b.block_number);
  const pqPrimary = e.rule_version === "v2.5-pq-primary" || e.rule_version === "v3-pq-only";
  return blockHash(b, pqPrimary ? e.algorithm_id : 0);
}
