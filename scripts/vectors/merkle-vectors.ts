/**
 * hash.json, merkle-rfc6962.json and merkle-pq.json. Published values come from published.ts; the PQ Merkle vectors
 * come from the recursive RFC 9162 definitions in reference.ts. Every value is checked against lib/ before writing.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { blake3 } from "@noble/hashes/blake3.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { nobleHashSuite, algorithmByName } from "../../lib/crypto/hash-algorithms";
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from "../../lib/consensus/merkle";
import { H, consistency, mth, path } from "./reference";
import {
  MERKLE_SOURCES,
  PUBLISHED_HASHES,
  RFC6962_CONSISTENCY,
  RFC6962_EMPTY_ROOT,
  RFC6962_HASHER,
  RFC6962_INCLUSION,
  RFC6962_LEAVES,
  RFC6962_ROOTS,
  type HashInput,
} from "./published";

const bare = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fromBare = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

export function expandHashInput(input: HashInput): Buffer {
  if (input.encoding === "blake3-pattern") return Buffer.from(Array.from({ length: input.length! }, (_, i) => i % 251));
  const one = input.encoding === "utf8" ? Buffer.from(input.value!, "utf8") : Buffer.from(input.value!, "hex");
  return Buffer.concat(Array(input.repeat ?? 1).fill(one));
}

export function hashFile() {
  for (const v of PUBLISHED_HASHES) {
    const data = expandHashInput(v.input);
    const node =
      v.algorithm === "SHA-256" ? createHash("sha256").update(data).digest() : v.algorithm === "SHA3-256" ? createHash("sha3-256").update(data).digest() : null;
    const noble = v.algorithm === "SHA-256" ? sha256(data) : v.algorithm === "SHA3-256" ? sha3_256(data) : blake3(data);
    if (node) assert.equal(node.toString("hex"), v.digest, `node:crypto disagrees with the published ${v.algorithm} ${v.description}`);
    assert.equal(bare(noble), v.digest, `@noble/hashes disagrees with the published ${v.algorithm} ${v.description}`);
    assert.equal(bare(nobleHashSuite.get(algorithmByName(v.algorithm).id).digest(data)), v.digest);
  }
  return {
    description:
      "Published digests for the three registered hash algorithms (spec §2.1): 0x00 SHA-256 (FIPS 180-4), 0x01 SHA3-256 (FIPS 202), 0x02 BLAKE3 (32-byte output). " +
      "input.encoding: 'utf8' = the UTF-8 bytes of value; 'hex' = the bytes of value; repeat = value concatenated that many times; 'blake3-pattern' = length bytes where byte i is i mod 251 (the BLAKE3 test-vector input). digest is bare lowercase hex.",
    source: "Each vector names its published source (repository, path and commit). None was computed by this project; each was cross-checked against node:crypto and @noble/hashes when the file was generated.",
    vectors: PUBLISHED_HASHES.map((v) => ({
      algorithm: v.algorithm,
      algorithm_id: algorithmByName(v.algorithm).id,
      description: v.description,
      input: v.input,
      digest: v.digest,
      source: v.source,
    })),
  };
}

const RFC_LEAVES = RFC6962_LEAVES.map((h) => Buffer.from(h, "hex"));
const sha = nobleHashSuite.get(0);

function checkInclusion(algId: number, leaves: Buffer[], index: number, size: number, pathHex: string[], rootHex: string, expect: boolean) {
  const alg = nobleHashSuite.get(algId);
  const ok = verifyInclusion(alg, leaves[index] ?? Buffer.from("WrongLeaf"), { leafIndex: index, treeSize: size, path: pathHex.map(fromBare) }, fromBare(rootHex));
  assert.equal(ok, expect, `lib verifyInclusion(${index}, ${size}) should be ${expect}`);
}

export function rfc6962File() {
  // The reference implementation must reproduce every published value, or it cannot be trusted for merkle-pq.json.
  assert.equal(mth(0, []).toString("hex"), RFC6962_EMPTY_ROOT);
  assert.equal(bare(emptyRoot(sha)), RFC6962_EMPTY_ROOT);
  RFC6962_ROOTS.forEach((root, i) => {
    assert.equal(mth(0, RFC_LEAVES.slice(0, i + 1)).toString("hex"), root, `reference root of size ${i + 1}`);
    assert.equal(bare(merkleRoot(sha, RFC_LEAVES.slice(0, i + 1))), root, `lib root of size ${i + 1}`);
  });
  for (const h of RFC6962_HASHER) {
    const lib = h.kind === "leaf" ? leafHash(sha, fromBare(h.data_hex!)) : nodeHash(sha, fromBare(h.left_hex!), fromBare(h.right_hex!));
    assert.equal(bare(lib), h.digest, h.description);
  }
  const inclusion = RFC6962_INCLUSION.map((p) => {
    const leaves = RFC_LEAVES.slice(0, p.tree_size);
    assert.deepEqual(path(0, p.leaf_index, leaves).map((b) => b.toString("hex")), p.path, "reference PATH");
    assert.deepEqual(inclusionProof(sha, leaves, p.leaf_index).path.map(bare), p.path, "lib inclusionProof");
    const root = RFC6962_ROOTS[p.tree_size - 1];
    checkInclusion(0, leaves, p.leaf_index, p.tree_size, p.path, root, true);
    return { leaf_index: p.leaf_index, tree_size: p.tree_size, leaf_hex: RFC6962_LEAVES[p.leaf_index], root, path: p.path, source: MERKLE_SOURCES.verify };
  });
  const consistencyProofs = RFC6962_CONSISTENCY.map((c) => {
    const leaves = RFC_LEAVES.slice(0, c.new_size);
    assert.deepEqual(consistency(0, c.old_size, leaves).map((b) => b.toString("hex")), c.proof, "reference PROOF");
    assert.deepEqual(consistencyProof(sha, leaves, c.old_size).map(bare), c.proof, "lib consistencyProof");
    const oldRoot = RFC6962_ROOTS[c.old_size - 1];
    const newRoot = RFC6962_ROOTS[c.new_size - 1];
    assert.ok(verifyConsistency(sha, c.old_size, c.new_size, fromBare(oldRoot), fromBare(newRoot), c.proof.map(fromBare)));
    const source = c.old_size === 1 && c.new_size === 8 ? `${MERKLE_SOURCES.verify}; ${MERKLE_SOURCES.consistencyJson}` : MERKLE_SOURCES.verify;
    return { old_size: c.old_size, new_size: c.new_size, old_root: oldRoot, new_root: newRoot, proof: c.proof, source };
  });

  // Negative cases: the corruptions transparency-dev applies to the same proofs (corruptInclusionProof /
  // corruptConsistencyProof in verify_test.go), written out so that another implementation need not re-derive them.
  const derived = `derived from the published proof by the corruption rules of corruptInclusionProof in ${MERKLE_SOURCES.verify}`;
  const mustFailInclusion: object[] = [];
  for (const p of inclusion.filter((p) => p.path.length > 0)) {
    const variants: [string, number, number, string[], string][] = [
      ["leaf_index + 1", p.leaf_index + 1, p.tree_size, p.path, p.root],
      ["leaf_index ^ 2", p.leaf_index ^ 2, p.tree_size, p.path, p.root],
      ["tree_size * 2", p.leaf_index, p.tree_size * 2, p.path, p.root],
      ["empty-tree root", p.leaf_index, p.tree_size, p.path, RFC6962_EMPTY_ROOT],
      ["trailing root", p.leaf_index, p.tree_size, [...p.path, p.root], p.root],
      ["preceding root", p.leaf_index, p.tree_size, [p.root, ...p.path], p.root],
      ["removed last component", p.leaf_index, p.tree_size, p.path.slice(0, -1), p.root],
      ...p.path.map((_, i): [string, number, number, string[], string] => [
        `proof[${i}] with bit 3 of byte 0 flipped`,
        p.leaf_index,
        p.tree_size,
        p.path.map((h, j) => (j === i ? flipBit(h, 8) : h)),
        p.root,
      ]),
    ];
    if (p.leaf_index > 0) variants.push(["leaf_index - 1", p.leaf_index - 1, p.tree_size, p.path, p.root]);
    for (const [what, index, size, pth, root] of variants) {
      mustFailInclusion.push({ description: `${what} (from leaf ${p.leaf_index} of ${p.tree_size})`, leaf_index: index, tree_size: size, leaf_hex: p.leaf_hex, root, path: pth, source: derived });
    }
  }
  // Each must-fail entry keeps the original leaf; only the index, size, path or root is wrong.
  for (const v of mustFailInclusion as { leaf_index: number; tree_size: number; leaf_hex: string; root: string; path: string[] }[]) {
    const ok = verifyInclusion(sha, fromBare(v.leaf_hex), { leafIndex: v.leaf_index, treeSize: v.tree_size, path: v.path.map(fromBare) }, fromBare(v.root));
    assert.equal(ok, false);
  }

  const derivedC = `derived from the published proof by the corruption rules of corruptConsistencyProof in ${MERKLE_SOURCES.verify}`;
  const mustFailConsistency: object[] = [];
  for (const c of consistencyProofs.filter((c) => c.proof.length > 0)) {
    const variants: [string, number, number, string, string, string[]][] = [
      ["old_size + 1", c.old_size + 1, c.new_size, c.old_root, c.new_root, c.proof],
      ["new_size * 2", c.old_size, c.new_size * 2, c.old_root, c.new_root, c.proof],
      ["swapped roots", c.old_size, c.new_size, c.new_root, c.old_root, c.proof],
      ["empty proof", c.old_size, c.new_size, c.old_root, c.new_root, []],
      ["trailing new root", c.old_size, c.new_size, c.old_root, c.new_root, [...c.proof, c.new_root]],
      ["preceding old root", c.old_size, c.new_size, c.old_root, c.new_root, [c.old_root, ...c.proof]],
      ["truncated proof", c.old_size, c.new_size, c.old_root, c.new_root, c.proof.slice(0, -1)],
      ...c.proof.map((_, i): [string, number, number, string, string, string[]] => [
        `proof[${i}] with bit 4 of byte 0 flipped`,
        c.old_size,
        c.new_size,
        c.old_root,
        c.new_root,
        c.proof.map((h, j) => (j === i ? flipBit(h, 16) : h)),
      ]),
    ];
    if (c.old_size > 1) variants.push(["old_size - 1", c.old_size - 1, c.new_size, c.old_root, c.new_root, c.proof]);
    for (const [what, m, n, r1, r2, proof] of variants) {
      assert.equal(verifyConsistency(sha, m, n, fromBare(r1), fromBare(r2), proof.map(fromBare)), false, `consistency ${what}`);
      mustFailConsistency.push({ description: `${what} (from ${c.old_size} -> ${c.new_size})`, old_size: m, new_size: n, old_root: r1, new_root: r2, proof, source: derivedC });
    }
  }

  return {
    description:
      "RFC 6962 / RFC 9162 §2.1 Merkle Tree Hash with SHA-256 (algorithm 0x00) over the transparency-dev test leaves. leaves_hex[i] is leaf i's data; roots[k] is the root of the first tree_size leaves; paths and proofs list sibling/subtree hashes in RFC 9162 order (deepest first). All hashes are bare lowercase hex. A conforming implementation reproduces every root, produces exactly these inclusion and consistency proofs, accepts them, and rejects every must_fail entry.",
    source: `${MERKLE_SOURCES.verify} (leaves, roots, inclusionProofs, consistencyProofs); ${MERKLE_SOURCES.hasher} (hasher vectors)`,
    hash_algorithm: "SHA-256",
    algorithm_id: 0,
    leaves_hex: RFC6962_LEAVES,
    empty_root: { root: RFC6962_EMPTY_ROOT, description: "MTH of the empty list: SHA-256 of no input", source: MERKLE_SOURCES.hasher },
    roots: RFC6962_ROOTS.map((root, i) => ({ tree_size: i + 1, root, source: MERKLE_SOURCES.verify })),
    hasher: RFC6962_HASHER.map((h) => ({ ...h, source: MERKLE_SOURCES.hasher })),
    inclusion_proofs: inclusion,
    consistency_proofs: consistencyProofs,
    must_fail_inclusion: mustFailInclusion,
    must_fail_consistency: mustFailConsistency,
  };
}

function flipBit(h: string, mask: number): string {
  const b = Buffer.from(h, "hex");
  b[0] ^= mask;
  return b.toString("hex");
}

const GENERATED = "generated: scripts/vectors/reference.ts (recursive RFC 9162 MTH/PATH/PROOF), independent of lib/";

export function merklePqFile() {
  const algorithms = [1, 2].map((id) => {
    const alg = nobleHashSuite.get(id);
    const roots = [] as { tree_size: number; root: string; source: string }[];
    const inclusion = [] as { leaf_index: number; tree_size: number; root: string; path: string[]; source: string }[];
    const consistencyProofs = [] as { old_size: number; new_size: number; old_root: string; new_root: string; proof: string[]; source: string }[];
    for (let n = 1; n <= RFC_LEAVES.length; n++) {
      const leaves = RFC_LEAVES.slice(0, n);
      const root = mth(id, leaves).toString("hex");
      assert.equal(bare(merkleRoot(alg, leaves)), root, `lib ${alg.name} root of ${n}`);
      roots.push({ tree_size: n, root, source: GENERATED });
      for (let i = 0; i < n; i++) {
        const p = path(id, i, leaves).map((b) => b.toString("hex"));
        assert.deepEqual(inclusionProof(alg, leaves, i).path.map(bare), p, `lib ${alg.name} path ${i}/${n}`);
        assert.ok(verifyInclusion(alg, leaves[i], { leafIndex: i, treeSize: n, path: p.map(fromBare) }, fromBare(root)));
        inclusion.push({ leaf_index: i, tree_size: n, root, path: p, source: GENERATED });
      }
    }
    for (let n = 1; n <= RFC_LEAVES.length; n++) {
      for (let m = 1; m <= n; m++) {
        const leaves = RFC_LEAVES.slice(0, n);
        const proof = consistency(id, m, leaves).map((b) => b.toString("hex"));
        assert.deepEqual(consistencyProof(alg, leaves, m).map(bare), proof, `lib ${alg.name} consistency ${m}->${n}`);
        const oldRoot = roots[m - 1].root;
        const newRoot = roots[n - 1].root;
        assert.ok(verifyConsistency(alg, m, n, fromBare(oldRoot), fromBare(newRoot), proof.map(fromBare)));
        consistencyProofs.push({ old_size: m, new_size: n, old_root: oldRoot, new_root: newRoot, proof, source: GENERATED });
      }
    }
    return {
      hash_algorithm: alg.name,
      algorithm_id: id,
      empty_root: H(id).toString("hex"),
      leaf_hashes: RFC_LEAVES.map((d) => H(id, Buffer.from([0]), d).toString("hex")),
      roots,
      inclusion_proofs: inclusion,
      consistency_proofs: consistencyProofs,
    };
  });
  return {
    description:
      "RFC 9162 §2.1 Merkle trees with the hash as a parameter (spec §2.2): the transparency-dev leaves of merkle-rfc6962.json under SHA3-256 (0x01) and BLAKE3 (0x02). For every tree size 1..8: the root, the inclusion proof of every leaf, and the consistency proof from every smaller size. Same conventions as merkle-rfc6962.json.",
    source:
      "Generated by scripts/vectors/generate.ts from an independent recursive transcription of RFC 9162 MTH/PATH/PROOF (scripts/vectors/reference.ts, hashes from node:crypto sha3-256 and @noble/hashes blake3). The same code reproduces every published SHA-256 value in merkle-rfc6962.json, and lib/consensus/merkle.ts was checked to agree before writing.",
    leaves_hex: RFC6962_LEAVES,
    algorithms,
  };
}
