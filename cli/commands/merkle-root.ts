/**
 * `mathledger-cli merkle-root`: the RFC 9162 §2.1.1 Merkle Tree Hash of a list of leaves (lib/consensus/merkle.ts).
 */
import { toHex } from "../../lib/encoding/hex";
import { merkleRoot } from "../../lib/consensus/merkle";
import { defineCommand } from "../command";
import { LEAF_FLAGS, readLeaves } from "../inputs/leaves";
import { ALGORITHM_FLAG, algorithmFlag } from "../inputs/values";

export const merkleRootCommand = defineCommand({
  name: "merkle-root",
  summary: "print the Merkle root (RFC 9162) of a list of leaves",
  description:
    "Computes the Merkle Tree Hash of RFC 9162 §2.1.1 over the leaves with the chosen algorithm: leaf hash " +
    "HASH(0x00 || leaf), node hash HASH(0x01 || left || right), split at the largest power of two below n, and " +
    "HASH() of no input for the empty tree. With SHA-256 this is exactly the RFC 6962 root. Leaves from --leaf-hex " +
    "come first, then the lines of --leaves-file.",
  flags: { algorithm: ALGORITHM_FLAG, ...LEAF_FLAGS },
  examples: [
    "mathledger-cli merkle-root --algorithm sha256 --leaf-hex '' --leaf-hex 00 --leaf-hex 10",
    "mathledger-cli merkle-root --algorithm sha3-256 --leaves-file leaves.txt --json",
  ],
  async run(flags, context) {
    const alg = algorithmFlag(flags.algorithm, await context.hashSuite());
    const leaves = await readLeaves("merkle-root", flags, context.cwd);
    const root = toHex(merkleRoot(alg, leaves));
    return {
      outcome: "ok",
      json: { algorithm: alg.name, algorithm_id: alg.id, tree_size: leaves.length, root },
      text: root,
    };
  },
});
