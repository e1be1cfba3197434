/**
 * `mathledger-cli merkle-proof`: the RFC 9162 §2.1.3.1 inclusion proof (audit path) of one leaf.
 *
 * The --json document is the proof format that `verify-proof --proof-file` reads (docs/cli.md "Proof files").
 */
import { toHex } from "../../lib/encoding/hex";
import { inclusionProof, leafHash, merkleRoot } from "../../lib/consensus/merkle";
import { defineCommand } from "../command";
import { LEAF_FLAGS, readLeaves } from "../inputs/leaves";
import { ALGORITHM_FLAG, algorithmFlag } from "../inputs/values";
import { withContext } from "../inputs/with-context";

/** The proof document: what merkle-proof --json prints and verify-proof --proof-file reads. */
export interface ProofDocument {
  algorithm: string;
  algorithm_id: number;
  leaf_index: number;
  tree_size: number;
  /** The leaf's data (not its hash). */
  leaf: string;
  /** HASH(0x00 || leaf). */
  leaf_hash: string;
  /** Sibling hashes from the leaf's level up to the root. */
  audit_path: string[];
  root: string;
}

export const merkleProofCommand = defineCommand({
  name: "merkle-proof",
  summary: "print the inclusion proof of one leaf",
  description:
    "Builds the inclusion proof (RFC 9162 §2.1.3.1 audit path) of the leaf at --index (0-based) in the tree of the " +
    "given leaves, and prints the leaf index, tree size, leaf, leaf hash, audit path and root. The --json output is a " +
    "proof file for verify-proof --proof-file.",
  flags: {
    algorithm: ALGORITHM_FLAG,
    index: { kind: "integer", value: "I", required: true, description: "0-based index of the leaf to prove" },
    ...LEAF_FLAGS,
  },
  examples: [
    "mathledger-cli merkle-proof --algorithm sha256 --index 3 --leaves-file leaves.txt",
    "mathledger-cli merkle-proof --algorithm blake3 --index 0 --leaves-file leaves.txt --json > proof.json",
  ],
  async run(flags, context) {
    const alg = algorithmFlag(flags.algorithm, await context.hashSuite());
    const leaves = await readLeaves("merkle-proof", flags, context.cwd);
    const proof = withContext("--index", () => inclusionProof(alg, leaves, flags.index));
    const doc: ProofDocument = {
      algorithm: alg.name,
      algorithm_id: alg.id,
      leaf_index: proof.leafIndex,
      tree_size: proof.treeSize,
      leaf: toHex(leaves[flags.index]),
      leaf_hash: toHex(leafHash(alg, leaves[flags.index])),
      audit_path: proof.path.map(toHex),
      root: toHex(merkleRoot(alg, leaves)),
    };
    const text = [
      `algorithm   ${doc.algorithm}`,
      `leaf index  ${doc.leaf_index}`,
      `tree size   ${doc.tree_size}`,
      `leaf        ${doc.leaf}`,
      `leaf hash   ${doc.leaf_hash}`,
      `audit path  ${doc.audit_path.length} hash${doc.audit_path.length === 1 ? "" : "es"}, leaf level first`,
      ...doc.audit_path.map((h, i) => `  ${String(i).padStart(2)}  ${h}`),
      `root        ${doc.root}`,
    ].join("\n");
    return { outcome: "ok", json: doc, text };
  },
});
