/**
 * The hash-algorithm registry: the three algorithms a MathLedger block may name, by one-byte id.
 *
 *   0x00 SHA-256   (FIPS 180-4)  the legacy chain
 *   0x01 SHA3-256  (FIPS 202)    the default post-quantum chain
 *   0x02 BLAKE3    (BLAKE3 spec, 32-byte output)
 *
 * "Post-quantum" here means what the migration means by it: a 256-bit hash whose security against Grover-type
 * search stays at 128 bits and that is not SHA-2 (so a structural break of SHA-2 does not carry over). SHA-256 is
 * kept for the legacy chain only.
 *
 * An id or name that is not in the registry is refused with AppError("UNKNOWN_ALGORITHM"), never guessed at
 * (Git's hash transition does the same: a node that sees a format it does not know refuses to operate).
 *
 * Implementations are supplied by a HashSuite: `nobleHashSuite` (pure JS, @noble/hashes) is the reference and the one
 * browsers use; the server may load a faster suite (see wasm-hash-suite.ts) that tests cross-check against noble.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { blake3 } from "@noble/hashes/blake3.js";
import { AppError } from "../errors";
import { describeValue } from "../encoding/hex";

export const HASH_ALGORITHM_NAMES = ["SHA-256", "SHA3-256", "BLAKE3"] as const;
export type HashAlgorithmName = (typeof HASH_ALGORITHM_NAMES)[number];

/** Static facts about an algorithm, independent of which implementation computes it. */
export interface HashAlgorithmInfo {
  /** The one-byte id written in blocks (`pq_algorithm`), epochs and dual commitments. */
  readonly id: number;
  readonly name: HashAlgorithmName;
  /** Output length in bytes; 32 for every registered algorithm, so every hash field is 32 bytes. */
  readonly digestBytes: 32;
  /** False for SHA-256 only: an epoch that requires a PQ chain may not name it. */
  readonly postQuantum: boolean;
}

/** Leaf-hash inputs packed back to back: leaf i is bytes[offsets[i] .. offsets[i+1]) and already starts with 0x00. */
export interface PackedLeaves {
  bytes: Uint8Array;
  /** count + 1 entries, non-decreasing, the last at most bytes.length. */
  offsets: Uint32Array;
}

/** An algorithm with an implementation. `digest` hashes the concatenation of its arguments. */
export interface HashAlgorithm extends HashAlgorithmInfo {
  digest(...parts: Uint8Array[]): Uint8Array;
  /**
   * Optional whole-tree routine: the RFC 9162 Merkle Tree Hash of packed leaf-hash inputs in one call (the server's
   * WebAssembly module, lib/crypto/wasm/). Callers go through lib/consensus/merkle.ts, which falls back to one
   * digest call per leaf and node when an implementation has none (noble, hash-wasm).
   */
  merkleRoot?(leaves: PackedLeaves): Uint8Array;
}

/** A complete set of implementations, one per registered algorithm. */
export interface HashSuite {
  /** Which library computes the digests ("noble", "hash-wasm"), for benchmark reports. */
  readonly implementation: string;
  get(id: number): HashAlgorithm;
}

export const SHA256_ID = 0x00;
export const SHA3_256_ID = 0x01;
export const BLAKE3_ID = 0x02;
/** Every hash in a block, epoch or proof is this many bytes. */
export const DIGEST_BYTES = 32;

const REGISTRY: readonly HashAlgorithmInfo[] = [
  { id: SHA256_ID, name: "SHA-256", digestBytes: 32, postQuantum: false },
  { id: SHA3_256_ID, name: "SHA3-256", digestBytes: 32, postQuantum: true },
  { id: BLAKE3_ID, name: "BLAKE3", digestBytes: 32, postQuantum: true },
];

/** All registered algorithms, in id order. */
export function listHashAlgorithms(): readonly HashAlgorithmInfo[] {
  return REGISTRY;
}

/** True when `id` is an integer naming a registered algorithm. */
export function isKnownAlgorithmId(id: unknown): id is number {
  return typeof id === "number" && Number.isInteger(id) && REGISTRY.some((a) => a.id === id);
}

/** The registry entry for `id`; throws AppError("UNKNOWN_ALGORITHM") for anything else. */
export function algorithmInfo(id: number): HashAlgorithmInfo {
  const found = REGISTRY.find((a) => a.id === id);
  if (!found) {
    const shown = typeof id === "number" && Number.isInteger(id) && id >= 0 ? `0x${id.toString(16).padStart(2, "0")}` : describeValue(id);
    throw new AppError("UNKNOWN_ALGORITHM", `unknown hash algorithm id ${shown} (known: 0x00 SHA-256, 0x01 SHA3-256, 0x02 BLAKE3)`);
  }
  return found;
}

/** The registry entry for an exact canonical name ("SHA-256", "SHA3-256", "BLAKE3"). */
export function algorithmByName(name: string): HashAlgorithmInfo {
  const found = REGISTRY.find((a) => a.name === name);
  if (!found) {
    throw new AppError("UNKNOWN_ALGORITHM", `unknown hash algorithm ${describeValue(name)} (known: SHA-256, SHA3-256, BLAKE3)`);
  }
  return found;
}

/**
 * Parses an algorithm name typed by a person: case-insensitive, with or without hyphens or underscores
 * ("sha-256", "SHA256", "sha3-256", "Sha3_256", "blake3"). A bare number or 0x-id is accepted too ("1", "0x01").
 */
export function parseAlgorithm(text: string): HashAlgorithmInfo {
  const squashed = text.trim().toUpperCase().replace(/[-_\s]/g, "");
  const byName = REGISTRY.find((a) => a.name.replace(/-/g, "") === squashed);
  if (byName) return byName;
  if (/^(0X)?[0-9A-F]{1,2}$/.test(squashed)) {
    const id = squashed.startsWith("0X") ? parseInt(squashed.slice(2), 16) : parseInt(squashed, 10);
    if (!Number.isNaN(id) && isKnownAlgorithmId(id)) return algorithmInfo(id);
  }
  throw new AppError("UNKNOWN_ALGORITHM", `unknown hash algorithm ${describeValue(text)} (known: SHA-256, SHA3-256, BLAKE3)`);
}

type OneShot = ((data: Uint8Array) => Uint8Array) & { create(): { update(d: Uint8Array): unknown; digest(): Uint8Array } };

function nobleAlgorithm(info: HashAlgorithmInfo, fn: OneShot): HashAlgorithm {
  return {
    ...info,
    digest(...parts: Uint8Array[]): Uint8Array {
      if (parts.length === 1) return fn(parts[0]);
      const h = fn.create();
      for (const p of parts) h.update(p);
      return h.digest();
    },
  };
}

const NOBLE_ALGORITHMS: readonly HashAlgorithm[] = [
  nobleAlgorithm(REGISTRY[0], sha256 as unknown as OneShot),
  nobleAlgorithm(REGISTRY[1], sha3_256 as unknown as OneShot),
  nobleAlgorithm(REGISTRY[2], blake3 as unknown as OneShot),
];

/** Builds a suite from one implementation per registry entry (in id order). */
export function makeHashSuite(implementation: string, algorithms: readonly HashAlgorithm[]): HashSuite {
  return {
    implementation,
    get(id: number): HashAlgorithm {
      const info = algorithmInfo(id);
      return algorithms[info.id];
    },
  };
}

/** The reference suite: @noble/hashes, pure JS, identical in Node and the browser. */
export const nobleHashSuite: HashSuite = makeHashSuite("noble", NOBLE_ALGORITHMS);
