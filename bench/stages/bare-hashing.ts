/**
 * Bare hashing: the hash calls a block's commitments need, made directly on the suite and nothing else.
 *
 * The same calls the consensus code makes, with the same input sizes (RFC 9162 §2.1.1 leaves 0x00 || statement,
 * nodes 0x01 || left || right; header hashes 0x02 || header; the dual commitment, docs/spec/consensus.md §4), but
 * each as one digest call over bytes prepared in advance in long-lived buffers: no text encoding, no hex, no block
 * objects, no multi-part updates. Measured in the same run as sealing and validation, it is the floor under both,
 * so "validation = 1.3× bare hashing" reads as "30% of the time goes to something other than hashing".
 *
 * An algorithm with a whole-tree routine (HashAlgorithm.merkleRoot, the server's WebAssembly module) hashes each tree
 * in that one call on the packed leaves, which is the bare cost of that design.
 *
 * `streamingFloor` hashes the same number of bytes with node:crypto (OpenSSL) as one large buffer per algorithm: no
 * per-call cost and no per-message padding at all, a floor no design that hashes each leaf and node can beat.
 *
 * The roots it computes are the real ones: the consensus stage checks them against the sealed blocks before timing.
 */
import { createHash } from "node:crypto";
import type { HashAlgorithm, PackedLeaves } from "../../lib/crypto/hash-algorithms";

const LEAF = 0x00;
const NODE = 0x01;
const HEADER = 0x02;
const DUAL_COMMITMENT = 0x03;
const SHA256_ID = 0x00;

export class BareBlockHashing {
  /** 0x00 || UTF-8(statement), as views into one buffer. */
  private readonly leafInputs: Uint8Array[];
  /** The same leaf inputs as one buffer and offsets, for whole-tree routines. */
  private readonly packed: PackedLeaves;
  /** Buffers of exactly the bytes one dual block hashes with SHA-256 and with SHA3-256, for the streaming floor. */
  private readonly floorInputs: { sha256: Uint8Array; sha3: Uint8Array };
  /** 0x02 || the predecessor's header bytes. */
  private readonly prevHeaderInput: Uint8Array;
  /** Reused for every inner node: 0x01 || left || right. */
  private readonly nodeInput = new Uint8Array(1 + 32 + 32);
  /** Reused for the commitment: 0x03 || 0x00 || legacy root || pq id || pq root. */
  private readonly commitmentInput = new Uint8Array(2 + 32 + 1 + 32);

  constructor(statements: readonly string[], prevHeaderBytes: Uint8Array) {
    const encoder = new TextEncoder();
    const encoded = statements.map((s) => encoder.encode(s));
    const all = new Uint8Array(encoded.reduce((sum, e) => sum + 1 + e.length, 0));
    this.leafInputs = [];
    const offsets = new Uint32Array(encoded.length + 1);
    let offset = 0;
    for (const [i, e] of encoded.entries()) {
      offsets[i] = offset;
      all[offset] = LEAF;
      all.set(e, offset + 1);
      this.leafInputs.push(all.subarray(offset, offset + 1 + e.length));
      offset += 1 + e.length;
    }
    offsets[encoded.length] = offset;
    this.packed = { bytes: all, offsets };
    this.prevHeaderInput = new Uint8Array(1 + prevHeaderBytes.length);
    this.prevHeaderInput[0] = HEADER;
    this.prevHeaderInput.set(prevHeaderBytes, 1);
    this.nodeInput[0] = NODE;
    this.commitmentInput[0] = DUAL_COMMITMENT;
    this.commitmentInput[1] = SHA256_ID;
    // Per tree: every leaf input, 65 bytes per inner node (n - 1 of them), then the predecessor's header input; the
    // SHA3-256 side also hashes the 67-byte dual commitment.
    const perTree = all.length + 65 * Math.max(encoded.length - 1, 0) + this.prevHeaderInput.length;
    this.floorInputs = { sha256: new Uint8Array(perTree).fill(0x5a), sha3: new Uint8Array(perTree + this.commitmentInput.length).fill(0x5a) };
  }

  /** Bytes a dual block hashes under SHA-256 and under SHA3-256 (what streamingFloor hashes). */
  floorBytes(): { sha256: number; sha3: number } {
    return { sha256: this.floorInputs.sha256.length, sha3: this.floorInputs.sha3.length };
  }

  /** node:crypto SHA-256 and SHA3-256 over one buffer each of the dual block's byte counts: the streaming floor. */
  streamingFloor(): [Buffer, Buffer] {
    return [createHash("sha256").update(this.floorInputs.sha256).digest(), createHash("sha3-256").update(this.floorInputs.sha3).digest()];
  }

  /** The Merkle Tree Hash of the statements (bottom-up, the odd last node carried up, as lib/consensus/merkle.ts). */
  merkleRoot(alg: HashAlgorithm): Uint8Array {
    if (alg.merkleRoot) return alg.merkleRoot(this.packed);
    if (this.leafInputs.length === 0) return alg.digest(new Uint8Array(0));
    let level = this.leafInputs.map((input) => alg.digest(input));
    const node = this.nodeInput;
    while (level.length > 1) {
      const next: Uint8Array[] = new Array(Math.ceil(level.length / 2));
      for (let i = 0; i + 1 < level.length; i += 2) {
        node.set(level[i], 1);
        node.set(level[i + 1], 33);
        next[i >> 1] = alg.digest(node);
      }
      if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1];
      level = next;
    }
    return level[0];
  }

  /** The predecessor's block hash under `alg`. */
  prevBlockHash(alg: HashAlgorithm): Uint8Array {
    return alg.digest(this.prevHeaderInput);
  }

  /** The dual commitment over the two roots, hashed with the PQ algorithm. */
  dualCommitment(pqAlg: HashAlgorithm, legacyRoot: Uint8Array, pqRoot: Uint8Array): Uint8Array {
    const input = this.commitmentInput;
    input.set(legacyRoot, 2);
    input[34] = pqAlg.id;
    input.set(pqRoot, 35);
    return pqAlg.digest(input);
  }

  /** Everything a legacy block needs: the SHA-256 tree and the predecessor's SHA-256 hash. */
  legacyBlock(sha256: HashAlgorithm): { root: Uint8Array; prevHash: Uint8Array } {
    return { root: this.merkleRoot(sha256), prevHash: this.prevBlockHash(sha256) };
  }

  /** Everything a dual block needs: both trees, the predecessor's hash under both, and the dual commitment. */
  dualBlock(sha256: HashAlgorithm, pqAlg: HashAlgorithm): { root: Uint8Array; pqRoot: Uint8Array; prevHash: Uint8Array; pqPrevHash: Uint8Array; commitment: Uint8Array } {
    const root = this.merkleRoot(sha256);
    const pqRoot = this.merkleRoot(pqAlg);
    return {
      root,
      pqRoot,
      prevHash: this.prevBlockHash(sha256),
      pqPrevHash: this.prevBlockHash(pqAlg),
      commitment: this.dualCommitment(pqAlg, root, pqRoot),
    };
  }
}
