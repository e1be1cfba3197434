/**
 * Bench-only variants of two lib/ functions, to measure a proposed change without making it: the validation
 * breakdown times validateBlock with these beside the stock code, so a recommendation comes with its gain.
 *
 * - A hash-wasm suite whose digest copies a call's parts into one long-lived buffer and hands hash-wasm a single
 *   update. Each update() is a JS-to-wasm call that first wraps its input in a new view of `input.buffer`; for a
 *   small, freshly allocated Uint8Array (a digest just returned) V8 keeps the bytes on its heap and must first move
 *   them into a separate ArrayBuffer, which costs about as much as hashing 65 bytes. Copying into a buffer that
 *   already lives off-heap avoids that, and makes one update call per hash whatever the caller passes (a Merkle
 *   leaf is prefix + data, a dual commitment four parts).
 * - encodeStatements with TextEncoder.encodeInto into one shared buffer, instead of one encode() (one new
 *   ArrayBuffer) per statement.
 *
 * Both produce identical bytes and digests; the breakdown checks that before timing.
 */
import { createBLAKE3, createSHA256, createSHA3, type IHasher } from "hash-wasm";
import { listHashAlgorithms, makeHashSuite, type HashAlgorithm, type HashSuite } from "../../lib/crypto/hash-algorithms";

/** Inputs up to this size are copied; above it copying costs more than the per-call overhead it saves. */
const COPY_LIMIT = 4096;

function singleBufferAlgorithm(index: number, hasher: IHasher): HashAlgorithm {
  const scratch = new Uint8Array(COPY_LIMIT);
  return {
    ...listHashAlgorithms()[index],
    digest(...parts: Uint8Array[]): Uint8Array {
      hasher.init();
      let total = 0;
      for (const p of parts) total += p.length;
      if (total > COPY_LIMIT) {
        for (const p of parts) hasher.update(p);
      } else {
        let offset = 0;
        for (const p of parts) {
          scratch.set(p, offset);
          offset += p.length;
        }
        hasher.update(scratch.subarray(0, offset));
      }
      return hasher.digest("binary");
    },
  };
}

/** The variant suite (its own hash-wasm instances, so the stock suite's are untouched). */
export async function loadSingleBufferWasmSuite(): Promise<HashSuite> {
  const [sha2, sha3, b3] = await Promise.all([createSHA256(), createSHA3(256), createBLAKE3(256)]);
  return makeHashSuite("hash-wasm, single-buffer digest", [
    singleBufferAlgorithm(0, sha2),
    singleBufferAlgorithm(1, sha3),
    singleBufferAlgorithm(2, b3),
  ]);
}

/** The UTF-8 bytes of every statement, as views into one buffer (same bytes as lib's encodeStatements). */
export function encodeStatementsIntoOneBuffer(statements: readonly string[]): Uint8Array[] {
  const encoder = new TextEncoder();
  let capacity = 0;
  for (const s of statements) capacity += s.length * 3; // a UTF-16 code unit never needs more than 3 UTF-8 bytes
  const buffer = new Uint8Array(capacity);
  const out: Uint8Array[] = new Array(statements.length);
  let offset = 0;
  for (let i = 0; i < statements.length; i++) {
    const { written } = encoder.encodeInto(statements[i], buffer.subarray(offset));
    out[i] = buffer.subarray(offset, offset + written);
    offset += written;
  }
  return out;
}
