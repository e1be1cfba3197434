/**
 * A faster HashSuite for the server, built on hash-wasm (WebAssembly builds of the reference C code).
 *
 * Why: Merkle trees hash thousands of tiny inputs (a leaf is a statement of a few dozen bytes, a node is 65 bytes),
 * where per-call overhead dominates. Measured on the project's 2-core machine (64-byte input, µs per call):
 * node:crypto sha256 1.7, sha3-256 2.1; noble sha256 2.2, sha3-256 8.8, blake3 4.7; hash-wasm sha256 0.77,
 * sha3-256 0.64, blake3 0.43. The bench (`npm run bench`) re-measures this every run.
 *
 * Every digest is cross-checked against @noble/hashes and node:crypto in hash-algorithms.test.ts. Browsers use
 * nobleHashSuite.
 */
import { createBLAKE3, createSHA256, createSHA3, type IHasher } from "hash-wasm";
import { listHashAlgorithms, makeHashSuite, type HashAlgorithm, type HashSuite } from "./hash-algorithms";

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

let loading: Promise<HashSuite> | undefined;

/** Loads (once per process) the hash-wasm suite. */
export function loadWasmHashSuite(): Promise<HashSuite> {
  loading ??= Promise.all([createSHA256(), createSHA3(256), createBLAKE3(256)]).then(([sha2, sha3, b3]) =>
    makeHashSuite("hash-wasm", [wasmAlgorithm(0, sha2), wasmAlgorithm(1, sha3), wasmAlgorithm(2, b3)]),
  );
  return loading;
}
