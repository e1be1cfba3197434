/**
 * The browser's inclusion check, cross-checked against lib/consensus/merkle.ts. Note: vitest.config.ts does not list
 * components/ yet, so `npm test` skips this file until "components/**\/*.test.ts" is added to its include list.
 */
import { describe, expect, it } from "vitest";

import { nobleHashSuite, SHA256_ID, SHA3_256_ID, BLAKE3_ID } from "@/lib/crypto/hash-algorithms";
import { encodeStatements } from "@/lib/consensus/block";
import { inclusionProof, leafHash, merkleRoot, rootFromInclusionProof } from "@/lib/consensus/merkle";
import { toHex } from "@/lib/encoding/hex";

import { checkStatementInclusion, declaredRoots, traceInclusionProof, type DeclaredRoot } from "./inclusion-proof";

const statements = (n: number) => Array.from({ length: n }, (_, i) => `statement ${i}: ${i} * ${i} = ${i * i}`);

function rootsFor(list: string[]): DeclaredRoot[] {
  const leaves = encodeStatements(list);
  return [
    { label: "Legacy root", field: "merkle_root", algorithmId: SHA256_ID, value: toHex(merkleRoot(nobleHashSuite.get(SHA256_ID), leaves)) },
    { label: "PQ root", field: "pq_merkle_root", algorithmId: SHA3_256_ID, value: toHex(merkleRoot(nobleHashSuite.get(SHA3_256_ID), leaves)) },
  ];
}

describe("traceInclusionProof", () => {
  it("ends at lib's recomputed root for every leaf of every tree size up to 17, for each algorithm", () => {
    for (const id of [SHA256_ID, SHA3_256_ID, BLAKE3_ID]) {
      const alg = nobleHashSuite.get(id);
      for (let n = 1; n <= 17; n++) {
        const leaves = encodeStatements(statements(n));
        for (let i = 0; i < n; i++) {
          const proof = inclusionProof(alg, leaves, i);
          const leaf = leafHash(alg, leaves[i]);
          const trace = traceInclusionProof(alg, leaf, i, n, proof.path)!;
          expect(toHex(trace.root)).toBe(toHex(rootFromInclusionProof(alg, leaf, proof)!));
          expect(trace.steps).toHaveLength(proof.path.length);
        }
      }
    }
  });

  it("places the last leaf of a 5-leaf tree against the 4-leaf subtree on its left, at level 2", () => {
    const alg = nobleHashSuite.get(SHA256_ID);
    const leaves = encodeStatements(statements(5));
    const proof = inclusionProof(alg, leaves, 4);
    const trace = traceInclusionProof(alg, leafHash(alg, leaves[4]), 4, 5, proof.path)!;
    expect(trace.steps.map((s) => [s.level, s.siblingSide])).toEqual([[2, "left"]]);
  });

  it("puts the sibling of leaf 0 on the right at every level", () => {
    const alg = nobleHashSuite.get(SHA256_ID);
    const leaves = encodeStatements(statements(8));
    const proof = inclusionProof(alg, leaves, 0);
    const trace = traceInclusionProof(alg, leafHash(alg, leaves[0]), 0, 8, proof.path)!;
    expect(trace.steps.map((s) => [s.level, s.siblingSide])).toEqual([
      [0, "right"],
      [1, "right"],
      [2, "right"],
    ]);
  });

  it("refuses a path of the wrong length or an index outside the tree", () => {
    const alg = nobleHashSuite.get(SHA256_ID);
    const leaves = encodeStatements(statements(4));
    const proof = inclusionProof(alg, leaves, 1);
    const leaf = leafHash(alg, leaves[1]);
    expect(traceInclusionProof(alg, leaf, 1, 4, proof.path.slice(1))).toBeNull();
    expect(traceInclusionProof(alg, leaf, 1, 4, [...proof.path, proof.path[0]])).toBeNull();
    expect(traceInclusionProof(alg, leaf, 4, 4, proof.path)).toBeNull();
  });
});

describe("checkStatementInclusion", () => {
  it("matches both roots for every statement of an intact block", () => {
    const list = statements(7);
    const roots = rootsFor(list);
    for (let i = 0; i < list.length; i++) {
      const checks = checkStatementInclusion(list, i, roots);
      expect(checks.map((c) => [c.label, c.algorithmName, c.status])).toEqual([
        ["Legacy root", "SHA-256", "match"],
        ["PQ root", "SHA3-256", "match"],
      ]);
      expect(checks[0].computedRoot).toBe(roots[0].value);
    }
  });

  it("reports a mismatch on both roots when a statement was changed after sealing, for every statement", () => {
    const list = statements(6);
    const roots = rootsFor(list);
    const tampered = [...list];
    tampered[2] = "statement 2: 2 * 2 = 5";
    for (let i = 0; i < tampered.length; i++) {
      const checks = checkStatementInclusion(tampered, i, roots);
      expect(checks.map((c) => c.status)).toEqual(["mismatch", "mismatch"]);
      expect(checks[0].note).toMatch(/differs from the root the block declares/);
    }
  });

  it("proves the single statement of a one-statement block with an empty audit path", () => {
    const list = statements(1);
    const [legacy] = checkStatementInclusion(list, 0, rootsFor(list));
    expect(legacy.status).toBe("match");
    expect(legacy.steps).toEqual([]);
    expect(legacy.computedRoot).toBe(legacy.leafHash);
  });

  it("cannot verify against an unknown algorithm, a malformed root or a statement that does not exist", () => {
    const list = statements(3);
    const [legacy] = rootsFor(list);
    const [unknown] = checkStatementInclusion(list, 0, [{ ...legacy, algorithmId: 0x7f }]);
    expect(unknown).toMatchObject({ status: "unverifiable", algorithmName: null });
    expect(unknown.note).toMatch(/unknown hash algorithm id 0x7f/);
    const [malformed] = checkStatementInclusion(list, 0, [{ ...legacy, value: legacy.value!.toUpperCase() }]);
    expect(malformed).toMatchObject({ status: "unverifiable", note: expect.stringMatching(/not 32 bytes/) });
    const [missing] = checkStatementInclusion(list, 3, [legacy]);
    expect(missing).toMatchObject({ status: "unverifiable", note: "the block has no statement 3" });
  });
});

describe("declaredRoots", () => {
  const hash = "0x" + "11".repeat(32);
  it("lists the legacy root of a legacy block only", () => {
    expect(declaredRoots({ merkle_root: hash, pq_algorithm: null, pq_merkle_root: null }).map((r) => r.field)).toEqual(["merkle_root"]);
  });
  it("lists both roots of a dual block, the PQ one under the block's algorithm", () => {
    const roots = declaredRoots({ merkle_root: hash, pq_algorithm: 2, pq_merkle_root: hash });
    expect(roots.map((r) => [r.field, r.algorithmId])).toEqual([
      ["merkle_root", 0],
      ["pq_merkle_root", 2],
    ]);
  });
  it("lists only the PQ root of a PQ-only block", () => {
    expect(declaredRoots({ merkle_root: null, pq_algorithm: 1, pq_merkle_root: hash }).map((r) => r.field)).toEqual(["pq_merkle_root"]);
  });
});
