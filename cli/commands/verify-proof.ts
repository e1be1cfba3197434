/**
 * `mathledger-cli verify-proof`: checks an inclusion proof by RFC 9162 §2.1.3.2 — recompute the root from the leaf
 * hash and the audit path, and compare it with the expected root. Exit 0 when it verifies, 1 when it does not.
 *
 * The proof comes from flags, from a proof file (`merkle-proof --json`), or both: flags override the file's fields,
 * so `--proof-file p.json --root R` checks a received proof against a root the operator trusts.
 */
import { bytesEqual, fromUserHex, toHex } from "../../lib/encoding/hex";
import { leafHash, rootFromInclusionProof } from "../../lib/consensus/merkle";
import { usageError } from "../args/parse-args";
import { defineCommand } from "../command";
import { readProofFile, type ProofFileFields } from "../inputs/proof-file";
import { algorithmFlag, hashValue } from "../inputs/values";
import { withContext } from "../inputs/with-context";

const NAME = "verify-proof";

/**
 * How many hashes an audit path has for leaf `index` of a tree of `size` leaves: the number of steps the §2.1.3.2
 * verification loop takes to bring sn to 0. Used only to explain a failure.
 */
export function auditPathLength(index: number, size: number): number {
  let fn = index;
  let sn = size - 1;
  let steps = 0;
  while (sn > 0) {
    if (fn % 2 === 0 && fn === sn) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    steps++;
  }
  return steps;
}

export const verifyProofCommand = defineCommand({
  name: NAME,
  summary: "check an inclusion proof against a root",
  description:
    "Recomputes the root from the leaf (or its hash), the leaf index, the tree size and the audit path " +
    "(RFC 9162 §2.1.3.2) and compares it with --root. Give the proof with flags, with --proof-file (the JSON that " +
    "merkle-proof --json prints), or both: flags override the file's fields. Exits 0 when the proof verifies and 1 " +
    "when it does not (wrong root, wrong path, path of the wrong length, index outside the tree, or a proof file " +
    "whose leaf_hash is not the hash of its leaf).",
  synopsis:
    "(--proof-file FILE | --algorithm ALG (--leaf-hex HEX | --leaf-hash HASH) --index I --tree-size N --root HASH [--path HASH]...) " +
    "[flags overriding the file's fields]",
  flags: {
    algorithm: { kind: "string", value: "ALG", description: "hash algorithm (SHA-256, SHA3-256, BLAKE3; any case, hyphen optional)" },
    "leaf-hex": { kind: "string", value: "HEX", description: "the leaf's data as hex (its hash is computed)" },
    "leaf-hash": { kind: "string", value: "HASH", description: "the leaf hash HASH(0x00 || leaf) instead of the data" },
    index: { kind: "integer", value: "I", description: "the leaf's 0-based index" },
    "tree-size": { kind: "integer", value: "N", description: "the number of leaves in the tree" },
    root: { kind: "string", value: "HASH", description: "the root the proof must reach" },
    path: { kind: "string", value: "HASH", repeatable: true, description: "one audit-path hash, leaf level first (repeat for each; none for a one-leaf tree)" },
    "proof-file": { kind: "string", value: "FILE", description: "a proof as printed by merkle-proof --json" },
  },
  examples: [
    "mathledger-cli verify-proof --proof-file proof.json",
    "mathledger-cli verify-proof --proof-file proof.json --root 0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    "mathledger-cli verify-proof --algorithm sha256 --leaf-hex 00 --index 1 --tree-size 2 --path 0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d --root 0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  ],
  async run(flags, context) {
    const file: ProofFileFields = flags["proof-file"] === undefined ? {} : await readProofFile(flags["proof-file"], context.cwd);
    const suite = await context.hashSuite();
    const missing = (flag: string, field: string) =>
      usageError(NAME, `${flag} is required${flags["proof-file"] === undefined ? "" : ` (the proof file has no ${field})`}`);

    if (flags.algorithm === undefined && !file.algorithm) throw missing("--algorithm ALG", "algorithm");
    const alg = flags.algorithm !== undefined ? algorithmFlag(flags.algorithm, suite) : suite.get(file.algorithm!.id);

    if (flags["leaf-hex"] !== undefined && flags["leaf-hash"] !== undefined) {
      throw usageError(NAME, "give either --leaf-hex or --leaf-hash, not both");
    }
    // The leaf: flags first (data, then hash); otherwise the file's leaf data, else its leaf hash.
    let leafHashValue: Uint8Array;
    let fileLeafMismatch = false;
    if (flags["leaf-hex"] !== undefined) leafHashValue = leafHash(alg, withContext("--leaf-hex", () => fromUserHex(flags["leaf-hex"]!)));
    else if (flags["leaf-hash"] !== undefined) leafHashValue = hashValue(flags["leaf-hash"], "--leaf-hash");
    else if (file.leaf) {
      leafHashValue = leafHash(alg, file.leaf);
      fileLeafMismatch = file.leafHash !== undefined && !bytesEqual(file.leafHash, leafHashValue);
    } else if (file.leafHash) leafHashValue = file.leafHash;
    else throw missing("--leaf-hex HEX or --leaf-hash HASH", "leaf or leaf_hash");

    const leafIndex = flags.index ?? file.leafIndex;
    if (leafIndex === undefined) throw missing("--index I", "leaf_index");
    const treeSize = flags["tree-size"] ?? file.treeSize;
    if (treeSize === undefined) throw missing("--tree-size N", "tree_size");
    if (flags.root === undefined && !file.root) throw missing("--root HASH", "root");
    const root = flags.root !== undefined ? hashValue(flags.root, "--root") : file.root!;
    const path = flags.path.length > 0 ? flags.path.map((h, i) => hashValue(h, `--path #${i + 1}`)) : (file.auditPath ?? []);

    const computed = rootFromInclusionProof(alg, leafHashValue, { leafIndex, treeSize, path });
    let reason: string | null = null;
    if (fileLeafMismatch) reason = `the proof file's leaf_hash is not ${alg.name}(0x00 || leaf) of its leaf`;
    else if (leafIndex >= treeSize) reason = `leaf index ${leafIndex} is outside a tree of ${treeSize} leaves`;
    else if (computed === undefined) {
      const want = auditPathLength(leafIndex, treeSize);
      reason = `the audit path has ${path.length} hash${path.length === 1 ? "" : "es"}, but a proof for leaf ${leafIndex} of a tree of ${treeSize} has ${want}`;
    } else if (!bytesEqual(computed, root)) reason = `the audit path leads to root ${toHex(computed)}, not ${toHex(root)}`;

    const valid = reason === null;
    return {
      outcome: valid ? "ok" : "invalid",
      json: {
        valid,
        algorithm: alg.name,
        algorithm_id: alg.id,
        leaf_index: leafIndex,
        tree_size: treeSize,
        leaf_hash: toHex(leafHashValue),
        root: toHex(root),
        computed_root: computed === undefined ? null : toHex(computed),
        reason,
      },
      text: valid
        ? `VALID: leaf ${leafIndex} is in the ${alg.name} tree of ${treeSize} leaves with root ${toHex(root)}`
        : `INVALID: ${reason}`,
    };
  },
});
