/**
 * Checks, in the browser, that one statement of a block is included under each Merkle root the block declares:
 * builds the RFC 9162 §2.1.3.1 inclusion proof (audit path) for the statement from the block's statements, recomputes
 * the root from the leaf and the path (§2.1.3.2), and compares it with the root the block carries.
 *
 * The verdict is lib/consensus/merkle.ts's own `verifyInclusion` with the noble hash suite (the one that runs in
 * browsers); the step-by-step trace shown beside it comes from lib's `rootFromInclusionProof` as well.
 */
import { isCanonicalHex, fromHex, toHex } from "@/lib/encoding/hex";
import { nobleHashSuite, type HashAlgorithm, type HashSuite } from "@/lib/crypto/hash-algorithms";
import { encodeStatements } from "@/lib/consensus/block";
import { inclusionProof, leafHash, rootFromInclusionProof, verifyInclusion } from "@/lib/consensus/merkle";

/** A root a block declares: which tree, under which algorithm id, with what value (null when the block has none). */
export interface DeclaredRoot {
  /** "Legacy root (merkle_root)" or "PQ root (pq_merkle_root)". */
  label: string;
  field: "merkle_root" | "pq_merkle_root";
  algorithmId: number | null;
  value: string | null;
}

export interface ProofStep {
  /** Tree level of the sibling, 0 = leaves. */
  level: number;
  /** Where the sibling goes in HASH(0x01 || left || right). */
  siblingSide: "left" | "right";
  sibling: string;
  /** The node hash after combining. */
  result: string;
}

export type RootCheckStatus = "match" | "mismatch" | "unverifiable";

export interface RootCheck {
  label: string;
  field: DeclaredRoot["field"];
  algorithmName: string | null;
  declared: string | null;
  status: RootCheckStatus;
  /** Why a check could not be made, or what the mismatch means. */
  note: string | null;
  leafIndex: number;
  treeSize: number;
  leafHash: string | null;
  steps: ProofStep[];
  computedRoot: string | null;
}

/**
 * The trace of RFC 9162 §2.1.3.2 for one leaf: each sibling in the audit path, which side it joins on, the level it
 * joins at and the hash after joining, as lib's rootFromInclusionProof computes them. Null when the path does not
 * fit (leafIndex, treeSize).
 */
export function traceInclusionProof(alg: HashAlgorithm, leaf: Uint8Array, leafIndex: number, treeSize: number, path: readonly Uint8Array[]): { steps: ProofStep[]; root: Uint8Array } | null {
  const steps: ProofStep[] = [];
  const root = rootFromInclusionProof(alg, leaf, { leafIndex, treeSize, path: [...path] }, (step) =>
    steps.push({ level: step.level, siblingSide: step.siblingSide, sibling: toHex(step.sibling), result: toHex(step.result) }),
  );
  return root ? { steps, root } : null;
}

/** Checks statement `index` of `statements` against each declared root (see the module comment). */
export function checkStatementInclusion(
  statements: readonly string[],
  index: number,
  roots: readonly DeclaredRoot[],
  suite: HashSuite = nobleHashSuite,
): RootCheck[] {
  const leaves = encodeStatements(statements);
  return roots.map((root) => {
    const base: RootCheck = {
      label: root.label,
      field: root.field,
      algorithmName: null,
      declared: root.value,
      status: "unverifiable",
      note: null,
      leafIndex: index,
      treeSize: leaves.length,
      leafHash: null,
      steps: [],
      computedRoot: null,
    };
    if (root.algorithmId === null) return { ...base, note: "the block names no algorithm for this root" };
    let alg: HashAlgorithm;
    try {
      alg = suite.get(root.algorithmId);
    } catch (error) {
      return { ...base, note: (error as Error).message };
    }
    const withAlg = { ...base, algorithmName: alg.name };
    if (index < 0 || index >= leaves.length) return { ...withAlg, note: `the block has no statement ${index}` };

    const proof = inclusionProof(alg, leaves, index);
    const leaf = leafHash(alg, leaves[index]);
    const trace = traceInclusionProof(alg, leaf, proof.leafIndex, proof.treeSize, proof.path);
    const shown = { ...withAlg, leafHash: toHex(leaf), steps: trace?.steps ?? [], computedRoot: trace ? toHex(trace.root) : null };
    if (!trace) {
      return { ...shown, note: "the audit path could not be replayed (this is a bug in the portal, not a property of the block)" };
    }
    if (root.value === null) return { ...shown, note: "the block declares no such root" };
    if (!isCanonicalHex(root.value, 32)) return { ...shown, note: "the declared root is not 32 bytes of 0x-prefixed lowercase hex" };
    const ok = verifyInclusion(alg, leaves[index], proof, fromHex(root.value, 32));
    return {
      ...shown,
      status: ok ? "match" : "mismatch",
      note: ok
        ? null
        : "the root recomputed from this statement and its audit path differs from the root the block declares: the statements stored for this block are not the ones its root commits to",
    };
  });
}

/** The roots a block carries, in display order: the SHA-256 legacy root, then the PQ root. */
export function declaredRoots(block: { merkle_root: string | null; pq_algorithm: number | null; pq_merkle_root: string | null }): DeclaredRoot[] {
  const roots: DeclaredRoot[] = [];
  if (block.merkle_root !== null) roots.push({ label: "Legacy root", field: "merkle_root", algorithmId: 0x00, value: block.merkle_root });
  if (block.pq_merkle_root !== null || block.pq_algorithm !== null) {
    roots.push({ label: "PQ root", field: "pq_merkle_root", algorithmId: block.pq_algorithm, value: block.pq_merkle_root });
  }
  return roots;
}
