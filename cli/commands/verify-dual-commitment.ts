/**
 * `mathledger-cli verify-dual-commitment --block-number N`: recomputes, from the statements stored for the canonical
 * block N, both Merkle roots (SHA-256 and the PQ algorithm) and the dual commitment over them
 * (docs/spec/consensus.md §4.4: P(0x03 || 0x00 || merkle_root || p || pq_merkle_root)), and compares each with the
 * stored header. VALID (exit 0) when all three match; INVALID (exit 1) when any differs, or when the block has no dual
 * commitment to check (its epoch has none, or it is optional there and absent).
 */
import { toHex } from "../../lib/encoding/hex";
import { dualCommitment, encodeStatements, type Block } from "../../lib/consensus/block";
import { resolveEpoch, type Epoch } from "../../lib/consensus/epochs";
import { merkleRoot } from "../../lib/consensus/merkle";
import { isKnownAlgorithmId, SHA256_ID, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { loadEpochRegistry } from "../../server/chain/epoch-registry";
import { loadCanonicalBlock } from "../../server/chain/canonical-blocks";
import { defineCommand } from "../command";
import { epochLine, epochSpan, hexId, ruleRequirements, table } from "../chain-text";
import { noCanonicalBlock, withChainDatabase } from "../database";
import { MAX_STORED_BLOCK_NUMBER } from "../../lib/ingest/storage-limits";

export interface HashCheck {
  computed: string;
  stored: string | null;
  matches: boolean;
}

export interface DualCommitmentCheck {
  valid: boolean;
  block_number: number;
  epoch: Epoch;
  statement_count: number;
  /** The PQ algorithm the commitment is computed with (null when there is nothing to check). */
  algorithm: { id: number; name: string } | null;
  legacy_root: HashCheck | null;
  pq_root: HashCheck | null;
  dual_commitment: HashCheck | null;
  /**
   * Whether the stored dual_commitment binds the stored roots (whatever the statements say): tells a commitment that
   * is itself wrong from one that is right about roots that are wrong. Null when there is nothing to check.
   */
  binds_stored_roots: boolean | null;
  /** Why the check failed or could not be made; null when VALID. */
  reason: string | null;
}

/** Checks the dual commitment of `block` under `epoch`. Pure: the same check the validator makes, spelled out. */
export function checkDualCommitment(block: Block, epoch: Epoch, suite: HashSuite): DualCommitmentCheck {
  const base = { block_number: block.block_number, epoch, statement_count: block.statements.length };
  const absent = (reason: string): DualCommitmentCheck => ({ ...base, valid: false, algorithm: null, legacy_root: null, pq_root: null, dual_commitment: null, binds_stored_roots: null, reason });
  const rules = ruleRequirements(epoch);
  if (rules.dual_commitment === "forbidden") {
    const why = rules.legacy_chain === "forbidden" ? "the legacy chain has ended, so there is no legacy root to bind" : "there is no PQ chain yet";
    return absent(`block ${block.block_number} is in a ${epoch.rule_version} epoch (${epochSpan(epoch)}), which has no dual commitment: ${why}`);
  }
  if (block.dual_commitment === null) {
    return absent(`block ${block.block_number} carries no dual commitment (it is optional in ${epoch.rule_version}, and this block has no PQ fields)`);
  }
  const id = block.pq_algorithm ?? epoch.algorithm_id;
  if (!isKnownAlgorithmId(id)) return absent(`block ${block.block_number} names pq_algorithm ${hexId(id)}, which is not a registered hash algorithm`);
  const pqAlg = suite.get(id);
  const leaves = encodeStatements(block.statements);
  const legacyRoot = toHex(merkleRoot(suite.get(SHA256_ID), leaves));
  const pqRoot = toHex(merkleRoot(pqAlg, leaves));
  const check = (computed: string, stored: string | null): HashCheck => ({ computed, stored, matches: computed === stored });
  const result: DualCommitmentCheck = {
    ...base,
    valid: false,
    algorithm: { id, name: pqAlg.name },
    legacy_root: check(legacyRoot, block.merkle_root),
    pq_root: check(pqRoot, block.pq_merkle_root),
    dual_commitment: check(dualCommitment(pqAlg, legacyRoot, pqRoot), block.dual_commitment),
    binds_stored_roots:
      block.merkle_root !== null && block.pq_merkle_root !== null && dualCommitment(pqAlg, block.merkle_root, block.pq_merkle_root) === block.dual_commitment,
    reason: null,
  };
  const problems: string[] = [];
  if (id !== epoch.algorithm_id) problems.push(`pq_algorithm is ${hexId(id)} ${pqAlg.name} but the epoch requires ${hexId(epoch.algorithm_id)} ${epoch.algorithm_name}`);
  if (!result.legacy_root!.matches) problems.push("merkle_root is not the SHA-256 Merkle root of the stored statements");
  if (!result.pq_root!.matches) problems.push(`pq_merkle_root is not the ${pqAlg.name} Merkle root of the stored statements`);
  if (!result.dual_commitment!.matches) {
    problems.push(
      result.binds_stored_roots
        ? "dual_commitment binds the stored merkle_root and pq_merkle_root, not the roots of the stored statements"
        : "dual_commitment does not bind the two Merkle roots of the stored statements",
    );
  }
  result.valid = problems.length === 0;
  result.reason = result.valid ? null : problems.join("; ");
  return result;
}

export function dualCommitmentText(c: DualCommitmentCheck): string {
  if (c.algorithm === null) return `INVALID: ${c.reason}`;
  const alg = c.algorithm.name;
  const row = (check: HashCheck, field: string, what: string): string =>
    check.matches ? `${check.computed} = ${field} (${what})` : `${check.computed} (${what}) but ${field} is ${check.stored ?? "absent"}: MISMATCH`;
  const head = c.valid
    ? `VALID: the dual commitment of block ${c.block_number} binds the SHA-256 and ${alg} Merkle roots of its ${c.statement_count} statements`
    : `INVALID: block ${c.block_number}: ${c.reason}`;
  return [
    head,
    ...table([
      ["epoch", epochLine(c.epoch)],
      ["legacy root", row(c.legacy_root!, "merkle_root", "SHA-256 Merkle root of the statements")],
      ["pq root", row(c.pq_root!, "pq_merkle_root", `${alg} Merkle root of the statements`)],
      ["dual commitment", row(c.dual_commitment!, "dual_commitment", `${alg}(0x03 || 0x00 || legacy root || ${hexId(c.algorithm.id)} || pq root)`)],
    ]),
  ].join("\n");
}

export const verifyDualCommitmentCommand = defineCommand({
  name: "verify-dual-commitment",
  summary: "recompute both Merkle roots and the dual commitment of a stored block and compare",
  description:
    "Recomputes, from the statements stored for the canonical block N, the SHA-256 Merkle root, the Merkle root " +
    "under the block's PQ algorithm, and the dual commitment over the two (docs/spec/consensus.md §4.4), and compares " +
    "each with the stored merkle_root, pq_merkle_root and dual_commitment. Exit 0: VALID, all three match. Exit 1: " +
    "INVALID, a value differs, or the block has no dual commitment (its epoch's rule version has none, as in " +
    "v1-legacy and v3-pq-only, or it is optional and absent). Exit 2: no canonical block N, no epoch covers it, or " +
    "the database cannot be reached.",
  flags: {
    "block-number": { kind: "integer", max: MAX_STORED_BLOCK_NUMBER, value: "N", required: true, description: "the height of the canonical block" },
  },
  examples: ["mathledger-cli verify-dual-commitment --block-number 200", "mathledger-cli verify-dual-commitment --block-number 200 --json"],
  async run(flags, context) {
    const n = flags["block-number"];
    return withChainDatabase(context, async ({ pool }) => {
      const [block, epochs] = await Promise.all([loadCanonicalBlock(pool, n), loadEpochRegistry(pool)]);
      if (!block) throw await noCanonicalBlock(pool, n);
      const check = checkDualCommitment(block, resolveEpoch(epochs, n), await context.hashSuite());
      return { outcome: check.valid ? "ok" : "invalid", json: check, text: dualCommitmentText(check) };
    });
  },
});
