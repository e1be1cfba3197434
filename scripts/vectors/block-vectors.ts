/**
 * blocks.json: the reference chain with every derived value, and invalid blocks with the violations a conforming
 * validator reports. Expected violations are written by hand from spec §7; lib/ is checked against them (and every
 * derived value against reference.ts) before the file is written.
 */
import assert from "node:assert/strict";
import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { toHex } from "../../lib/encoding/hex";
import { blockContentId, blockHash as libBlockHash, dualCommitment as libDual, encodeHeader, type Block } from "../../lib/consensus/block";
import { sealBlock } from "../../lib/consensus/seal-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import { validateChain } from "../../lib/consensus/validate-chain";
import { parseEpochRegistry, type Epoch } from "../../lib/consensus/epochs";
import { VIOLATION_CATALOG } from "../../lib/consensus/violations";
import { primaryHash as libPrimaryHash } from "../../lib/consensus/fork-choice";
import { ALGORITHMS, H, blockHash, contentId, dualCommitment, epochOf, headerBytes, hex, leafData, merkleRootOf, primaryHash, ZERO_HASH, type RefBlock } from "./reference";
import { BOUNDARIES, MIGRATION_REGISTRY, sealChain, T0 } from "./chain";

/** Spec §7.1, written out independently of lib/consensus/violations.ts (and compared with it below). */
export const SEVERITY: Record<string, "CRITICAL" | "HIGH" | "MEDIUM" | "LOW"> = {
  MALFORMED_FIELD: "HIGH",
  UNKNOWN_FIELD: "LOW",
  NO_EPOCH: "CRITICAL",
  UNKNOWN_RULE_VERSION: "CRITICAL",
  UNKNOWN_ALGORITHM: "CRITICAL",
  ALGORITHM_MISMATCH: "CRITICAL",
  MISSING_LEGACY_FIELD: "CRITICAL",
  UNEXPECTED_LEGACY_FIELD: "HIGH",
  MISSING_PQ_FIELD: "CRITICAL",
  UNEXPECTED_PQ_FIELD: "HIGH",
  LEGACY_MERKLE_ROOT_MISMATCH: "CRITICAL",
  PQ_MERKLE_ROOT_MISMATCH: "CRITICAL",
  DUAL_COMMITMENT_MISMATCH: "CRITICAL",
  LEGACY_PREV_HASH_MISMATCH: "CRITICAL",
  PQ_PREV_HASH_MISMATCH: "CRITICAL",
  BLOCK_NUMBER_DISCONTINUITY: "HIGH",
  TIMESTAMP_REGRESSION: "MEDIUM",
  TIMESTAMP_IN_FUTURE: "LOW",
};

const REGISTRIES: Record<string, unknown[]> = {
  migration: MIGRATION_REGISTRY,
  "closed-at-1": [{ ...MIGRATION_REGISTRY[0], end_block: 1 }],
  "unvalidated-unknown-rule-version": [{ ...MIGRATION_REGISTRY[0], end_block: null, rule_version: "v9-future" }],
};

interface Expected {
  code: string;
  field: string | null;
}
interface InvalidVector {
  name: string;
  description: string;
  registry: string;
  block: Record<string, unknown>;
  prev: RefBlock | null;
  now?: number;
  expected: Expected[];
  predecessor_checked?: boolean;
}

const copy = (b: RefBlock): Record<string, unknown> & RefBlock => JSON.parse(JSON.stringify(b));

export function blocksFile() {
  for (const [code, severity] of Object.entries(SEVERITY)) assert.equal(VIOLATION_CATALOG[code as keyof typeof VIOLATION_CATALOG]?.severity, severity, code);
  assert.equal(Object.keys(VIOLATION_CATALOG).length, Object.keys(SEVERITY).length, "lib has violation codes the spec does not list");

  const epochs = parseEpochRegistry(MIGRATION_REGISTRY) as Epoch[];
  const c = sealChain();

  // --- the valid chain, every value computed by reference.ts and compared with lib/ ---
  const chain = c.map((b, n) => {
    const e = epochOf(MIGRATION_REGISTRY, n);
    const libBlock = sealBlock({
      statements: b.statements,
      epochs,
      prev: n === 0 ? null : (c[n - 1] as Block),
      timestamp: b.timestamp,
      includeOptionalPq: n !== 3,
    });
    assert.deepEqual(libBlock, b, `lib sealBlock differs from the reference at block ${n}`);
    const header = headerBytes(b);
    assert.equal(toHex(encodeHeader(b as Block)), hex(header), `header bytes of block ${n}`);
    const hashes = Object.fromEntries(ALGORITHMS.map((a) => [a.name, blockHash(b, a.id)]));
    for (const a of ALGORITHMS) assert.equal(libBlockHash(b as Block, nobleHashSuite.get(a.id)), hashes[a.name]);
    assert.equal(blockContentId(b as Block, nobleHashSuite), hex(contentId(b)));
    if (b.dual_commitment) assert.equal(libDual(nobleHashSuite.get(b.pq_algorithm!), b.merkle_root!, b.pq_merkle_root!), b.dual_commitment);
    assert.equal(libPrimaryHash(b as Block, epochs), primaryHash(MIGRATION_REGISTRY, b));
    const v = validateBlock(b, { epochs, prev: n === 0 ? null : (c[n - 1] as Block) });
    assert.equal(v.violations.length, 0, `block ${n} should be valid: ${JSON.stringify(v.violations)}`);
    const pqChain = e.rule_version === "v2.5-pq-primary" || e.rule_version === "v3-pq-only";
    return {
      block_number: n,
      epoch: { start_block: e.start_block, rule_version: e.rule_version, algorithm_id: e.algorithm_id },
      boundary: BOUNDARIES[n] ?? null,
      block: b,
      leaf_data_hex: b.statements.map((s) => leafData(s).toString("hex")),
      header_hex: hex(header),
      header_length: header.length,
      block_hashes: hashes,
      primary_chain: pqChain ? "pq" : "legacy",
      primary_hash: primaryHash(MIGRATION_REGISTRY, b),
      content_id: hex(contentId(b)),
      links: {
        prev_hash: b.prev_hash === null ? null : n === 0 ? "32 zero bytes (genesis)" : `SHA-256 block hash of block ${n - 1}`,
        pq_prev_hash: b.pq_prev_hash === null ? null : n === 0 ? "32 zero bytes (genesis)" : `${ALGORITHMS[b.pq_algorithm!].name} block hash of block ${n - 1}`,
      },
      source: "generated: sealed and hashed by scripts/vectors/reference.ts from the byte tables of spec §4, independent of lib/",
    };
  });
  const chainResult = validateChain(c, { epochs });
  assert.equal(chainResult.verdict, "VALID");

  // --- invalid blocks ---
  const otherRoot = (id: number) => merkleRootOf(id, ["a statement that is not in the block"]);
  const vectors: InvalidVector[] = [];
  const add = (v: InvalidVector) => vectors.push(v);
  const upper = (h: string) => "0x" + h.slice(2).toUpperCase();

  add({ name: "malformed-merkle-root-uppercase", description: "v2 block whose merkle_root is upper-case hex: malformed; the Merkle-root and dual-commitment checks that need it are skipped", registry: "migration", block: { ...copy(c[5]), merkle_root: upper(c[5].merkle_root!) }, prev: c[4], expected: [{ code: "MALFORMED_FIELD", field: "merkle_root" }] });
  add({ name: "malformed-pq-prev-hash-short", description: "v2.5 block whose pq_prev_hash is 31 bytes", registry: "migration", block: { ...copy(c[7]), pq_prev_hash: c[7].pq_prev_hash!.slice(0, -2) }, prev: c[6], expected: [{ code: "MALFORMED_FIELD", field: "pq_prev_hash" }] });
  add({ name: "malformed-statement-not-a-string", description: "v2 block with a number among its statements: the Merkle roots cannot be recomputed; the dual commitment is still checked against the declared roots", registry: "migration", block: { ...copy(c[4]), statements: [c[4].statements[0], 42, c[4].statements[2]] }, prev: c[3], expected: [{ code: "MALFORMED_FIELD", field: "statements[1]" }] });
  add({ name: "malformed-statement-lone-surrogate", description: "v1 block whose first statement is a lone UTF-16 surrogate (not well-formed Unicode, so it has no UTF-8 encoding)", registry: "migration", block: { ...copy(c[1]), statements: ["\ud800", c[1].statements[1]] }, prev: c[0], expected: [{ code: "MALFORMED_FIELD", field: "statements[0]" }] });
  add({ name: "malformed-block-number-string", description: "block_number is a string: no epoch can be resolved, so nothing else is checked", registry: "migration", block: { ...copy(c[4]), block_number: "4" }, prev: c[3], expected: [{ code: "MALFORMED_FIELD", field: "block_number" }], predecessor_checked: false });
  add({ name: "malformed-timestamp-negative", description: "negative timestamp: malformed; the timestamp-regression check is skipped", registry: "migration", block: { ...copy(c[4]), timestamp: -1 }, prev: c[3], expected: [{ code: "MALFORMED_FIELD", field: "timestamp" }] });
  add({ name: "malformed-pq-algorithm-in-v3", description: "v3 block whose pq_algorithm is the string \"0x01\": malformed (not reported as missing); every check needing the PQ algorithm is skipped", registry: "migration", block: { ...copy(c[9]), pq_algorithm: "0x01" }, prev: c[8], expected: [{ code: "MALFORMED_FIELD", field: "pq_algorithm" }] });
  add({ name: "unknown-field-is-advisory", description: "an extra field (not hashed, ignored) is LOW: the block stays VALID", registry: "migration", block: { ...copy(c[6]), nonce: 7 }, prev: c[5], expected: [{ code: "UNKNOWN_FIELD", field: "nonce" }] });
  add({ name: "no-epoch", description: "block 2 under a registry that ends at block 1", registry: "closed-at-1", block: copy(c[2]), prev: c[1], expected: [{ code: "NO_EPOCH", field: "block_number" }], predecessor_checked: false });
  add({ name: "unknown-rule-version", description: "the epoch covering the block names a rule version this node does not know (only reachable with a registry that was not validated; spec §6.2 rejects it at registration)", registry: "unvalidated-unknown-rule-version", block: copy(c[0]), prev: null, expected: [{ code: "UNKNOWN_RULE_VERSION", field: null }], predecessor_checked: false });
  add({ name: "unknown-algorithm", description: "v2 block with pq_algorithm 0x07: no PQ root, PQ prev-hash or dual commitment can be checked", registry: "migration", block: { ...copy(c[5]), pq_algorithm: 7 }, prev: c[4], expected: [{ code: "UNKNOWN_ALGORITHM", field: "pq_algorithm" }] });
  {
    const b = copy(c[5]);
    b.pq_algorithm = 2;
    b.pq_prev_hash = blockHash(c[4], 2);
    b.pq_merkle_root = merkleRootOf(2, b.statements);
    b.dual_commitment = dualCommitment(2, b.merkle_root!, b.pq_merkle_root);
    add({ name: "algorithm-mismatch-consistent-blake3", description: "v2 block (epoch: SHA3-256) sealed consistently with BLAKE3: the PQ fields are checked under the declared algorithm, so the one fault is reported once", registry: "migration", block: b, prev: c[4], expected: [{ code: "ALGORITHM_MISMATCH", field: "pq_algorithm" }] });
  }
  {
    const b = copy(c[10]);
    b.pq_algorithm = 1;
    b.pq_prev_hash = blockHash(c[9], 1);
    b.pq_merkle_root = merkleRootOf(1, b.statements);
    add({ name: "algorithm-mismatch-at-algorithm-change", description: "first block of the BLAKE3 epoch sealed by a node that kept SHA3-256", registry: "migration", block: b, prev: c[9], expected: [{ code: "ALGORITHM_MISMATCH", field: "pq_algorithm" }] });
  }
  add({ name: "algorithm-mismatch-unrecomputed", description: "v2 block whose pq_algorithm alone was changed to BLAKE3: the SHA3-256 values no longer match under BLAKE3", registry: "migration", block: { ...copy(c[5]), pq_algorithm: 2 }, prev: c[4], expected: [{ code: "ALGORITHM_MISMATCH", field: "pq_algorithm" }, { code: "PQ_MERKLE_ROOT_MISMATCH", field: "pq_merkle_root" }, { code: "PQ_PREV_HASH_MISMATCH", field: "pq_prev_hash" }, { code: "DUAL_COMMITMENT_MISMATCH", field: "dual_commitment" }] });
  add({ name: "missing-legacy-root-v2.5", description: "v2.5 block without merkle_root (the dual commitment check needs it and is skipped)", registry: "migration", block: { ...copy(c[6]), merkle_root: null }, prev: c[5], expected: [{ code: "MISSING_LEGACY_FIELD", field: "merkle_root" }] });
  add({ name: "missing-legacy-prev-hash-v1", description: "v1 block without prev_hash (absent rather than null: the two are the same)", registry: "migration", block: (({ prev_hash: _, ...rest }) => rest)(copy(c[1])), prev: c[0], expected: [{ code: "MISSING_LEGACY_FIELD", field: "prev_hash" }] });
  add({ name: "unexpected-legacy-prev-hash-v3", description: "first v3 block that still carries prev_hash (the correct SHA-256 hash of block 7)", registry: "migration", block: { ...copy(c[8]), prev_hash: blockHash(c[7], 0) }, prev: c[7], expected: [{ code: "UNEXPECTED_LEGACY_FIELD", field: "prev_hash" }] });
  add({ name: "unexpected-dual-commitment-v3", description: "v3 block with a dual_commitment: there is no legacy root left to bind", registry: "migration", block: { ...copy(c[9]), dual_commitment: dualCommitment(1, merkleRootOf(0, c[9].statements), c[9].pq_merkle_root!) }, prev: c[8], expected: [{ code: "UNEXPECTED_LEGACY_FIELD", field: "dual_commitment" }] });
  add({ name: "missing-pq-root-v2", description: "v2 block without pq_merkle_root", registry: "migration", block: { ...copy(c[4]), pq_merkle_root: null }, prev: c[3], expected: [{ code: "MISSING_PQ_FIELD", field: "pq_merkle_root" }] });
  add({ name: "missing-pq-algorithm-v2.5", description: "v2.5 block without pq_algorithm: the epoch's algorithm is assumed, so the other PQ fields are still checked (and are right)", registry: "migration", block: { ...copy(c[6]), pq_algorithm: null }, prev: c[5], expected: [{ code: "MISSING_PQ_FIELD", field: "pq_algorithm" }] });
  add({ name: "missing-dual-commitment-v1.5", description: "v1.5 block with PQ fields but no dual commitment: optional PQ fields come all together", registry: "migration", block: { ...copy(c[2]), dual_commitment: null }, prev: c[1], expected: [{ code: "MISSING_PQ_FIELD", field: "dual_commitment" }] });
  add({ name: "partial-pq-fields-v1.5", description: "v1.5 block with pq_algorithm only", registry: "migration", block: { ...copy(c[3]), pq_algorithm: 1 }, prev: c[2], expected: [{ code: "MISSING_PQ_FIELD", field: "pq_prev_hash" }, { code: "MISSING_PQ_FIELD", field: "pq_merkle_root" }, { code: "MISSING_PQ_FIELD", field: "dual_commitment" }] });
  {
    const b = copy(c[1]);
    b.pq_algorithm = 1;
    b.pq_prev_hash = blockHash(c[0], 1);
    b.pq_merkle_root = merkleRootOf(1, b.statements);
    b.dual_commitment = dualCommitment(1, b.merkle_root!, b.pq_merkle_root);
    add({ name: "unexpected-pq-fields-v1", description: "v1 block carrying a complete, correct set of PQ fields before any PQ epoch", registry: "migration", block: b, prev: c[0], expected: [{ code: "UNEXPECTED_PQ_FIELD", field: "pq_algorithm" }, { code: "UNEXPECTED_PQ_FIELD", field: "pq_prev_hash" }, { code: "UNEXPECTED_PQ_FIELD", field: "pq_merkle_root" }, { code: "UNEXPECTED_PQ_FIELD", field: "dual_commitment" }] });
  }
  add({ name: "unexpected-dual-commitment-after-rollback", description: "v1-legacy (rollback) block with a dual_commitment", registry: "migration", block: { ...copy(c[13]), dual_commitment: dualCommitment(0, c[13].merkle_root!, c[13].merkle_root!) }, prev: c[12], expected: [{ code: "UNEXPECTED_PQ_FIELD", field: "dual_commitment" }] });
  add({ name: "legacy-root-mismatch-v1", description: "v1 block whose merkle_root is the root of other statements", registry: "migration", block: { ...copy(c[1]), merkle_root: otherRoot(0) }, prev: c[0], expected: [{ code: "LEGACY_MERKLE_ROOT_MISMATCH", field: "merkle_root" }] });
  add({ name: "legacy-root-mismatch-dual-binds-true-roots", description: "v2 block with a wrong merkle_root and the original dual commitment (which binds the roots recomputed from the statements): accepted by the declared-or-recomputed rule, so only the root is reported", registry: "migration", block: { ...copy(c[5]), merkle_root: otherRoot(0) }, prev: c[4], expected: [{ code: "LEGACY_MERKLE_ROOT_MISMATCH", field: "merkle_root" }] });
  add({ name: "legacy-root-mismatch-dual-binds-declared-roots", description: "v2 block with a wrong merkle_root and a dual commitment recomputed over the declared (wrong) root: also consistent, only the root is reported", registry: "migration", block: { ...copy(c[5]), merkle_root: otherRoot(0), dual_commitment: dualCommitment(1, otherRoot(0), c[5].pq_merkle_root!) }, prev: c[4], expected: [{ code: "LEGACY_MERKLE_ROOT_MISMATCH", field: "merkle_root" }] });
  add({ name: "pq-root-mismatch-v3", description: "v3 block whose pq_merkle_root is the SHA-256 root of its statements", registry: "migration", block: { ...copy(c[9]), pq_merkle_root: merkleRootOf(0, c[9].statements) }, prev: c[8], expected: [{ code: "PQ_MERKLE_ROOT_MISMATCH", field: "pq_merkle_root" }] });
  add({ name: "statement-replaced-v2", description: "v2 block with one statement replaced: both roots differ from the statements; the dual commitment still binds the declared roots", registry: "migration", block: { ...copy(c[5]), statements: c[5].statements.map((s, i) => (i === 2 ? "lemma zero_add: 0 + a = b" : s)) }, prev: c[4], expected: [{ code: "LEGACY_MERKLE_ROOT_MISMATCH", field: "merkle_root" }, { code: "PQ_MERKLE_ROOT_MISMATCH", field: "pq_merkle_root" }] });
  add({ name: "statement-removed-v3-blake3", description: "BLAKE3 v3 block with its last statement removed", registry: "migration", block: { ...copy(c[11]), statements: c[11].statements.slice(0, -1) }, prev: c[10], expected: [{ code: "PQ_MERKLE_ROOT_MISMATCH", field: "pq_merkle_root" }] });
  add({ name: "statements-reordered-v1", description: "v1 block with its two statements swapped: order is part of the tree", registry: "migration", block: { ...copy(c[1]), statements: [...c[1].statements].reverse() }, prev: c[0], expected: [{ code: "LEGACY_MERKLE_ROOT_MISMATCH", field: "merkle_root" }] });
  add({ name: "dual-commitment-roots-swapped", description: "v2 block whose dual commitment binds the two roots in the wrong order", registry: "migration", block: { ...copy(c[4]), dual_commitment: dualCommitment(1, c[4].pq_merkle_root!, c[4].merkle_root!) }, prev: c[3], expected: [{ code: "DUAL_COMMITMENT_MISMATCH", field: "dual_commitment" }] });
  {
    const b = copy(c[6]);
    b.dual_commitment = hex(H(1, Buffer.from([0x03, 0x00]), Buffer.from(b.merkle_root!.slice(2), "hex"), Buffer.from([0x02]), Buffer.from(b.pq_merkle_root!.slice(2), "hex")));
    add({ name: "dual-commitment-wrong-algorithm-id", description: "v2.5 block whose dual commitment is SHA3-256 over the right roots but binds algorithm id 0x02: the id byte is part of the commitment", registry: "migration", block: b, prev: c[5], expected: [{ code: "DUAL_COMMITMENT_MISMATCH", field: "dual_commitment" }] });
  }
  add({ name: "genesis-prev-hash-not-zero", description: "genesis block whose prev_hash is not 32 zero bytes", registry: "migration", block: { ...copy(c[0]), prev_hash: hex(H(0, Buffer.from("nothing"))) }, prev: null, expected: [{ code: "LEGACY_PREV_HASH_MISMATCH", field: "prev_hash" }] });
  add({ name: "legacy-prev-hash-is-pq-hash", description: "v2.5 block whose prev_hash is the predecessor's SHA3-256 hash instead of its SHA-256 hash", registry: "migration", block: { ...copy(c[7]), prev_hash: blockHash(c[6], 1) }, prev: c[6], expected: [{ code: "LEGACY_PREV_HASH_MISMATCH", field: "prev_hash" }] });
  add({ name: "rollback-links-to-pq-hash", description: "first block after the rollback linking to the BLAKE3 (primary) hash of block 11 instead of its SHA-256 hash", registry: "migration", block: { ...copy(c[12]), prev_hash: blockHash(c[11], 2) }, prev: c[11], expected: [{ code: "LEGACY_PREV_HASH_MISMATCH", field: "prev_hash" }] });
  add({ name: "first-pq-block-links-with-sha256", description: "first v1.5 block whose pq_prev_hash copies prev_hash (the SHA-256 hash of block 1)", registry: "migration", block: { ...copy(c[2]), pq_prev_hash: c[2].prev_hash }, prev: c[1], expected: [{ code: "PQ_PREV_HASH_MISMATCH", field: "pq_prev_hash" }] });
  add({ name: "first-v3-block-links-with-sha256", description: "first v3 block whose pq_prev_hash is the SHA-256 hash of block 7", registry: "migration", block: { ...copy(c[8]), pq_prev_hash: blockHash(c[7], 0) }, prev: c[7], expected: [{ code: "PQ_PREV_HASH_MISMATCH", field: "pq_prev_hash" }] });
  add({ name: "algorithm-change-links-with-old-algorithm", description: "first BLAKE3 block whose pq_prev_hash is block 9's SHA3-256 hash (its hash under the old algorithm)", registry: "migration", block: { ...copy(c[10]), pq_prev_hash: blockHash(c[9], 1) }, prev: c[9], expected: [{ code: "PQ_PREV_HASH_MISMATCH", field: "pq_prev_hash" }] });
  add({ name: "genesis-after-a-block", description: "the genesis block validated with a predecessor", registry: "migration", block: copy(c[0]), prev: c[13], expected: [{ code: "BLOCK_NUMBER_DISCONTINUITY", field: "block_number" }] });
  add({ name: "block-number-skips", description: "block 5 validated against block 3: the number does not follow, and neither prev-hash matches", registry: "migration", block: copy(c[5]), prev: c[3], expected: [{ code: "BLOCK_NUMBER_DISCONTINUITY", field: "block_number" }, { code: "LEGACY_PREV_HASH_MISMATCH", field: "prev_hash" }, { code: "PQ_PREV_HASH_MISMATCH", field: "pq_prev_hash" }] });
  add({ name: "timestamp-regression", description: "BLAKE3 v3 block one second earlier than its predecessor (MEDIUM: INVALID)", registry: "migration", block: { ...copy(c[11]), timestamp: c[10].timestamp - 1 }, prev: c[10], expected: [{ code: "TIMESTAMP_REGRESSION", field: "timestamp" }] });
  add({ name: "timestamp-equal-is-fine", description: "a timestamp equal to the predecessor's is not a regression", registry: "migration", block: { ...copy(c[11]), timestamp: c[10].timestamp }, prev: c[10], expected: [] });
  add({ name: "timestamp-in-future", description: "timestamp 7201 s ahead of the validator's clock (allowed: 7200 s): LOW, the block stays VALID", registry: "migration", block: copy(c[13]), prev: c[12], now: c[13].timestamp - 7201, expected: [{ code: "TIMESTAMP_IN_FUTURE", field: "timestamp" }] });
  add({ name: "timestamp-at-drift-limit", description: "timestamp exactly 7200 s ahead of the validator's clock: allowed", registry: "migration", block: copy(c[13]), prev: c[12], now: c[13].timestamp - 7200, expected: [] });
  add({ name: "lone-block-without-predecessor", description: "a non-genesis block validated without its predecessor: only what it says about itself is checked", registry: "migration", block: copy(c[5]), prev: null, expected: [], predecessor_checked: false });

  const orderIndex = (e: Expected) => ["CRITICAL", "HIGH", "MEDIUM", "LOW"].indexOf(SEVERITY[e.code]);
  const invalid = vectors.map((v) => {
    const expected = [...v.expected].sort((a, b) => orderIndex(a) - orderIndex(b) || a.code.localeCompare(b.code) || String(a.field).localeCompare(String(b.field)));
    const verdict = expected.some((e) => SEVERITY[e.code] !== "LOW") ? "INVALID" : "VALID";
    const result = validateBlock(JSON.parse(JSON.stringify(v.block)), { epochs: REGISTRIES[v.registry] as Epoch[], prev: v.prev as Block | null, now: v.now });
    const got = result.violations.map((x) => ({ code: x.code, field: x.field })).sort((a, b) => orderIndex(a) - orderIndex(b) || a.code.localeCompare(b.code) || String(a.field).localeCompare(String(b.field)));
    assert.deepEqual(got, expected, `lib disagrees with the spec on ${v.name}`);
    assert.equal(result.verdict, verdict, v.name);
    const predecessorChecked = v.predecessor_checked ?? true;
    assert.equal(result.predecessor_checked, predecessorChecked, `${v.name} predecessor_checked`);
    return {
      name: v.name,
      description: v.description,
      registry: v.registry,
      block: v.block,
      prev: v.prev,
      ...(v.now !== undefined ? { now: v.now } : {}),
      expected: { verdict, predecessor_checked: predecessorChecked, violations: expected.map((e) => ({ ...e, severity: SEVERITY[e.code] })) },
      source: "hand-written from docs/spec/consensus.md §5 and §7; the block derived from the reference chain by scripts/vectors/generate.ts",
    };
  });
  const covered = new Set(invalid.flatMap((v) => v.expected.violations.map((x) => x.code)));
  for (const code of Object.keys(SEVERITY)) assert.ok(covered.has(code), `no vector for ${code}`);

  return {
    description:
      "Blocks (spec §3-§7). `chain` is a 14-block chain over the `migration` registry that crosses every kind of epoch boundary (v1 -> v1.5 -> v2 -> v2.5 -> v3 SHA3-256 -> v3 BLAKE3 -> v1-legacy rollback); each entry gives the block JSON, its leaf data, its canonical header bytes, its block hash under every algorithm, its primary hash, its content id, and what each prev-hash links to. Every chain block is VALID when validated against its predecessor. `invalid` lists tampered blocks, each with the registry to use, its predecessor (null: none given), an optional validator clock `now` (Unix seconds, drift limit 7200 s), and the exact multiset of violations (code, field, severity) and the verdict a conforming validator reports; `block` is untrusted JSON and may be malformed on purpose.",
    source:
      "Generated by scripts/vectors/generate.ts: chain values computed by an independent encoder (scripts/vectors/reference.ts, node:crypto + @noble/hashes blake3) from the spec's byte tables; expected violations written by hand from the spec. lib/ was checked to agree with every value before writing.",
    registries: REGISTRIES,
    genesis_prev_hash: ZERO_HASH,
    chain,
    invalid,
  };
}

export { T0 };
