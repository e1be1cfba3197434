/**
 * Checks lib/ against every golden vector in test-vectors/ (docs/spec/consensus.md §9). One describe per file.
 * The vectors are data: published values (hash.json, merkle-rfc6962.json) or values computed by an independent
 * implementation (scripts/vectors/reference.ts); regenerate them with `npx tsx scripts/vectors/generate.ts`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { algorithmByName, nobleHashSuite, type HashSuite } from "../crypto/hash-algorithms";
import { loadWasmHashSuite } from "../crypto/wasm-hash-suite";
import { isAppError } from "../errors";
import { toBareHex, toHex } from "../encoding/hex";
import { blockContentId, blockHash, dualCommitment, encodeHeader, encodeStatement, type Block } from "./block";
import { consistencyProof, emptyRoot, inclusionProof, leafHash, merkleRoot, nodeHash, verifyConsistency, verifyInclusion } from "./merkle";
import { findEpoch, listTransitions, parseEpochRegistry, registerEpoch, type Epoch } from "./epochs";
import { sealBlock } from "./seal-block";
import { validateBlock } from "./validate-block";
import { validateChain } from "./validate-chain";
import { finalizedHeight, planReorg, primaryHash } from "./fork-choice";

/* eslint-disable @typescript-eslint/no-explicit-any -- the vectors are untyped JSON by design */
const DIR = fileURLToPath(new URL("../../test-vectors/", import.meta.url));
const load = (name: string): any => JSON.parse(readFileSync(join(DIR, name), "utf8"));
const bytes = (bareHex: string) => Uint8Array.from(Buffer.from(bareHex, "hex"));

/** Where each file keeps its vectors: every entry of these arrays must name its source. */
const VECTOR_ARRAYS: Record<string, (f: any) => any[][]> = {
  "hash.json": (f) => [f.vectors],
  "merkle-rfc6962.json": (f) => [f.roots, f.hasher, f.inclusion_proofs, f.consistency_proofs, f.must_fail_inclusion, f.must_fail_consistency],
  "merkle-pq.json": (f) => f.algorithms.flatMap((a: any) => [a.roots, a.inclusion_proofs, a.consistency_proofs]),
  "blocks.json": (f) => [f.chain, f.invalid, f.json_text],
  "epochs.json": (f) => [f.valid, f.invalid, f.registrations, f.json_text],
  "fork-choice.json": (f) => [f.cases, f.finality],
  // Checked in full by lib/governance/governance-vectors.test.ts.
  "governance.json": (f) => [f.keys, f.messages, f.refused, f.tallies, f.review_consensus, f.audit_log, f.key_files],
};

let wasm: HashSuite;
beforeAll(async () => {
  wasm = await loadWasmHashSuite();
});
const suites = () => [nobleHashSuite, wasm];

describe("test-vectors/", () => {
  it("holds exactly the files this test knows how to check", () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith(".json")).sort()).toEqual(Object.keys(VECTOR_ARRAYS).sort());
  });
  it("gives every file a description and a source, and every vector a source", () => {
    for (const [name, arrays] of Object.entries(VECTOR_ARRAYS)) {
      const file = load(name);
      expect(typeof file.description, name).toBe("string");
      expect(typeof file.source, name).toBe("string");
      for (const list of arrays(file)) {
        expect(list.length, name).toBeGreaterThan(0);
        for (const v of list) expect(typeof v.source, `${name}: ${JSON.stringify(v).slice(0, 80)}`).toBe("string");
      }
    }
  });
});

function hashInput(input: any): Uint8Array {
  if (input.encoding === "blake3-pattern") return Uint8Array.from({ length: input.length }, (_, i) => i % 251);
  const one = input.encoding === "utf8" ? Buffer.from(input.value, "utf8") : Buffer.from(input.value, "hex");
  return new Uint8Array(Buffer.concat(Array(input.repeat ?? 1).fill(one)));
}

describe("hash.json", () => {
  const file = load("hash.json");
  it("covers every registered algorithm", () => {
    expect(new Set(file.vectors.map((v: any) => v.algorithm))).toEqual(new Set(["SHA-256", "SHA3-256", "BLAKE3"]));
  });
  it("every published digest is reproduced by both the noble and the hash-wasm suites", () => {
    for (const v of file.vectors) {
      expect(algorithmByName(v.algorithm).id).toBe(v.algorithm_id);
      const data = hashInput(v.input);
      for (const suite of suites()) expect(toBareHex(suite.get(v.algorithm_id).digest(data)), `${suite.implementation} ${v.algorithm} ${v.description}`).toBe(v.digest);
    }
  });
});

function checkMerkleGroup(suite: HashSuite, algorithmId: number, leavesHex: string[], group: any) {
  const alg = suite.get(algorithmId);
  const leaves = leavesHex.map(bytes);
  for (const r of group.roots) expect(toBareHex(merkleRoot(alg, leaves.slice(0, r.tree_size))), `root of ${r.tree_size}`).toBe(r.root);
  for (const p of group.inclusion_proofs) {
    const tree = leaves.slice(0, p.tree_size);
    expect(inclusionProof(alg, tree, p.leaf_index).path.map(toBareHex), `path ${p.leaf_index}/${p.tree_size}`).toEqual(p.path);
    expect(verifyInclusion(alg, leaves[p.leaf_index], { leafIndex: p.leaf_index, treeSize: p.tree_size, path: p.path.map(bytes) }, bytes(p.root))).toBe(true);
  }
  for (const c of group.consistency_proofs) {
    expect(consistencyProof(alg, leaves.slice(0, c.new_size), c.old_size).map(toBareHex), `consistency ${c.old_size}->${c.new_size}`).toEqual(c.proof);
    expect(verifyConsistency(alg, c.old_size, c.new_size, bytes(c.old_root), bytes(c.new_root), c.proof.map(bytes))).toBe(true);
  }
}

describe("merkle-rfc6962.json", () => {
  const file = load("merkle-rfc6962.json");
  it("the empty tree is SHA-256 of no input", () => {
    for (const suite of suites()) expect(toBareHex(emptyRoot(suite.get(0)))).toBe(file.empty_root.root);
  });
  it("leaf and node hashes use the 0x00 and 0x01 prefixes", () => {
    for (const suite of suites()) {
      for (const h of file.hasher) {
        const got = h.kind === "leaf" ? leafHash(suite.get(0), bytes(h.data_hex)) : nodeHash(suite.get(0), bytes(h.left_hex), bytes(h.right_hex));
        expect(toBareHex(got), h.description).toBe(h.digest);
      }
    }
  });
  it("reproduces every published root, inclusion proof and consistency proof, and verifies them", () => {
    for (const suite of suites()) checkMerkleGroup(suite, 0, file.leaves_hex, file);
  });
  it("rejects every corrupted inclusion proof", () => {
    const alg = nobleHashSuite.get(0);
    for (const v of file.must_fail_inclusion) {
      expect(verifyInclusion(alg, bytes(v.leaf_hex), { leafIndex: v.leaf_index, treeSize: v.tree_size, path: v.path.map(bytes) }, bytes(v.root)), v.description).toBe(false);
    }
  });
  it("rejects every corrupted consistency proof", () => {
    const alg = nobleHashSuite.get(0);
    for (const v of file.must_fail_consistency) {
      expect(verifyConsistency(alg, v.old_size, v.new_size, bytes(v.old_root), bytes(v.new_root), v.proof.map(bytes)), v.description).toBe(false);
    }
  });
});

describe("merkle-pq.json", () => {
  const file = load("merkle-pq.json");
  it("covers SHA3-256 and BLAKE3", () => {
    expect(file.algorithms.map((a: any) => a.hash_algorithm)).toEqual(["SHA3-256", "BLAKE3"]);
  });
  it("empty roots and leaf hashes match", () => {
    for (const suite of suites()) {
      for (const a of file.algorithms) {
        expect(toBareHex(emptyRoot(suite.get(a.algorithm_id)))).toBe(a.empty_root);
        expect(file.leaves_hex.map((h: string) => toBareHex(leafHash(suite.get(a.algorithm_id), bytes(h))))).toEqual(a.leaf_hashes);
      }
    }
  });
  it("every root, inclusion proof and consistency proof is reproduced and verifies", () => {
    for (const suite of suites()) for (const a of file.algorithms) checkMerkleGroup(suite, a.algorithm_id, file.leaves_hex, a);
  });
});

const sortViolations = (list: { code: string; field: string | null; severity: string }[]) =>
  [...list].map(({ code, field, severity }) => ({ code, field, severity })).sort((a, b) => `${a.code}|${a.field}`.localeCompare(`${b.code}|${b.field}`));

describe("blocks.json", () => {
  const file = load("blocks.json");
  const epochs = parseEpochRegistry(file.registries.migration);
  const chain: Block[] = file.chain.map((c: any) => c.block);

  it("the migration registry is a valid registry", () => {
    expect(epochs).toHaveLength(file.registries.migration.length);
  });
  it("statement leaf data is the UTF-8 bytes of each statement", () => {
    for (const c of file.chain) expect(c.block.statements.map((s: string) => toBareHex(encodeStatement(s)))).toEqual(c.leaf_data_hex);
  });
  it("header bytes, block hashes under every algorithm, dual commitments and content ids match", () => {
    for (const suite of suites()) {
      for (const c of file.chain) {
        expect(toHex(encodeHeader(c.block)), `header of ${c.block_number}`).toBe(c.header_hex);
        expect(encodeHeader(c.block).length).toBe(c.header_length);
        for (const [name, hash] of Object.entries(c.block_hashes)) expect(blockHash(c.block, suite.get(algorithmByName(name).id)), `${name} hash of ${c.block_number}`).toBe(hash);
        expect(blockContentId(c.block, suite)).toBe(c.content_id);
        expect(primaryHash(c.block, epochs, suite)).toBe(c.primary_hash);
        if (c.block.dual_commitment !== null) {
          expect(dualCommitment(suite.get(c.block.pq_algorithm), c.block.merkle_root, c.block.pq_merkle_root)).toBe(c.block.dual_commitment);
        }
      }
    }
  });
  it("sealing each block's statements after its predecessor reproduces the block exactly", () => {
    for (const suite of suites()) {
      chain.forEach((b, n) => {
        const sealed = sealBlock({ statements: b.statements, epochs, prev: n === 0 ? null : chain[n - 1], timestamp: b.timestamp, includeOptionalPq: b.pq_algorithm !== null, suite });
        expect(sealed, `block ${n}`).toEqual(b);
      });
    }
  });
  it("every chain block is VALID against its predecessor, and the chain as a whole is VALID", () => {
    for (const suite of suites()) {
      chain.forEach((b, n) => {
        const r = validateBlock(b, { epochs, prev: n === 0 ? null : chain[n - 1], suite });
        expect(r.violations, `block ${n}`).toEqual([]);
        expect(r.verdict).toBe("VALID");
      });
      expect(validateChain(chain, { epochs, suite }).verdict).toBe("VALID");
    }
  });
  it("links follow spec §5.3: prev_hash is the predecessor's SHA-256 hash, pq_prev_hash its hash under the block's PQ algorithm", () => {
    file.chain.forEach((c: any, n: number) => {
      if (n === 0) return;
      const prev = file.chain[n - 1];
      if (c.block.prev_hash !== null) expect(c.block.prev_hash).toBe(prev.block_hashes["SHA-256"]);
      if (c.block.pq_prev_hash !== null) expect(c.block.pq_prev_hash).toBe(Object.values(prev.block_hashes)[c.block.pq_algorithm]);
    });
  });
  it("every invalid vector gets exactly the expected violations, verdict and predecessor check", () => {
    for (const suite of suites()) {
      for (const v of file.invalid) {
        const r = validateBlock(structuredClone(v.block), { epochs: file.registries[v.registry] as Epoch[], prev: v.prev, now: v.now, suite });
        expect(sortViolations(r.violations), v.name).toEqual(sortViolations(v.expected.violations));
        expect(r.verdict, v.name).toBe(v.expected.verdict);
        expect(r.predecessor_checked, v.name).toBe(v.expected.predecessor_checked);
      }
    }
  });
  it("every json_text vector, parsed from its raw text, gets the expected violations (integers are judged on the parsed double)", () => {
    for (const suite of suites()) {
      for (const v of file.json_text) {
        const r = validateBlock(JSON.parse(v.block_json), { epochs: file.registries[v.registry] as Epoch[], prev: v.prev, suite });
        expect(sortViolations(r.violations), v.name).toEqual(sortViolations(v.expected.violations));
        expect(r.verdict, v.name).toBe(v.expected.verdict);
        expect(r.predecessor_checked, v.name).toBe(v.expected.predecessor_checked);
      }
    }
  });
});

function errorCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

describe("epochs.json", () => {
  const file = load("epochs.json");
  it("accepts every valid registry", () => {
    for (const v of file.valid) expect(errorCode(() => parseEpochRegistry(v.registry)), v.name).toBeNull();
  });
  it("rejects every invalid registry with the expected code", () => {
    for (const v of file.invalid) expect(errorCode(() => parseEpochRegistry(v.registry)), v.name).toBe(v.error);
  });
  it("judges the integer fields of raw-text registries on the parsed double (json_text)", () => {
    for (const v of file.json_text) expect(errorCode(() => parseEpochRegistry(JSON.parse(v.registry_json))), v.name).toBe(v.error);
  });
  it("registers new epochs above the finalized height only, closing the open epoch", () => {
    for (const r of file.registrations) {
      let result: Epoch[] | null = null;
      expect(errorCode(() => (result = registerEpoch(r.registry, r.new_epoch, { finalizedHeight: r.finalized_height }))), r.name).toBe(r.error);
      expect(result, r.name).toEqual(r.result);
    }
  });
  it("resolves the epoch of a block and lists transitions with their kind", () => {
    const epochs = parseEpochRegistry(file.valid[0].registry);
    for (const c of file.resolution.cases) {
      const e = findEpoch(epochs, c.block_number)!;
      expect({ start_block: e.start_block, rule_version: e.rule_version, algorithm_id: e.algorithm_id }).toEqual({ start_block: c.start_block, rule_version: c.rule_version, algorithm_id: c.algorithm_id });
    }
    expect(
      listTransitions(epochs).map((t) => ({ block_number: t.block_number, from: t.from.rule_version, to: t.to.rule_version, from_algorithm_id: t.from.algorithm_id, to_algorithm_id: t.to.algorithm_id, kind: t.kind })),
    ).toEqual(file.transitions.cases);
  });
});

describe("fork-choice.json", () => {
  const file = load("fork-choice.json");
  const epochs = parseEpochRegistry(file.registry);
  it("every case gets the expected decision and reorg report", () => {
    for (const k of file.cases) {
      const base: Block[] = file.chain.slice(0, k.canonical_through + 1);
      const canonical = k.canonical_replacements ? [...base.slice(0, base.length - k.canonical_replacements.length), ...k.canonical_replacements] : base;
      const plan = planReorg({ canonical, branch: k.branch, epochs, params: k.params });
      expect(
        {
          decision: plan.decision,
          reason: plan.reason,
          fork_point: plan.fork_point,
          finalized_height: plan.finalized_height,
          rolled_back: plan.rolled_back.map((r) => r.block_number),
          adopted: plan.adopted.map((r) => r.block_number),
          statements_rolled_back: plan.statements_rolled_back,
          activation_blocks_rolled_back: plan.activation_blocks_rolled_back,
        },
        k.name,
      ).toEqual(k.expected);
      expect(plan.old_tip!.hash).toBe(k.tip_primary_hashes.canonical);
      expect(plan.new_tip?.hash ?? null).toBe(k.tip_primary_hashes.branch);
    }
  });
  it("finalized heights follow tip - depth", () => {
    for (const f of file.finality) expect(finalizedHeight(f.tip, { finalityDepth: f.finality_depth, activationFinalityDepth: 1 })).toBe(f.finalized_height);
  });
});
