import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { nobleHashSuite } from "../crypto/hash-algorithms";
import { loadWasmHashSuite } from "../crypto/wasm-hash-suite";
import { fromUserHex, toBareHex } from "../encoding/hex";
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "./merkle";

const ALGS = [0, 1, 2].map((id) => nobleHashSuite.get(id));

// RFC 6962 test leaves as used by transparency-dev/merkle and certificate-transparency-go, with their published
// SHA-256 roots for the prefixes of size 1..8 (see test-vectors/merkle-rfc6962.json for proofs and sources).
const RFC_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(fromUserHex);
const RFC_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/**
 * An independent reference: RFC 9162 §2.1.1 written out literally (top-down recursion, split at the largest power of
 * two below n) with node:crypto, sharing no code with merkle.ts.
 */
function referenceRoot(nodeAlg: "sha256" | "sha3-256", leaves: Uint8Array[]): string {
  const h = (...parts: Uint8Array[]) => {
    const c = createHash(nodeAlg);
    for (const p of parts) c.update(p);
    return new Uint8Array(c.digest());
  };
  const mth = (d: Uint8Array[]): Uint8Array => {
    if (d.length === 0) return h();
    if (d.length === 1) return h(Uint8Array.of(0), d[0]);
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return h(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
  };
  return toBareHex(mth(leaves));
}

const leavesArb = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 70 });

describe("merkleRoot", () => {
  it("equals the published RFC 6962 roots for every prefix of the test leaves (SHA-256)", () => {
    for (let n = 0; n <= 8; n++) expect(toBareHex(merkleRoot(ALGS[0], RFC_LEAVES.slice(0, n))), `size ${n}`).toBe(RFC_ROOTS[n]);
  });

  it("is HASH() for the empty tree and HASH(0x00 || d) for one leaf, for every algorithm", () => {
    for (const alg of ALGS) {
      expect(merkleRoot(alg, [])).toEqual(alg.digest(new Uint8Array(0)));
      expect(emptyRoot(alg)).toEqual(alg.digest(new Uint8Array(0)));
      expect(merkleRoot(alg, [Uint8Array.of(7)])).toEqual(alg.digest(Uint8Array.of(0, 7)));
      expect(leafHash(alg, Uint8Array.of(7))).toEqual(alg.digest(Uint8Array.of(0, 7)));
      expect(nodeHash(alg, Uint8Array.of(1), Uint8Array.of(2))).toEqual(alg.digest(Uint8Array.of(1, 1, 2)));
    }
  });

  it("agrees with a literal top-down RFC 9162 implementation for any leaves (SHA-256 and SHA3-256)", () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        expect(toBareHex(merkleRoot(ALGS[0], leaves))).toBe(referenceRoot("sha256", leaves));
        expect(toBareHex(merkleRoot(ALGS[1], leaves))).toBe(referenceRoot("sha3-256", leaves));
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same root with the wasm suite as with noble", async () => {
    const wasm = await loadWasmHashSuite();
    fc.assert(
      fc.property(leavesArb, fc.integer({ min: 0, max: 2 }), (leaves, id) => {
        expect(merkleRoot(wasm.get(id), leaves)).toEqual(merkleRoot(ALGS[id], leaves));
      }),
      { numRuns: 100 },
    );
  });

  it("never duplicates a leaf: [1..6] and [1..6,5,6] have different roots (CVE-2012-2459)", () => {
    const six = [1, 2, 3, 4, 5, 6].map((b) => Uint8Array.of(b));
    const mutated = [...six, Uint8Array.of(5), Uint8Array.of(6)];
    for (const alg of ALGS) expect(merkleRoot(alg, six)).not.toEqual(merkleRoot(alg, mutated));
  });

  it("keeps a 64-byte leaf from passing for an inner node (second-preimage resistance)", () => {
    for (const alg of ALGS) {
      const a = leafHash(alg, Uint8Array.of(1));
      const b = leafHash(alg, Uint8Array.of(2));
      const inner = merkleRoot(alg, [Uint8Array.of(1), Uint8Array.of(2)]);
      const forged = new Uint8Array([...a, ...b]);
      expect(merkleRoot(alg, [forged])).not.toEqual(inner);
    }
  });
});

describe("inclusionProof / verifyInclusion", () => {
  it("every leaf's proof verifies, for every algorithm and tree size", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 70 }), fc.integer({ min: 0, max: 2 }), (leaves, id) => {
        const alg = ALGS[id];
        const root = merkleRoot(alg, leaves);
        leaves.forEach((leaf, i) => {
          const proof = inclusionProof(alg, leaves, i);
          expect(verifyInclusion(alg, leaf, proof, root)).toBe(true);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("no proof verifies against a different root, index, leaf or path", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 20 }), { minLength: 2, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 0, max: 2 }),
        (raw, pick, id) => {
          // Distinct leaves, so "a different leaf" really is different.
          const leaves = raw.map((l, i) => new Uint8Array([...l, i]));
          const alg = ALGS[id];
          const root = merkleRoot(alg, leaves);
          const i = pick % leaves.length;
          const proof = inclusionProof(alg, leaves, i);
          const otherRoot = merkleRoot(alg, leaves.slice(0, -1));
          expect(verifyInclusion(alg, leaves[i], proof, otherRoot)).toBe(false);
          const j = (i + 1) % leaves.length;
          expect(verifyInclusion(alg, leaves[i], { ...proof, leafIndex: j }, root)).toBe(false);
          expect(verifyInclusion(alg, leaves[j], proof, root)).toBe(false);
          if (proof.path.length > 0) {
            expect(verifyInclusion(alg, leaves[i], { ...proof, path: proof.path.slice(0, -1) }, root)).toBe(false);
            const flipped = proof.path.map((p) => p.slice());
            flipped[0][0] ^= 1;
            expect(verifyInclusion(alg, leaves[i], { ...proof, path: flipped }, root)).toBe(false);
          }
          expect(verifyInclusion(alg, leaves[i], { ...proof, path: [...proof.path, root] }, root)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  // The tree size is not bound by the root: RFC 9162 verifiers take (size, root) from a signed tree head. So a proof
  // may also verify for another size whose tree shape agrees along the path; that is by design, not tested against.

  it("refuses an index outside the tree when building, and fails it when verifying", () => {
    const alg = ALGS[0];
    expect(() => inclusionProof(alg, RFC_LEAVES, 8)).toThrow(/outside the tree of 8 leaves/);
    expect(() => inclusionProof(alg, [], 0)).toThrow(/outside the tree/);
    expect(rootFromInclusionProof(alg, leafHash(alg, RFC_LEAVES[0]), { leafIndex: 8, treeSize: 8, path: [] })).toBeUndefined();
    expect(rootFromInclusionProof(alg, leafHash(alg, RFC_LEAVES[0]), { leafIndex: -1, treeSize: 8, path: [] })).toBeUndefined();
  });

  it("the proof of a single-leaf tree is empty", () => {
    const proof = inclusionProof(ALGS[1], [Uint8Array.of(9)], 0);
    expect(proof.path).toEqual([]);
    expect(verifyInclusion(ALGS[1], Uint8Array.of(9), proof, merkleRoot(ALGS[1], [Uint8Array.of(9)]))).toBe(true);
  });
});

describe("consistencyProof / verifyConsistency", () => {
  it("every old size is proven consistent with every new size", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 10 }), { minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 2 }), (leaves, pick, id) => {
        const alg = ALGS[id];
        const n = leaves.length;
        const m = (pick % n) + 1;
        const proof = consistencyProof(alg, leaves, m);
        const oldRoot = merkleRoot(alg, leaves.slice(0, m));
        const newRoot = merkleRoot(alg, leaves);
        expect(verifyConsistency(alg, m, n, oldRoot, newRoot, proof)).toBe(true);
        if (m < n) {
          // A different old tree, or a different new tree, is not consistent.
          const changed = leaves.map((l) => l.slice());
          changed[0] = new Uint8Array([...changed[0], 1]);
          expect(verifyConsistency(alg, m, n, merkleRoot(alg, changed.slice(0, m)), newRoot, proof)).toBe(false);
          expect(verifyConsistency(alg, m, n, oldRoot, merkleRoot(alg, changed), proof)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("an equal-size proof is empty and needs equal roots; sizes out of range fail", () => {
    const alg = ALGS[0];
    const root = merkleRoot(alg, RFC_LEAVES);
    expect(consistencyProof(alg, RFC_LEAVES, 8)).toEqual([]);
    expect(verifyConsistency(alg, 8, 8, root, root, [])).toBe(true);
    expect(verifyConsistency(alg, 0, 8, root, root, [])).toBe(false);
    expect(verifyConsistency(alg, 9, 8, root, root, [])).toBe(false);
    expect(() => consistencyProof(alg, RFC_LEAVES, 0)).toThrow(/between 1 and/);
  });
});

describe("verifyConsistency on trees far above 2^32 leaves", () => {
  // A tree whose leaves are all equal has subtree roots that depend only on the subtree's size, so proofs for sizes
  // up to 2^53 - 1 can be built (RFC 9162 SUBPROOF, memoised by size) without the leaves. Sizes such as 2^32 + 1
  // catch 32-bit shortcuts (`m & (m - 1)`) in the verifier.
  const alg = nobleHashSuite.get(0x00);
  const leaf = leafHash(alg, new Uint8Array([7]));
  const roots = new Map<number, Uint8Array>();
  const largestPowerBelow = (n: number) => {
    let k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  };
  const root = (n: number): Uint8Array => {
    if (n === 1) return leaf;
    const known = roots.get(n);
    if (known) return known;
    const k = largestPowerBelow(n);
    const value = nodeHash(alg, root(k), root(n - k));
    roots.set(n, value);
    return value;
  };
  const subproof = (m: number, n: number, complete: boolean): Uint8Array[] => {
    if (m === n) return complete ? [] : [root(m)];
    const k = largestPowerBelow(n);
    return m <= k ? [...subproof(m, k, complete), root(n - k)] : [...subproof(m - k, n - k, false), root(k)];
  };

  it("accepts the true proof and rejects it against the wrong sizes (property)", () => {
    const size = fc.oneof(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 33 + 2 ** 32, 2 ** 52 + 1, Number.MAX_SAFE_INTEGER));
    fc.assert(
      fc.property(size, size, (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const proof = subproof(m, n, true);
        expect(verifyConsistency(alg, m, n, root(m), root(n), proof)).toBe(true);
        if (m !== n) expect(verifyConsistency(alg, m, n, root(n), root(m), proof)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("verifies 2^32 + 1 → 2^32 + 2, which a 32-bit power-of-two test misreads", () => {
    const m = 2 ** 32 + 1;
    expect(verifyConsistency(alg, m, m + 1, root(m), root(m + 1), subproof(m, m + 1, true))).toBe(true);
  });
});
