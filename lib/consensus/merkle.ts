/**
 * Merkle trees as defined by RFC 9162 §2.1 (Certificate Transparency v2), with the hash as a parameter.
 *
 *   MTH({})     = HASH()                                    the empty tree
 *   MTH({d0})   = HASH(0x00 || d0)                          a leaf
 *   MTH(D[n])   = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))  k = the largest power of two smaller than n
 *
 * No leaf is ever duplicated (unlike Bitcoin's tree, CVE-2012-2459), and the 0x00/0x01 prefixes keep a leaf from
 * passing for an inner node. With SHA-256 the root is exactly RFC 6962's Merkle Tree Hash.
 *
 * Inclusion proofs follow §2.1.3 (PATH and its verification algorithm), consistency proofs §2.1.4.
 */
import { AppError } from "../errors";
import { bytesEqual } from "../encoding/hex";
import type { HashAlgorithm, PackedLeaves } from "../crypto/hash-algorithms";

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** HASH(0x00 || data), RFC 9162 §2.1.1. */
export function leafHash(alg: HashAlgorithm, data: Uint8Array): Uint8Array {
  return alg.digest(LEAF_PREFIX, data);
}

// One scratch buffer for node inputs: a node hash is one 65-byte input, so copying both children into place and
// hashing once beats three separate update() calls (this is the innermost loop of every tree).
const nodeInput = new Uint8Array(65);
nodeInput[0] = 0x01;

/** HASH(0x01 || left || right), RFC 9162 §2.1.1. */
export function nodeHash(alg: HashAlgorithm, left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== 32 || right.length !== 32) return alg.digest(NODE_PREFIX, left, right);
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return alg.digest(nodeInput);
}

/** The root of the empty tree: HASH() of no input. */
export function emptyRoot(alg: HashAlgorithm): Uint8Array {
  return alg.digest(new Uint8Array(0));
}

/** The Merkle Tree Hash from leaf-hash inputs already prefixed with 0x00 (see encodeLeaves in block.ts). */
export function merkleRootOfPrefixedLeaves(alg: HashAlgorithm, prefixed: readonly Uint8Array[]): Uint8Array {
  return merkleRootOfLeafHashes(
    alg,
    prefixed.map((p) => alg.digest(p)),
  );
}

/**
 * The Merkle Tree Hash of leaf-hash inputs given both ways (as encodeLeaves in block.ts returns them): in one call to
 * the algorithm's whole-tree routine when it has one, else one digest per leaf and node. Both give the same root;
 * lib/crypto/wasm/merkle-wasm.test.ts checks that against noble on the golden vectors and on random trees.
 */
export function merkleRootOfLeafInputs(alg: HashAlgorithm, leaves: { prefixed: readonly Uint8Array[]; packed: PackedLeaves }): Uint8Array {
  return alg.merkleRoot ? alg.merkleRoot(leaves.packed) : merkleRootOfPrefixedLeaves(alg, leaves.prefixed);
}

/** Leaf data packed for a whole-tree routine: each leaf as 0x00 || data, back to back, with count + 1 offsets. */
export function packLeafData(leaves: readonly Uint8Array[]): PackedLeaves {
  let total = 0;
  for (const d of leaves) total += 1 + d.length;
  const bytes = new Uint8Array(total);
  const offsets = new Uint32Array(leaves.length + 1);
  let at = 0;
  leaves.forEach((d, i) => {
    offsets[i] = at;
    bytes.set(d, at + 1); // bytes[at] stays 0x00, the leaf prefix
    at += 1 + d.length;
  });
  offsets[leaves.length] = at;
  return { bytes, offsets };
}

/** The Merkle Tree Hash of a list of leaf data. */
export function merkleRoot(alg: HashAlgorithm, leaves: readonly Uint8Array[]): Uint8Array {
  if (alg.merkleRoot) return alg.merkleRoot(packLeafData(leaves));
  return merkleRootOfLeafHashes(
    alg,
    leaves.map((d) => leafHash(alg, d)),
  );
}

/**
 * The Merkle Tree Hash from already-computed leaf hashes.
 *
 * Computed bottom-up: pair neighbours on each level and carry an odd last node up unchanged. This is the same tree
 * as RFC 9162's top-down split at the largest power of two (the left subtree is always complete, so the only node
 * without a partner on a level is the rightmost one); merkle.test.ts checks the two against each other.
 */
export function merkleRootOfLeafHashes(alg: HashAlgorithm, hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot(alg);
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = nodeHash(alg, level[i], level[i + 1]);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1];
    level = next;
  }
  return level[0];
}

/** An inclusion proof (audit path) for one leaf, RFC 9162 §2.1.3.1. */
export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes from the leaf's level up to the root. */
  path: Uint8Array[];
}

function requireIndex(index: number, size: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new AppError("INDEX_OUT_OF_RANGE", `leaf index ${index} is outside the tree of ${size} leaves (valid: 0..${size - 1})`);
  }
}

/** Builds the inclusion proof of leaf `index` in the tree of `leaves` (leaf data, not hashes). */
export function inclusionProof(alg: HashAlgorithm, leaves: readonly Uint8Array[], index: number): InclusionProof {
  return inclusionProofFromLeafHashes(
    alg,
    leaves.map((d) => leafHash(alg, d)),
    index,
  );
}

/** Builds the inclusion proof of leaf `index` from the tree's leaf hashes. */
export function inclusionProofFromLeafHashes(alg: HashAlgorithm, hashes: readonly Uint8Array[], index: number): InclusionProof {
  requireIndex(index, hashes.length);
  const path: Uint8Array[] = [];
  let level = hashes.slice();
  let position = index;
  while (level.length > 1) {
    const sibling = position ^ 1;
    // The rightmost node of an odd level has no sibling: it is carried up and contributes nothing to the path.
    if (sibling < level.length) path.push(level[sibling]);
    const next: Uint8Array[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = nodeHash(alg, level[i], level[i + 1]);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1];
    level = next;
    position >>= 1;
  }
  return { leafIndex: index, treeSize: hashes.length, path };
}

/** One step of recomputing a root from an audit path, for callers that show the path (the explorer). */
export interface InclusionStep {
  /** Tree level at which the sibling joins (0 = the leaves). */
  level: number;
  /** Where the sibling goes in HASH(0x01 || left || right). */
  siblingSide: "left" | "right";
  sibling: Uint8Array;
  /** The node hash after joining. */
  result: Uint8Array;
}

/**
 * Recomputes the root from a leaf hash and its audit path, RFC 9162 §2.1.3.2. Returns undefined when the path has
 * the wrong shape for (leafIndex, treeSize) — too long, too short, or an index outside the tree. `onStep`, when
 * given, sees each join in order.
 */
export function rootFromInclusionProof(
  alg: HashAlgorithm,
  leafHashValue: Uint8Array,
  proof: InclusionProof,
  onStep?: (step: InclusionStep) => void,
): Uint8Array | undefined {
  const { leafIndex, treeSize, path } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return undefined;
  // Plain numbers: tree sizes here stay far below 2^31, so the halvings below are exact.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let level = 0;
  let r = leafHashValue;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      // The RFC shifts fn and sn past the levels where the node is carried up unpaired right after this join; doing
      // it just before is the same arithmetic (the shifts do not depend on r) and tells the level the join is at.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
        level++;
      }
      r = nodeHash(alg, p, r);
      onStep?.({ level, siblingSide: "left", sibling: p, result: r });
    } else {
      r = nodeHash(alg, r, p);
      onStep?.({ level, siblingSide: "right", sibling: p, result: r });
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    level++;
  }
  return sn === 0 ? r : undefined;
}

/** True when `proof` shows that `leafData` is leaf `proof.leafIndex` of the tree with root `root`. */
export function verifyInclusion(alg: HashAlgorithm, leafData: Uint8Array, proof: InclusionProof, root: Uint8Array): boolean {
  const computed = rootFromInclusionProof(alg, leafHash(alg, leafData), proof);
  return computed !== undefined && bytesEqual(computed, root);
}

/** MTH of hashes[lo:hi] (hi > lo). */
function subtreeRoot(alg: HashAlgorithm, hashes: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  return merkleRootOfLeafHashes(alg, hashes.slice(lo, hi));
}

/** True for 1, 2, 4, ...; by halving, not with `&`, which works on 32 bits and misreads sizes above 2^32 (spec §2.4). */
function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The consistency proof between the tree of the first `oldSize` leaves and the tree of all leaves,
 * RFC 9162 §2.1.4.1 (PROOF(m, D[n]) = SUBPROOF(m, D[n], true)). Requires 0 < oldSize <= leaves.length.
 */
export function consistencyProof(alg: HashAlgorithm, leaves: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  const hashes = leaves.map((d) => leafHash(alg, d));
  if (!Number.isInteger(oldSize) || oldSize < 1 || oldSize > hashes.length) {
    throw new AppError("INDEX_OUT_OF_RANGE", `old tree size ${oldSize} must be between 1 and the new size ${hashes.length}`);
  }
  const proof: Uint8Array[] = [];
  const subproof = (m: number, lo: number, hi: number, complete: boolean): void => {
    const n = hi - lo;
    if (m === n) {
      if (!complete) proof.push(subtreeRoot(alg, hashes, lo, hi));
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, lo, lo + k, complete);
      proof.push(subtreeRoot(alg, hashes, lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false);
      proof.push(subtreeRoot(alg, hashes, lo, lo + k));
    }
  };
  subproof(oldSize, 0, hashes.length, true);
  return proof;
}

/** Verifies a consistency proof, RFC 9162 §2.1.4.2 (with the equal-size case: an empty proof and equal roots). */
export function verifyConsistency(
  alg: HashAlgorithm,
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 1 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(alg, c, fr);
      sr = nodeHash(alg, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(alg, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}
