/**
 * The whole-tree Merkle module (merkle.c, built into merkle.wasm): one WebAssembly call hashes every leaf and node of
 * an RFC 9162 tree, so a 1000-leaf tree costs one JS→WebAssembly crossing and one copy instead of ~2,000 of each.
 *
 * The bytes come from merkle-wasm-bytes.ts (base64 of the committed merkle.wasm), so Node, worker threads and Next's
 * server bundle load it the same way with no file-system path to resolve. Instantiation is synchronous (8 KB).
 * Browsers keep the noble path (hash-algorithms.ts); nothing here touches the DOM or Node APIs.
 */
import type { PackedLeaves } from "../hash-algorithms";
import { MERKLE_WASM_BASE64 } from "./merkle-wasm-bytes";

interface MerkleExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  merkle_root(alg: number, data: number, offsets: number, count: number, levels: number, out: number): number;
  digest(alg: number, input: number, length: number, out: number): number;
}

/** A tree's hashes level by level: levels[0] are the leaf hashes, the last level is [root]. Empty tree: []. */
export type MerkleLevels = Uint8Array[][];

export interface MerkleWasm {
  /** The Merkle Tree Hash of the packed leaves under algorithm `algorithmId` (0 SHA-256, 1 SHA3-256, 2 BLAKE3). */
  root(algorithmId: number, leaves: PackedLeaves): Uint8Array;
  /** Every level of the same tree (for inclusion proofs), computed by the same single call. */
  levels(algorithmId: number, leaves: PackedLeaves): MerkleLevels;
  /** One digest of `data` by the module's own code (tests cross-check it against noble). */
  digest(algorithmId: number, data: Uint8Array): Uint8Array;
}

const PAGE = 65536;
const align8 = (n: number) => (n + 7) & ~7;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

let compiledModule: WebAssembly.Module | undefined;

/** The compiled module (compiled once per thread; each instance has its own memory). */
export function merkleWasmModule(): WebAssembly.Module {
  compiledModule ??= new WebAssembly.Module(decodeBase64(MERKLE_WASM_BASE64) as Uint8Array<ArrayBuffer>);
  return compiledModule;
}

/**
 * Hashes in all levels of a tree of `count` leaves: each level is ceil(half) of the one below, so at most
 * 2 * count - 1 plus one per level for the rounding (5 leaves: 5 + 3 + 2 + 1 = 11); 33 levels cover any u32 count.
 */
function levelCapacity(count: number): number {
  return 2 * count + 33;
}

function checkPacked({ bytes, offsets }: PackedLeaves): number {
  const count = offsets.length - 1;
  if (count < 0) throw new RangeError("packed leaves need count + 1 offsets (at least one)");
  if (offsets[count] > bytes.length) throw new RangeError(`the last leaf ends at ${offsets[count]}, past the ${bytes.length} bytes given`);
  for (let i = 0; i < count; i++) {
    if (offsets[i] > offsets[i + 1]) throw new RangeError(`leaf offsets must not decrease (offset ${i} is ${offsets[i]}, offset ${i + 1} is ${offsets[i + 1]})`);
  }
  return count;
}

/** Instantiates the module: one instance per caller, with memory grown on demand (never shrunk). */
export function createMerkleWasm(): MerkleWasm {
  const exports = new WebAssembly.Instance(merkleWasmModule(), {}).exports as unknown as MerkleExports;
  const base = align8(exports.heap_base());

  /** Makes room for `bytes` bytes of caller data after the heap base. */
  const reserve = (bytes: number) => {
    const needed = base + bytes;
    const have = exports.memory.buffer.byteLength;
    if (needed > have) exports.memory.grow(Math.ceil((needed - have) / PAGE));
  };

  /** Copies the leaves in and runs the tree in the module (memory already reserved by layout). */
  const run = (algorithmId: number, leaves: PackedLeaves, count: number, out: number, levelsAt: number) => {
    const end = leaves.offsets[count];
    const offsetsAt = align8(base + end);
    new Uint8Array(exports.memory.buffer).set(leaves.bytes.subarray(0, end), base);
    new Uint32Array(exports.memory.buffer, offsetsAt, count + 1).set(leaves.offsets);
    exports.merkle_root(algorithmId, base, offsetsAt, count, levelsAt, out);
  };

  const layout = (leaves: PackedLeaves, count: number) => {
    const offsetsAt = align8(base + leaves.offsets[count]);
    const out = align8(offsetsAt + 4 * (count + 1));
    const levelsAt = out + 32;
    reserve(levelsAt - base + 32 * levelCapacity(count));
    return { out, levelsAt };
  };

  const requireAlgorithm = (algorithmId: number) => {
    if (algorithmId !== 0 && algorithmId !== 1 && algorithmId !== 2) throw new RangeError(`the Merkle module knows algorithms 0, 1 and 2, not ${algorithmId}`);
  };

  return {
    root(algorithmId, leaves) {
      requireAlgorithm(algorithmId);
      const count = checkPacked(leaves);
      const { out, levelsAt } = layout(leaves, count);
      run(algorithmId, leaves, count, out, levelsAt);
      return new Uint8Array(exports.memory.buffer, out, 32).slice();
    },
    levels(algorithmId, leaves) {
      requireAlgorithm(algorithmId);
      const count = checkPacked(leaves);
      if (count === 0) return [];
      const { out, levelsAt } = layout(leaves, count);
      run(algorithmId, leaves, count, out, levelsAt);
      const all = new Uint8Array(exports.memory.buffer, levelsAt, 32 * levelCapacity(count));
      const result: MerkleLevels = [];
      let at = 0;
      for (let width = count; ; width = (width >> 1) + (width & 1)) {
        const level: Uint8Array[] = new Array(width);
        for (let i = 0; i < width; i++) level[i] = all.slice(32 * (at + i), 32 * (at + i + 1));
        result.push(level);
        at += width;
        if (width === 1) break;
      }
      return result;
    },
    digest(algorithmId, data) {
      requireAlgorithm(algorithmId);
      const out = align8(base + data.length);
      reserve(out + 32 - base);
      new Uint8Array(exports.memory.buffer).set(data, base);
      exports.digest(algorithmId, base, data.length, out);
      return new Uint8Array(exports.memory.buffer, out, 32).slice();
    },
  };
}
