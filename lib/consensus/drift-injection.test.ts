/**
 * Drift injection: seal valid chains across every kind of epoch boundary, then play a faulty or hostile node that
 * produces a bad block at each height around the boundary, and check that validation names the fault exactly:
 * the expected code every time, nothing it could not be, and no violation on the untouched blocks before it.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { makeEpoch, resolveEpoch, type Epoch } from "./epochs";
import { sealBlock } from "./seal-block";
import { type Block } from "./block";
import { validateChain } from "./validate-chain";
import { ruleVersionRules } from "./rule-versions";
import type { ViolationCode } from "./violations";

const GOV = "0x" + "cd".repeat(32);
const T0 = 1_750_000_000;

interface Boundary {
  name: string;
  epochs: Epoch[];
  /** The activation block. */
  at: number;
}

const B = 4; // every boundary sits at block 4 of its own small registry
const pair = (name: string, before: Epoch, after: Epoch): Boundary => ({
  name,
  epochs: [{ ...before, end_block: B - 1 }, { ...after, start_block: B }],
  at: B,
});
const e = (v: Epoch["rule_version"], alg: number, gov: string | null = GOV) => makeEpoch(0, v, alg, T0, gov);

const BOUNDARIES: Boundary[] = [
  pair("v1-legacy → v1.5-pq-optional (SHA3-256)", e("v1-legacy", 0, null), e("v1.5-pq-optional", 1)),
  pair("v1-legacy → v2-dual-required (direct)", e("v1-legacy", 0, null), e("v2-dual-required", 1)),
  pair("v1.5-pq-optional → v2-dual-required", e("v1.5-pq-optional", 1, null), e("v2-dual-required", 1)),
  pair("v2-dual-required → v2.5-pq-primary", e("v2-dual-required", 1, null), e("v2.5-pq-primary", 1)),
  pair("v2.5-pq-primary → v3-pq-only", e("v2.5-pq-primary", 1, null), e("v3-pq-only", 1)),
  pair("v3-pq-only SHA3-256 → BLAKE3 (algorithm change)", e("v3-pq-only", 1, null), e("v3-pq-only", 2)),
  pair("v2-dual-required SHA3-256 → v2.5 BLAKE3", e("v2-dual-required", 1, null), e("v2.5-pq-primary", 2)),
  pair("v3-pq-only → v1-legacy (emergency rollback)", e("v3-pq-only", 1, null), e("v1-legacy", 0)),
  pair("v2.5-pq-primary → v1-legacy (emergency rollback)", e("v2.5-pq-primary", 2, null), e("v1-legacy", 0)),
];

function seal(epochs: Epoch[], count: number): Block[] {
  const chain: Block[] = [];
  let prev: Block | null = null;
  for (let n = 0; n < count; n++) {
    const statements = Array.from({ length: 1 + (n % 4) }, (_, i) => `prop_${n}_${i}: ∑_{k≤${n}} k = ${(n * (n + 1)) / 2}`);
    prev = sealBlock({ statements, epochs, prev, timestamp: T0 + 3 * n });
    chain.push(prev);
  }
  return chain;
}

const flip = (hex: string) => hex.slice(0, -2) + (hex.endsWith("ee") ? "ef" : "ee");

interface Tamper {
  name: string;
  /** Whether this fault can be played on a block of the given epoch. */
  applies: (epoch: Epoch, block: Block) => boolean;
  apply: (block: Block, ctx: { prev: Block; epochs: Epoch[] }) => unknown;
  expected: ViolationCode[];
  /** Codes that may accompany the expected one for this fault (e.g. a changed number landing in another epoch). */
  alsoAllowed?: ViolationCode[];
}

const legacy = (ep: Epoch) => ruleVersionRules(ep.rule_version).legacy === "required";
const pq = (_: Epoch, b: Block) => b.pq_algorithm !== null;
const dual = (ep: Epoch, b: Block) => legacy(ep) && pq(ep, b);
const otherPqAlg = (id: number) => (id === 1 ? 2 : 1);

const TAMPERS: Tamper[] = [
  { name: "legacy Merkle root forged", applies: legacy, apply: (b) => ({ ...b, merkle_root: flip(b.merkle_root!) }), expected: ["LEGACY_MERKLE_ROOT_MISMATCH"] },
  { name: "PQ Merkle root forged", applies: pq, apply: (b) => ({ ...b, pq_merkle_root: flip(b.pq_merkle_root!) }), expected: ["PQ_MERKLE_ROOT_MISMATCH"] },
  { name: "legacy prev-hash forged", applies: legacy, apply: (b) => ({ ...b, prev_hash: flip(b.prev_hash!) }), expected: ["LEGACY_PREV_HASH_MISMATCH"] },
  { name: "PQ prev-hash forged", applies: pq, apply: (b) => ({ ...b, pq_prev_hash: flip(b.pq_prev_hash!) }), expected: ["PQ_PREV_HASH_MISMATCH"] },
  { name: "dual commitment forged", applies: dual, apply: (b) => ({ ...b, dual_commitment: flip(b.dual_commitment!) }), expected: ["DUAL_COMMITMENT_MISMATCH"] },
  { name: "unknown algorithm id 0xff", applies: pq, apply: (b) => ({ ...b, pq_algorithm: 0xff }), expected: ["UNKNOWN_ALGORITHM"] },
  {
    name: "sealed with the wrong PQ algorithm",
    applies: pq,
    apply: (b, { prev, epochs }) => {
      const wrong = epochs.map((ep) => {
        if (b.block_number < ep.start_block || (ep.end_block !== null && b.block_number > ep.end_block)) return ep;
        const alg = otherPqAlg(ep.algorithm_id);
        return makeEpoch(ep.start_block, ep.rule_version, alg, ep.activation_timestamp, ep.governance_hash, ep.end_block);
      });
      return sealBlock({ statements: b.statements, epochs: wrong, prev, timestamp: b.timestamp });
    },
    expected: ["ALGORITHM_MISMATCH"],
  },
  {
    name: "statement altered",
    applies: () => true,
    apply: (b) => ({ ...b, statements: [b.statements[0] + "!", ...b.statements.slice(1)] }),
    expected: [],
  },
  { name: "statement dropped", applies: () => true, apply: (b) => ({ ...b, statements: b.statements.slice(0, -1) }), expected: [] },
  { name: "statement injected", applies: () => true, apply: (b) => ({ ...b, statements: [...b.statements, "1 = 2"] }), expected: [] },
  {
    name: "block number skipped",
    applies: () => true,
    apply: (b) => ({ ...b, block_number: b.block_number + 1 }),
    expected: ["BLOCK_NUMBER_DISCONTINUITY"],
    alsoAllowed: ["MISSING_LEGACY_FIELD", "MISSING_PQ_FIELD", "UNEXPECTED_LEGACY_FIELD", "UNEXPECTED_PQ_FIELD", "ALGORITHM_MISMATCH"],
  },
  { name: "timestamp regressed", applies: () => true, apply: (b, { prev }) => ({ ...b, timestamp: prev.timestamp - 1 }), expected: ["TIMESTAMP_REGRESSION"] },
  ...(["pq_algorithm", "pq_prev_hash", "pq_merkle_root"] as const).map(
    (f): Tamper => ({ name: `${f} withheld`, applies: pq, apply: (b) => ({ ...b, [f]: null }), expected: ["MISSING_PQ_FIELD"] }),
  ),
  { name: "dual commitment withheld", applies: dual, apply: (b) => ({ ...b, dual_commitment: null }), expected: ["MISSING_PQ_FIELD"] },
  ...(["prev_hash", "merkle_root"] as const).map(
    (f): Tamper => ({ name: `${f} withheld`, applies: legacy, apply: (b) => ({ ...b, [f]: null }), expected: ["MISSING_LEGACY_FIELD"] }),
  ),
  {
    name: "PQ fields smuggled into a legacy-only block",
    applies: (ep) => ruleVersionRules(ep.rule_version).pq === "forbidden",
    apply: (b) => ({ ...b, pq_algorithm: 1, pq_merkle_root: b.merkle_root }),
    expected: ["UNEXPECTED_PQ_FIELD"],
  },
  {
    name: "legacy fields kept in a PQ-only block",
    applies: (ep) => !legacy(ep),
    apply: (b) => ({ ...b, prev_hash: b.pq_prev_hash, merkle_root: b.pq_merkle_root }),
    expected: ["UNEXPECTED_LEGACY_FIELD"],
  },
  {
    name: "hash field malformed (uppercase hex)",
    applies: () => true,
    apply: (b) => (b.merkle_root ? { ...b, merkle_root: b.merkle_root.toUpperCase().replace("0X", "0x") } : { ...b, pq_merkle_root: b.pq_merkle_root!.toUpperCase().replace("0X", "0x") }),
    expected: ["MALFORMED_FIELD"],
  },
  { name: "timestamp malformed", applies: () => true, apply: (b) => ({ ...b, timestamp: String(b.timestamp) }), expected: ["MALFORMED_FIELD"] },
];

/** Statement changes show up as a root mismatch on every chain the block carries. */
function expectedFor(t: Tamper, epoch: Epoch, block: Block): ViolationCode[] {
  if (t.expected.length > 0) return t.expected;
  const out: ViolationCode[] = [];
  if (legacy(epoch)) out.push("LEGACY_MERKLE_ROOT_MISMATCH");
  if (block.pq_algorithm !== null) out.push("PQ_MERKLE_ROOT_MISMATCH");
  return out;
}

describe("drift injection across epoch boundaries", () => {
  for (const boundary of BOUNDARIES) {
    describe(boundary.name, () => {
      const chain = seal(boundary.epochs, boundary.at + 3);

      it("the sealed chain is valid end to end", () => {
        const r = validateChain(chain, { epochs: boundary.epochs });
        expect(r.invalid).toEqual([]);
      });

      for (const position of [boundary.at - 1, boundary.at, boundary.at + 1]) {
        const epoch = resolveEpoch(boundary.epochs, position);
        const original = chain[position];
        for (const tamper of TAMPERS.filter((t) => t.applies(epoch, original))) {
          it(`block ${position} (${epoch.rule_version}): ${tamper.name}`, () => {
            const bad = tamper.apply(structuredClone(original), { prev: chain[position - 1], epochs: boundary.epochs });
            const r = validateChain([...chain.slice(0, position), bad], { epochs: boundary.epochs });
            for (let n = 0; n < position; n++) expect(r.results[n].violations, `untouched block ${n}`).toEqual([]);
            const found = new Set(r.results[position].violations.map((v) => v.code));
            const expected = expectedFor(tamper, epoch, original);
            for (const code of expected) expect(found, `expected ${code}`).toContain(code);
            const allowed = new Set<ViolationCode>([...expected, ...(tamper.alsoAllowed ?? [])]);
            for (const code of found) expect(allowed, `unexpected ${code}`).toContain(code);
            expect(r.results[position].verdict).toBe("INVALID");
          });
        }
      }
    });
  }
});

describe("any single change to a header field or to the statements is detected", () => {
  const epochs: Epoch[] = [
    { ...e("v1-legacy", 0, null), end_block: 5 },
    { ...e("v1.5-pq-optional", 1), start_block: 6, end_block: 11 },
    { ...e("v2-dual-required", 1), start_block: 12, end_block: 17 },
    { ...e("v2.5-pq-primary", 2), start_block: 18, end_block: 23 },
    { ...e("v3-pq-only", 2), start_block: 24 },
  ];
  const chain = seal(epochs, 30);
  const fields = ["block_number", "timestamp", "prev_hash", "merkle_root", "pq_algorithm", "pq_prev_hash", "pq_merkle_root", "dual_commitment", "statements"] as const;

  it("changing any field of any non-tip block makes the chain invalid at that block or its successor", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: chain.length - 2 }), fc.constantFrom(...fields), fc.nat(), (n, field, seed) => {
        const block = structuredClone(chain[n]) as unknown as Record<string, unknown>;
        const before = JSON.stringify(block[field]);
        switch (field) {
          case "block_number":
          case "timestamp":
            block[field] = (block[field] as number) + 1 + (seed % 5);
            break;
          case "pq_algorithm":
            block[field] = block[field] === null ? 1 + (seed % 2) : [0, 1, 2, 7].filter((x) => x !== block[field])[seed % 3];
            break;
          case "statements": {
            const s = [...(block.statements as string[])];
            const i = seed % s.length;
            if (seed % 3 === 0) s.splice(i, 1);
            else if (seed % 3 === 1) s.splice(i, 0, `inserted ${seed}`);
            else s[i] = s[i] + String.fromCharCode(65 + (seed % 26));
            block.statements = s;
            break;
          }
          default: {
            const value = block[field] as string | null;
            const hex = (seed % 256).toString(16).padStart(2, "0");
            block[field] = value === null ? "0x" + hex.repeat(32) : value.slice(0, 4) + (value.slice(4, 6) === hex ? "ff" : hex) + value.slice(6);
          }
        }
        if (JSON.stringify(block[field]) === before) return;
        const tampered = [...chain];
        tampered[n] = block as unknown as Block;
        const r = validateChain(tampered, { epochs });
        const caught = r.results.slice(n, n + 2).some((x) => x.verdict === "INVALID");
        expect(caught, `block ${n} field ${field}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
