import { describe, expect, it } from "vitest";
import { makeEpoch, registerEpoch, type Epoch } from "./epochs";
import { sealBlock } from "./seal-block";
import { blockHash, dualCommitment, GENESIS_PREV_HASH, type Block } from "./block";
import { validateBlock, type BlockValidation } from "./validate-block";
import { VIOLATION_CATALOG, VIOLATION_CODES, type ViolationCode } from "./violations";
import { nobleHashSuite } from "../crypto/hash-algorithms";

const GOV = "0x" + "ab".repeat(32);
/** Every rule version in order, an algorithm change and a rollback: 5 blocks each. */
const EPOCHS: Epoch[] = [
  makeEpoch(0, "v1-legacy", 0x00, 1_700_000_000, null, 4),
  makeEpoch(5, "v1.5-pq-optional", 0x01, 1_700_000_000, GOV, 9),
  makeEpoch(10, "v2-dual-required", 0x01, 1_700_000_000, GOV, 14),
  makeEpoch(15, "v2.5-pq-primary", 0x01, 1_700_000_000, GOV, 19),
  makeEpoch(20, "v3-pq-only", 0x01, 1_700_000_000, GOV, 24),
  makeEpoch(25, "v3-pq-only", 0x02, 1_700_000_000, GOV, 29),
  makeEpoch(30, "v1-legacy", 0x00, 1_700_000_000, GOV),
];

function buildChain(count: number, epochs: Epoch[] = EPOCHS): Block[] {
  const chain: Block[] = [];
  let prev: Block | null = null;
  for (let n = 0; n < count; n++) {
    prev = sealBlock({ statements: [`theorem_${n}: ${n} + 0 = ${n}`, `lemma_${n}: ∀x ∈ ℕ, x ≤ x + ${n}`], epochs, prev, timestamp: 1_700_000_000 + n * 2 });
    chain.push(prev);
  }
  return chain;
}
const CHAIN = buildChain(35);
const at = (n: number) => structuredClone(CHAIN[n]);
const validate = (block: unknown, n: number, extra: Partial<Parameters<typeof validateBlock>[1]> = {}) =>
  validateBlock(block, { epochs: EPOCHS, prev: n > 0 ? CHAIN[n - 1] : null, ...extra });
const codes = (r: BlockValidation) => r.violations.map((v) => v.code).sort();
const FLIP = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

const tested = new Set<ViolationCode>();
function expectOnly(result: BlockValidation, code: ViolationCode, count = 1): void {
  tested.add(code);
  expect(codes(result)).toEqual(Array(count).fill(code));
  for (const v of result.violations) {
    expect(v.severity).toBe(VIOLATION_CATALOG[code].severity);
    expect(v.message.length).toBeGreaterThan(10);
  }
  expect(result.verdict).toBe(VIOLATION_CATALOG[code].severity === "LOW" ? "VALID" : "INVALID");
}

describe("validateBlock on untouched blocks", () => {
  it("finds no violation in a chain sealed across every kind of epoch boundary", () => {
    CHAIN.forEach((block, n) => {
      const r = validate(block, n);
      expect(r.violations, `block ${n}`).toEqual([]);
      expect(r.verdict).toBe("VALID");
      expect(r.predecessor_checked).toBe(true);
    });
  });

  it("judges each block under its own epoch, so history stays valid after later registrations", () => {
    const later = registerEpoch(EPOCHS, makeEpoch(100, "v2-dual-required", 0x02, 1_800_000_000, GOV), { finalizedHeight: 40 });
    CHAIN.forEach((block, n) => expect(validateBlock(block, { epochs: later, prev: n ? CHAIN[n - 1] : null }).violations).toEqual([]));
  });

  it("checks only what a lone non-genesis block says about itself when no predecessor is given", () => {
    const r = validateBlock(CHAIN[12], { epochs: EPOCHS });
    expect(r.verdict).toBe("VALID");
    expect(r.predecessor_checked).toBe(false);
  });

  it("accepts a v1.5 block without any PQ field (they are optional)", () => {
    const b = at(7);
    for (const f of ["pq_algorithm", "pq_prev_hash", "pq_merkle_root", "dual_commitment"] as const) b[f] = null;
    expect(validate(b, 7).violations).toEqual([]);
  });

  it("accepts absent fields spelled as missing keys as well as null", () => {
    const b = at(3) as Partial<Block>;
    delete b.pq_algorithm;
    delete b.dual_commitment;
    expect(validate(b, 3).violations).toEqual([]);
  });

  it("gives the same verdict with the wasm suite", async () => {
    const { loadWasmHashSuite } = await import("../crypto/wasm-hash-suite");
    const suite = await loadWasmHashSuite();
    CHAIN.forEach((block, n) => expect(validate(block, n, { suite }).violations).toEqual([]));
  });
});

describe("validateBlock with a malformed predecessor", () => {
  it("does not throw and does not check links to a predecessor whose header is malformed", () => {
    const badPrev = { ...at(11), prev_hash: "0xNOTHEX" } as unknown as Block;
    const r = validateBlock(CHAIN[12], { epochs: EPOCHS, prev: badPrev });
    expect(r.violations).toEqual([]);
    expect(r.predecessor_checked).toBe(false);
  });

  it("in a chain, reports the malformed block once and no false link violation on its successor", async () => {
    const { validateChain } = await import("./validate-chain");
    const chain: unknown[] = CHAIN.slice(0, 15).map((b) => structuredClone(b));
    (chain[12] as Record<string, unknown>).block_number = "twelve";
    const r = validateChain(chain, { epochs: EPOCHS });
    expect(r.invalid.map((x) => [x.block_number, x.violations.map((v) => v.code)])).toEqual([[null, ["MALFORMED_FIELD"]]]);
    expect(r.results[13].predecessor_checked).toBe(false);
  });
});

describe("validateBlock: one test per violation type", () => {
  it("MALFORMED_FIELD for each field of the wrong type or form, each reported once and not again as missing", () => {
    const b = at(12) as unknown as Record<string, unknown>;
    b.merkle_root = (b.merkle_root as string).toUpperCase().replace("0X", "0x");
    b.pq_prev_hash = "0x1234";
    b.timestamp = "1700000000";
    b.pq_algorithm = 1.5;
    b.statements = ["ok", 7];
    const r = validate(b, 12);
    expectOnly(r, "MALFORMED_FIELD", 5);
    expect(r.violations.map((v) => v.field).sort()).toEqual(["merkle_root", "pq_algorithm", "pq_prev_hash", "statements[1]", "timestamp"]);
    expect(r.violations.find((v) => v.field === "timestamp")!.message).toMatch(/timestamp must be a non-negative integer \(Unix seconds\), got "1700000000"/);
  });

  it("MALFORMED_FIELD for a non-object and for an unreadable block number, with block_number null", () => {
    expectOnly(validateBlock([1, 2], { epochs: EPOCHS }), "MALFORMED_FIELD");
    const r = validateBlock({ ...at(3), block_number: -3 }, { epochs: EPOCHS });
    expectOnly(r, "MALFORMED_FIELD");
    expect(r.violations[0].block_number).toBeNull();
  });

  it("MALFORMED_FIELD for a statement with a lone surrogate (it has no single UTF-8 encoding)", () => {
    const b = at(3);
    b.statements[0] = "x\ud800y";
    expectOnly(validate(b, 3), "MALFORMED_FIELD");
  });

  it("UNKNOWN_FIELD is advisory (LOW) and leaves the block VALID", () => {
    expectOnly(validate({ ...at(3), miner: "alice" }, 3), "UNKNOWN_FIELD");
  });

  it("NO_EPOCH when the registry does not cover the block", () => {
    const closed = EPOCHS.slice(0, 2);
    expectOnly(validateBlock(CHAIN[10], { epochs: closed, prev: CHAIN[9] }), "NO_EPOCH");
  });

  it("UNKNOWN_RULE_VERSION when the block's epoch names a version this node does not know", () => {
    const epochs = [{ ...EPOCHS[0], end_block: null, rule_version: "v4-lattice" }] as unknown as Epoch[];
    expectOnly(validateBlock(CHAIN[0], { epochs }), "UNKNOWN_RULE_VERSION");
  });

  it("UNKNOWN_ALGORITHM for an unregistered pq_algorithm, skipping the checks that need it", () => {
    const r = validate({ ...at(12), pq_algorithm: 0xff }, 12);
    expectOnly(r, "UNKNOWN_ALGORITHM");
    expect(r.violations[0].message).toMatch(/0xff is not a registered hash algorithm; the epoch requires 0x01 SHA3-256/);
  });

  it("ALGORITHM_MISMATCH for a block sealed consistently with the wrong (known) algorithm", () => {
    const wrong = EPOCHS.map((e) => (e.start_block === 10 ? makeEpoch(10, "v2-dual-required", 0x02, e.activation_timestamp, GOV, 14) : e));
    const b = sealBlock({ statements: CHAIN[12].statements, epochs: wrong, prev: CHAIN[11], timestamp: CHAIN[12].timestamp });
    const r = validate(b, 12);
    expectOnly(r, "ALGORITHM_MISMATCH");
    expect(r.violations[0]).toMatchObject({ field: "pq_algorithm", expected: "0x01", actual: "0x02" });
  });

  it("MISSING_LEGACY_FIELD for each absent legacy field where the legacy chain is required", () => {
    expectOnly(validate({ ...at(17), merkle_root: null }, 17), "MISSING_LEGACY_FIELD");
    expectOnly(validate({ ...at(2), prev_hash: null, merkle_root: null }, 2), "MISSING_LEGACY_FIELD", 2);
  });

  it("UNEXPECTED_LEGACY_FIELD for legacy fields or a dual commitment in a PQ-only epoch", () => {
    const b = { ...at(22), prev_hash: blockHash(CHAIN[21], nobleHashSuite.get(0)) };
    expectOnly(validate(b, 22), "UNEXPECTED_LEGACY_FIELD");
    expectOnly(validate({ ...at(22), dual_commitment: CHAIN[12].dual_commitment }, 22), "UNEXPECTED_LEGACY_FIELD");
  });

  it("MISSING_PQ_FIELD for an absent required PQ field, and for a partial set in v1.5", () => {
    expectOnly(validate({ ...at(12), pq_merkle_root: null }, 12), "MISSING_PQ_FIELD");
    expectOnly(validate({ ...at(12), dual_commitment: null }, 12), "MISSING_PQ_FIELD");
    expectOnly(validate({ ...at(22), pq_prev_hash: null }, 22), "MISSING_PQ_FIELD");
    const r = validate({ ...at(7), pq_prev_hash: null }, 7);
    expectOnly(r, "MISSING_PQ_FIELD");
    expect(r.violations[0].message).toMatch(/when any PQ field is present in v1.5-pq-optional, all must be/);
  });

  it("UNEXPECTED_PQ_FIELD for PQ fields in a legacy-only epoch (before the migration and after a rollback)", () => {
    const donor = CHAIN[7];
    const withPq = { ...at(3), pq_algorithm: 1, pq_prev_hash: donor.pq_prev_hash, pq_merkle_root: donor.pq_merkle_root, dual_commitment: donor.dual_commitment };
    expectOnly(validate(withPq, 3), "UNEXPECTED_PQ_FIELD", 4);
    expectOnly(validate({ ...at(31), pq_algorithm: 0 }, 31), "UNEXPECTED_PQ_FIELD");
  });

  it("LEGACY_MERKLE_ROOT_MISMATCH names the expected and the declared root", () => {
    const b = at(12);
    b.merkle_root = FLIP(b.merkle_root!);
    const r = validate(b, 12);
    expectOnly(r, "LEGACY_MERKLE_ROOT_MISMATCH");
    expect(r.violations[0]).toMatchObject({ field: "merkle_root", expected: CHAIN[12].merkle_root, actual: b.merkle_root });
  });

  it("PQ_MERKLE_ROOT_MISMATCH names the algorithm", () => {
    const b = at(27);
    b.pq_merkle_root = FLIP(b.pq_merkle_root!);
    const r = validate(b, 27);
    expectOnly(r, "PQ_MERKLE_ROOT_MISMATCH");
    expect(r.violations[0].message).toMatch(/BLAKE3 Merkle root of the 2 statements/);
  });

  it("both root mismatches, and no commitment mismatch, when the statements are changed under a consistent header", () => {
    const b = at(17);
    b.statements[1] += " ";
    expect(codes(validate(b, 17))).toEqual(["LEGACY_MERKLE_ROOT_MISMATCH", "PQ_MERKLE_ROOT_MISMATCH"]);
  });

  it("DUAL_COMMITMENT_MISMATCH when the commitment does not bind the two roots", () => {
    const b = at(12);
    b.dual_commitment = FLIP(b.dual_commitment!);
    expectOnly(validate(b, 12), "DUAL_COMMITMENT_MISMATCH");
    // A commitment made with the right roots but another algorithm id is refused too (ids are bound).
    const other = at(12);
    other.dual_commitment = dualCommitment(nobleHashSuite.get(2), other.merkle_root!, other.pq_merkle_root!);
    expectOnly(validate(other, 12), "DUAL_COMMITMENT_MISMATCH");
  });

  it("LEGACY_PREV_HASH_MISMATCH against the predecessor's SHA-256 hash, and against zero at genesis", () => {
    const b = at(12);
    b.prev_hash = FLIP(b.prev_hash!);
    const r = validate(b, 12);
    expectOnly(r, "LEGACY_PREV_HASH_MISMATCH");
    expect(r.violations[0].expected).toBe(blockHash(CHAIN[11], nobleHashSuite.get(0)));
    const g = at(0);
    g.prev_hash = "0x" + "11".repeat(32);
    const rg = validate(g, 0);
    expectOnly(rg, "LEGACY_PREV_HASH_MISMATCH");
    expect(rg.violations[0].expected).toBe(GENESIS_PREV_HASH);
  });

  it("PQ_PREV_HASH_MISMATCH against the predecessor's hash under the block's PQ algorithm", () => {
    const b = at(25); // first BLAKE3 block: links to block 24 (a SHA3 block) by its BLAKE3 hash
    b.pq_prev_hash = blockHash(CHAIN[24], nobleHashSuite.get(1));
    const r = validate(b, 25);
    expectOnly(r, "PQ_PREV_HASH_MISMATCH");
    expect(r.violations[0].expected).toBe(blockHash(CHAIN[24], nobleHashSuite.get(2)));
  });

  it("BLOCK_NUMBER_DISCONTINUITY when the number is not the predecessor's plus one", () => {
    const r = validateBlock(CHAIN[13], { epochs: EPOCHS, prev: CHAIN[11] });
    expect(codes(r)).toContain("BLOCK_NUMBER_DISCONTINUITY");
    tested.add("BLOCK_NUMBER_DISCONTINUITY");
    expectOnly(validate({ ...at(12), block_number: 13 }, 12), "BLOCK_NUMBER_DISCONTINUITY");
  });

  it("TIMESTAMP_REGRESSION when earlier than the predecessor (equal is allowed)", () => {
    expectOnly(validate({ ...at(3), timestamp: CHAIN[2].timestamp - 1 }, 3), "TIMESTAMP_REGRESSION");
    // Equal timestamps are fine, but changing the header changes nothing else here: block 3 has no successor.
    expect(codes(validate({ ...at(3), timestamp: CHAIN[2].timestamp }, 3))).toEqual([]);
  });

  it("TIMESTAMP_IN_FUTURE is advisory and only checked when a clock is given", () => {
    const b = at(3);
    expectOnly(validate(b, 3, { now: b.timestamp - 7201 }), "TIMESTAMP_IN_FUTURE");
    expect(validate(b, 3, { now: b.timestamp - 7200 }).violations).toEqual([]);
  });

  it("reports every violation of a block at once, most severe first", () => {
    const b = at(12) as unknown as Record<string, unknown>;
    b.timestamp = CHAIN[11].timestamp - 5;
    b.merkle_root = FLIP(b.merkle_root as string);
    b.pq_prev_hash = null;
    b.extra = 1;
    const r = validate(b, 12);
    expect(r.violations.map((v) => v.code)).toEqual(["LEGACY_MERKLE_ROOT_MISMATCH", "MISSING_PQ_FIELD", "TIMESTAMP_REGRESSION", "UNKNOWN_FIELD"]);
    expect(r.violations.every((v) => v.block_number === 12)).toBe(true);
  });

  it("covers every code in the catalogue", () => {
    expect([...tested].sort()).toEqual([...VIOLATION_CODES].sort());
  });
});
