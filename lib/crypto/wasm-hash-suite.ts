/**
 * The server's HashSuite: hash-wasm (WebAssembly builds of the reference C code) for single digests, and this
 * repository's own whole-tree Merkle module (lib/crypto/wasm/merkle.c) for Merkle roots.
 *
 * Why: Merkle trees hash thousands of tiny inputs (a leaf is a statement of a few dozen bytes, a node is 65 bytes),
 * where per-call overhead dominates. Measured on the project's 2-core machine (64-byte input, µs per call):
 * node:crypto sha256 1.7, sha3-256 2.1; noble sha256 2.2, sha3-256 8.8, blake3 4.7; hash-wasm sha256 0.77,
 * sha3-256 0.64, blake3 0.43. One call per tree removes that overhead: the bench (`npm run bench`) re-measures all of
 * it every run, against node:crypto streaming the same bytes (the floor).
 *
 * The per-call hash-wasm suite stays available (loadPerCallWasmHashSuite) and is what the server falls back to if the
 * Merkle module cannot be instantiated. Every digest and root is cross-checked against @noble/hashes in
 * hash-algorithms.test.ts and wasm/merkle-wasm.test.ts. Browsers use nobleHashSuite.
 */
import { createBLAKE3, createSHA256, createSHA3, type IHasher } from "hash-wasm";
import { listHashAlgorithms, makeHashSuite, type HashAlgorithm, type HashSuite } from "./hash-algorithms";
import { createMerkleWasm, type MerkleWasm } from "./wasm/merkle-wasm";

function wasmAlgorithm(index: number, hasher: IHasher): HashAlgorithm {
  return {
    ...listHashAlgorithms()[index],
    digest(...parts: Uint8Array[]): Uint8Array {
      // One hasher instance per algorithm, reset per call: JS is single-threaded and digest() is synchronous,
      // so no two calls can interleave on the same instance.
      hasher.init();
      for (const p of parts) hasher.update(p);
      return hasher.digest("binary");
    },
  };
}

let loadingPerCall: Promise<HashSuite> | undefined;
let loading: Promise<HashSuite> | undefined;

/** Loads (once per thread) the hash-wasm suite: one WebAssembly call per digest, Merkle trees included. */
export function loadPerCallWasmHashSuite(): Promise<HashSuite> {
  loadingPerCall ??= Promise.all([createSHA256(), createSHA3(256), createBLAKE3(256)]).then(([sha2, sha3, b3]) =>
    makeHashSuite("hash-wasm", [wasmAlgorithm(0, sha2), wasmAlgorithm(1, sha3), wasmAlgorithm(2, b3)]),
  );
  return loadingPerCall;
}

/** Adds the whole-tree routine of `merkle` to each algorithm of `base`. */
export function withMerkleModule(base: HashSuite, merkle: MerkleWasm, implementation = "merkle-wasm"): HashSuite {
  const algorithms = listHashAlgorithms().map((info): HashAlgorithm => {
    const alg = base.get(info.id);
    return { ...alg, digest: alg.digest, merkleRoot: (leaves) => merkle.root(info.id, leaves) };
  });
  return makeHashSuite(implementation, algorithms);
}

/**
 * Loads (once per thread) the server suite: whole-tree Merkle roots in one WebAssembly call, hash-wasm for the rest.
 * Falls back to the per-call suite, with a warning, if the Merkle module cannot be instantiated.
 */
export function loadWasmHashSuite(): Promise<HashSuite> {
  loading ??= loadPerCallWasmHashSuite().then((perCall) => {
    try {
      return withMerkleModule(perCall, createMerkleWasm());
    } catch (error) {
      console.warn(`whole-tree Merkle module unavailable, hashing one call per node instead: ${error instanceof Error ? error.message : String(error)}`);
      return perCall;
    }
  });
  return loading;
}
