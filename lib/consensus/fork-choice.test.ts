import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BLAKE3_ID, nobleHashSuite, SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import { blockHash, type Block } from "./block";
import { makeEpoch, type EpochRegistry } from "./epochs";
import {
  DEFAULT_FORK_CHOICE_PARAMS,
  finalizedHeight,
  planReorg,
  primaryChainAt,
  primaryHash,
  type ForkChoiceParams,
  type ReorgPlan,
} from "./fork-choice";
import type { RuleVersion } from "./rule-versions";
import {
  buildBranch,
  buildChain,
  EPOCHS_ALL_VERSIONS,
  EPOCHS_ROLLBACK,
  GOVERNANCE_HASH,
  registryOf,
  singleEpochRegistry,
  T0,
} from "./test-chains";

const sha256Hash = (b: Block) => blockHash(b, nobleHashSuite.get(SHA256_ID));
const hashUnder = (b: Block, algorithmId: number) => blockHash(b, nobleHashSuite.get(algorithmId));

/** Depths so large that nothing in these small chains is ever final. */
const NO_FINALITY: ForkChoiceParams = { finalityDepth: 1_000, activationFinalityDepth: 1_000 };

const V1 = singleEpochRegistry("v1-legacy");
const V2 = singleEpochRegistry("v2-dual-required");

/** The canonical chain up to `forkPoint` followed by `tail`. */
const prefixThen = (chain: readonly Block[], forkPoint: number, tail: readonly Block[]) => [...chain.filter((b) => b.block_number <= forkPoint), ...tail];

/** The ref a plan must report for `b`: its number, its primary hash under `epochs`, its statement count. */
const refOf = (b: Block, epochs: EpochRegistry) => ({ block_number: b.block_number, hash: primaryHash(b, epochs), statement_count: b.statements.length });

/** A block with one field changed and nothing resealed (what a faulty or hostile peer sends). */
const tamper = (b: Block, patch: Partial<Block>): Block => ({ ...b, ...patch });

const codesOf = (plan: ReorgPlan) => plan.branch_violations.map((v) => [v.block_number, v.code]);

describe("DEFAULT_FORK_CHOICE_PARAMS", () => {
  it("makes activation blocks final no later than ordinary blocks", () => {
    expect(DEFAULT_FORK_CHOICE_PARAMS.activationFinalityDepth).toBeGreaterThan(0);
    expect(DEFAULT_FORK_CHOICE_PARAMS.activationFinalityDepth).toBeLessThanOrEqual(DEFAULT_FORK_CHOICE_PARAMS.finalityDepth);
  });
});

describe("finalizedHeight", () => {
  it("is tip - finalityDepth: the block exactly finalityDepth below the tip is final", () => {
    const depth = DEFAULT_FORK_CHOICE_PARAMS.finalityDepth;
    expect(finalizedHeight(depth)).toBe(0);
    expect(finalizedHeight(depth + 36)).toBe(36);
    expect(finalizedHeight(20, { finalityDepth: 5, activationFinalityDepth: 2 })).toBe(15);
  });

  it("is -1 (nothing final) while the chain is shorter than the depth, and for an empty chain", () => {
    expect(finalizedHeight(DEFAULT_FORK_CHOICE_PARAMS.finalityDepth - 1)).toBe(-1);
    expect(finalizedHeight(0)).toBe(-1);
    expect(finalizedHeight(-1)).toBe(-1);
  });

  it("makes the tip itself final with a depth of 0", () => {
    expect(finalizedHeight(7, { finalityDepth: 0, activationFinalityDepth: 0 })).toBe(7);
  });
});

describe("primaryChainAt", () => {
  it("is the legacy chain under v1, v1.5 and v2 and the PQ chain from v2.5 on, switching exactly at the activation block", () => {
    const expected: Array<[number, "legacy" | "pq"]> = [[0, "legacy"], [4, "legacy"], [5, "legacy"], [14, "legacy"], [15, "pq"], [19, "pq"], [20, "pq"], [500, "pq"]];
    for (const [n, chain] of expected) expect(primaryChainAt(EPOCHS_ALL_VERSIONS, n), `block ${n}`).toBe(chain);
  });

  it("goes back to the legacy chain inside a rollback epoch", () => {
    const reg = registryOf([[0, "v1-legacy", SHA256_ID], [5, "v3-pq-only", BLAKE3_ID], [10, "v1-legacy", SHA256_ID, GOVERNANCE_HASH]]);
    expect([primaryChainAt(reg, 9), primaryChainAt(reg, 10)]).toEqual(["pq", "legacy"]);
  });

  it("falls back to the legacy chain where no epoch covers the block", () => {
    expect(primaryChainAt([makeEpoch(0, "v3-pq-only", SHA3_256_ID, T0, null, 4)], 5)).toBe("legacy");
  });
});

describe("primaryHash", () => {
  const cases: Array<[RuleVersion, number, number]> = [
    ["v1-legacy", SHA256_ID, SHA256_ID],
    ["v1.5-pq-optional", SHA3_256_ID, SHA256_ID],
    ["v2-dual-required", SHA3_256_ID, SHA256_ID],
    ["v2-dual-required", BLAKE3_ID, SHA256_ID],
    ["v2.5-pq-primary", SHA3_256_ID, SHA3_256_ID],
    ["v2.5-pq-primary", BLAKE3_ID, BLAKE3_ID],
    ["v3-pq-only", SHA3_256_ID, SHA3_256_ID],
    ["v3-pq-only", BLAKE3_ID, BLAKE3_ID],
  ];
  for (const [version, epochAlg, primaryAlg] of cases) {
    const algName = nobleHashSuite.get(primaryAlg).name;
    it(`is the ${algName} block hash under ${version} with ${nobleHashSuite.get(epochAlg).name}`, () => {
      const reg = singleEpochRegistry(version, epochAlg);
      for (const b of buildChain(reg, 3)) expect(primaryHash(b, reg)).toBe(hashUnder(b, primaryAlg));
    });
  }

  it("follows each block's own epoch along a chain through all five rule versions", () => {
    for (const b of buildChain(EPOCHS_ALL_VERSIONS, 23)) {
      expect(primaryHash(b, EPOCHS_ALL_VERSIONS), `block ${b.block_number}`).toBe(b.block_number >= 15 ? hashUnder(b, SHA3_256_ID) : sha256Hash(b));
    }
  });
});

describe("planReorg", () => {
  // A legacy chain 0..11 with 1 to 3 statements per block.
  const perBlock = (n: number) => (n % 3) + 1;
  const canonical = buildChain(V1, 12, { statementsPerBlock: perBlock });

  describe("by height", () => {
    it("adopts a longer valid branch and reports exactly the canonical blocks above the fork point as rolled back", () => {
      const branch = buildBranch(canonical, 7, V1, 6, { statementsPerBlock: 2 });
      const plan = planReorg({ canonical, branch, epochs: V1 });
      expect(plan).toMatchObject({ decision: "ADOPT", reason: "LONGER_BRANCH", fork_point: 7, finalized_height: -1 });
      expect(plan.old_tip).toEqual(refOf(canonical[11], V1));
      expect(plan.new_tip).toEqual(refOf(branch[5], V1));
      expect(plan.rolled_back).toEqual(canonical.slice(8).map((b) => refOf(b, V1)));
      expect(plan.rolled_back.map((r) => r.block_number)).toEqual([8, 9, 10, 11]);
      expect(plan.adopted).toEqual(branch.map((b) => refOf(b, V1)));
      expect(plan.statements_rolled_back).toBe(perBlock(8) + perBlock(9) + perBlock(10) + perBlock(11));
      expect(plan.activation_blocks_rolled_back).toEqual([]);
      expect(plan.branch_violations).toEqual([]);
      expect(plan.message).toMatch(/block 13.*tip 11/);
    });

    it("adopts a branch that only extends the tip, rolling back nothing", () => {
      const plan = planReorg({ canonical, branch: buildBranch(canonical, 11, V1, 2), epochs: V1 });
      expect(plan).toMatchObject({ decision: "ADOPT", reason: "LONGER_BRANCH", fork_point: 11, rolled_back: [], statements_rolled_back: 0 });
    });

    it("adopts a longer rival chain from genesis (fork point -1) while nothing is final", () => {
      const branch = buildChain(V1, 13, { tag: "rival" });
      const plan = planReorg({ canonical, branch, epochs: V1 });
      expect(plan).toMatchObject({ decision: "ADOPT", reason: "LONGER_BRANCH", fork_point: -1 });
      expect(plan.rolled_back).toHaveLength(12);
      expect(plan.statements_rolled_back).toBe(canonical.reduce((n, b) => n + b.statements.length, 0));
    });

    it("keeps the canonical chain against a shorter valid branch, still reporting what adoption would roll back", () => {
      const plan = planReorg({ canonical, branch: buildBranch(canonical, 7, V1, 3), epochs: V1 });
      expect(plan).toMatchObject({ decision: "KEEP", reason: "SHORTER_BRANCH", fork_point: 7 });
      expect(plan.rolled_back.map((r) => r.block_number)).toEqual([8, 9, 10, 11]);
    });

    it("keeps the canonical chain against a branch one block short of the tip", () => {
      const plan = planReorg({ canonical, branch: buildBranch(canonical, 0, V1, 10), epochs: V1 });
      expect(plan).toMatchObject({ decision: "KEEP", reason: "SHORTER_BRANCH", new_tip: { block_number: 10 } });
    });

    it("adopts a branch exactly one block longer than the canonical chain", () => {
      expect(planReorg({ canonical, branch: buildBranch(canonical, 0, V1, 12), epochs: V1 }).decision).toBe("ADOPT");
    });

    it("adopts any valid chain over an empty canonical chain, with no old tip", () => {
      const plan = planReorg({ canonical: [], branch: buildChain(V1, 2), epochs: V1 });
      expect(plan).toMatchObject({ decision: "ADOPT", reason: "LONGER_BRANCH", fork_point: -1, old_tip: null, finalized_height: -1, rolled_back: [] });
    });

    it("reports the finalized height of the canonical tip under the params given", () => {
      const plan = planReorg({ canonical, branch: buildBranch(canonical, 11, V1, 1), epochs: V1, params: { finalityDepth: 4, activationFinalityDepth: 2 } });
      expect(plan.finalized_height).toBe(7);
    });
  });

  describe("at equal height", () => {
    /** Two rival tips of one block each on `base` (ending at forkPoint): a has the lower `hashOf`, b the higher. */
    function rivals(base: Block[], forkPoint: number, epochs: EpochRegistry, length = 1) {
      const x = buildBranch(base, forkPoint, epochs, length, { tag: "x" });
      const y = buildBranch(base, forkPoint, epochs, length, { tag: "y" });
      return { x, y };
    }

    it("adopts the branch whose tip has the lower SHA-256 hash under v1-legacy, and keeps against the higher", () => {
      const { x, y } = rivals(canonical, 7, V1, 4);
      const [low, high] = sha256Hash(x[3]) < sha256Hash(y[3]) ? [x, y] : [y, x];
      const adopt = planReorg({ canonical: prefixThen(canonical, 7, high), branch: low, epochs: V1 });
      const keep = planReorg({ canonical: prefixThen(canonical, 7, low), branch: high, epochs: V1 });
      expect(adopt).toMatchObject({ decision: "ADOPT", reason: "TIE_LOWER_HASH" });
      expect(adopt.message).toMatch(/equal height 11: the branch tip has the lower legacy hash/);
      expect(keep).toMatchObject({ decision: "KEEP", reason: "TIE_HIGHER_HASH" });
    });

    it("gives the same winner whichever branch is canonical (order independence)", () => {
      for (const epochs of [V1, V2, singleEpochRegistry("v2.5-pq-primary"), singleEpochRegistry("v3-pq-only", BLAKE3_ID)]) {
        const base = buildChain(epochs, 6);
        for (let i = 0; i < 6; i++) {
          const a = buildBranch(base, 3, epochs, 2, { tag: `a${i}` });
          const b = buildBranch(base, 3, epochs, 2, { tag: `b${i}` });
          const aOverB = planReorg({ canonical: prefixThen(base, 3, b), branch: a, epochs });
          const bOverA = planReorg({ canonical: prefixThen(base, 3, a), branch: b, epochs });
          const winner = aOverB.decision === "ADOPT" ? a : b;
          expect([aOverB.decision, bOverA.decision].sort()).toEqual(["ADOPT", "KEEP"]);
          expect(winner).toBe(primaryHash(a[1], epochs) < primaryHash(b[1], epochs) ? a : b);
        }
      }
    });

    it("keeps the canonical chain against an identical copy of its own tip (an equal hash never displaces)", () => {
      const plan = planReorg({ canonical, branch: canonical.slice(8), epochs: V1 });
      expect(plan).toMatchObject({ decision: "KEEP", reason: "ALREADY_CANONICAL" });
    });

    /**
     * Looks for two rival one-block tips on `base` whose SHA-256 order and `pqAlg` order disagree, so that which hash
     * breaks the tie decides the winner. Returns [lowerBySha256, lowerByPq].
     */
    function disagreeingRivals(base: Block[], epochs: EpochRegistry, pqAlg: number): [Block[], Block[]] {
      const forkPoint = base[base.length - 1].block_number;
      for (let i = 0; i < 64; i++) {
        const a = buildBranch(base, forkPoint, epochs, 1, { tag: `a${i}` });
        const b = buildBranch(base, forkPoint, epochs, 1, { tag: `b${i}` });
        const shaLower = sha256Hash(a[0]) < sha256Hash(b[0]);
        const pqLower = hashUnder(a[0], pqAlg) < hashUnder(b[0], pqAlg);
        if (shaLower !== pqLower) return shaLower ? [a, b] : [b, a];
      }
      throw new Error("no disagreeing pair found");
    }

    const tieCases: Array<[RuleVersion, number, "legacy" | "pq"]> = [
      ["v1-legacy", SHA256_ID, "legacy"],
      ["v1.5-pq-optional", SHA3_256_ID, "legacy"],
      ["v2-dual-required", SHA3_256_ID, "legacy"],
      ["v2-dual-required", BLAKE3_ID, "legacy"],
      ["v2.5-pq-primary", SHA3_256_ID, "pq"],
      ["v2.5-pq-primary", BLAKE3_ID, "pq"],
      ["v3-pq-only", SHA3_256_ID, "pq"],
      ["v3-pq-only", BLAKE3_ID, "pq"],
    ];
    for (const [version, alg, chain] of tieCases) {
      it(`breaks a tie with the ${chain === "legacy" ? "SHA-256" : "PQ"} block hash under ${version} (${nobleHashSuite.get(alg).name})`, () => {
        const epochs = singleEpochRegistry(version, alg);
        const base = buildChain(epochs, 3);
        // Under v1-legacy there is no PQ chain: compare against the SHA3-256 hash of the header to show it is unused.
        const [shaLow, pqLow] = disagreeingRivals(base, epochs, alg === SHA256_ID ? SHA3_256_ID : alg);
        const expectedWinner = chain === "legacy" ? shaLow : pqLow;
        const loser = expectedWinner === shaLow ? pqLow : shaLow;
        expect(planReorg({ canonical: [...base, ...loser], branch: expectedWinner, epochs })).toMatchObject({ decision: "ADOPT", reason: "TIE_LOWER_HASH" });
        expect(planReorg({ canonical: [...base, ...expectedWinner], branch: loser, epochs })).toMatchObject({ decision: "KEEP", reason: "TIE_HIGHER_HASH" });
        const plan = planReorg({ canonical: [...base, ...loser], branch: expectedWinner, epochs });
        expect(plan.new_tip!.hash).toBe(hashUnder(expectedWinner[0], chain === "legacy" ? SHA256_ID : alg));
        expect(plan.message).toContain(`lower ${chain} hash`);
      });
    }

    it("uses the tip's epoch to pick the tie-break hash, even when the fork point lies in an earlier epoch", () => {
      // Fork in v2 (block 12); tips at block 15, the first v2.5 block: the SHA3-256 hash decides.
      const base = buildChain(EPOCHS_ALL_VERSIONS, 13);
      for (let i = 0; i < 64; i++) {
        const a = buildBranch(base, 12, EPOCHS_ALL_VERSIONS, 3, { tag: `a${i}` });
        const b = buildBranch(base, 12, EPOCHS_ALL_VERSIONS, 3, { tag: `b${i}` });
        const shaLower = sha256Hash(a[2]) < sha256Hash(b[2]);
        const pqLower = hashUnder(a[2], SHA3_256_ID) < hashUnder(b[2], SHA3_256_ID);
        if (shaLower === pqLower) continue;
        const [winner, loser] = pqLower ? [a, b] : [b, a];
        expect(planReorg({ canonical: [...base, ...loser], branch: winner, epochs: EPOCHS_ALL_VERSIONS, params: NO_FINALITY }).decision).toBe("ADOPT");
        expect(planReorg({ canonical: [...base, ...winner], branch: loser, epochs: EPOCHS_ALL_VERSIONS, params: NO_FINALITY }).decision).toBe("KEEP");
        return;
      }
      throw new Error("no disagreeing pair found");
    });
  });

  describe("branch validation", () => {
    it("rejects a branch with a tampered statement as INVALID_BRANCH, listing the violation", () => {
      const branch = buildBranch(canonical, 7, V1, 6);
      branch[2] = tamper(branch[2], { statements: ["forged"] });
      const plan = planReorg({ canonical, branch, epochs: V1 });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "INVALID_BRANCH" });
      expect(codesOf(plan)).toEqual([[10, "LEGACY_MERKLE_ROOT_MISMATCH"]]);
      expect(plan.message).toMatch(/block 10 has LEGACY_MERKLE_ROOT_MISMATCH/);
    });

    it("rejects a branch with a tampered header: the next block no longer links to it", () => {
      const v2chain = buildChain(V2, 10);
      const rival = buildBranch(v2chain, 5, V2, 6);
      rival[1] = tamper(rival[1], { timestamp: rival[1].timestamp + 1 });
      const plan = planReorg({ canonical: v2chain, branch: rival, epochs: V2 });
      expect(plan.reason).toBe("INVALID_BRANCH");
      expect(codesOf(plan)).toEqual(expect.arrayContaining([[8, "LEGACY_PREV_HASH_MISMATCH"], [8, "PQ_PREV_HASH_MISMATCH"]]));
      expect(plan.branch_violations.every((v) => v.block_number === 8)).toBe(true);
    });

    it("rejects a branch that does not link to the fork point (built on another block of the same height)", () => {
      const other7 = buildBranch(canonical, 6, V1, 1, { tag: "other" });
      const branch = buildChain(V1, 6, { prev: other7[0], tag: "branch" });
      const plan = planReorg({ canonical, branch, epochs: V1 });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "INVALID_BRANCH", fork_point: 7 });
      expect(codesOf(plan)).toEqual([[8, "LEGACY_PREV_HASH_MISMATCH"]]);
    });

    it("rejects a branch with a gap in its block numbers", () => {
      const branch = buildBranch(canonical, 7, V1, 6);
      const plan = planReorg({ canonical, branch: [branch[0], ...branch.slice(2)], epochs: V1 });
      expect(plan.reason).toBe("INVALID_BRANCH");
      expect(codesOf(plan)).toContainEqual([10, "BLOCK_NUMBER_DISCONTINUITY"]);
    });

    it("rejects a branch sealed under other rules than the registry's (legacy-only blocks in a v2 epoch)", () => {
      const v2chain = buildChain(V2, 6);
      const legacyOnly = buildChain(V1, 3, { prev: v2chain[3], tag: "legacy" });
      const plan = planReorg({ canonical: v2chain, branch: legacyOnly, epochs: V2 });
      expect(plan.reason).toBe("INVALID_BRANCH");
      expect(plan.branch_violations.map((v) => v.code)).toContain("MISSING_PQ_FIELD");
    });

    it("rejects an invalid branch whatever its length: validity is checked before height", () => {
      for (const length of [2, 4, 9]) {
        const branch = buildBranch(canonical, 7, V1, length);
        branch[0] = tamper(branch[0], { statements: [...branch[0].statements, "extra"] });
        expect(planReorg({ canonical, branch, epochs: V1 }).decision, `length ${length}`).toBe("REJECT");
      }
    });
  });

  describe("fork point", () => {
    it("rejects a branch whose fork point lies beyond the canonical tip (UNKNOWN_FORK_POINT)", () => {
      const longer = buildChain(V1, 16);
      const plan = planReorg({ canonical, branch: longer.slice(14), epochs: V1 });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "UNKNOWN_FORK_POINT", fork_point: 13 });
      expect(plan.message).toMatch(/block 13 is not in the canonical chain/);
    });

    it("rejects a fork point below the first block of a canonical window", () => {
      const window = canonical.slice(5);
      const plan = planReorg({ canonical: window, branch: buildBranch(canonical, 3, V1, 12), epochs: V1 });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "UNKNOWN_FORK_POINT", fork_point: 3 });
    });

    it("finds the fork point inside a canonical window that does not start at genesis", () => {
      const window = canonical.slice(5);
      const plan = planReorg({ canonical: window, branch: buildBranch(canonical, 7, V1, 5), epochs: V1 });
      expect(plan).toMatchObject({ decision: "ADOPT", fork_point: 7 });
      expect(plan.rolled_back.map((r) => r.block_number)).toEqual([8, 9, 10, 11]);
    });

    it("rejects a non-genesis branch against an empty canonical chain", () => {
      expect(planReorg({ canonical: [], branch: canonical.slice(3), epochs: V1 })).toMatchObject({ decision: "REJECT", reason: "UNKNOWN_FORK_POINT" });
    });

    it("rejects an empty branch (EMPTY_BRANCH) with nothing adopted or rolled back", () => {
      const plan = planReorg({ canonical, branch: [], epochs: V1 });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "EMPTY_BRANCH", fork_point: -1, new_tip: null, adopted: [], rolled_back: [], statements_rolled_back: 0 });
      expect(plan.old_tip).toEqual(refOf(canonical[11], V1));
    });
  });

  describe("finality", () => {
    // Tip 20, depth 5: blocks 0..15 are final.
    const params: ForkChoiceParams = { finalityDepth: 5, activationFinalityDepth: 5 };
    const chain = buildChain(V1, 21);

    it("allows a fork at exactly the finalized height: only blocks above it are rolled back", () => {
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 15, V1, 6), epochs: V1, params });
      expect(plan).toMatchObject({ decision: "ADOPT", finalized_height: 15, fork_point: 15 });
      expect(plan.rolled_back.map((r) => r.block_number)).toEqual([16, 17, 18, 19, 20]);
    });

    it("rejects a fork one block below the finalized height: it would roll back the final block", () => {
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 14, V1, 7), epochs: V1, params });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "REORG_BEYOND_FINALITY", finalized_height: 15 });
      expect(plan.message).toMatch(/roll back block 15.*blocks up to 15 are final \(depth 5\)/);
    });

    it("rejects a rival chain from genesis once anything is final", () => {
      const plan = planReorg({ canonical: chain, branch: buildChain(V1, 30, { tag: "rival" }), epochs: V1, params });
      expect(plan.reason).toBe("REORG_BEYOND_FINALITY");
    });

    it("rejects a deep equal-height reorg as REORG_BEYOND_FINALITY rather than breaking the tie", () => {
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 10, V1, 10), epochs: V1, params });
      expect(plan.reason).toBe("REORG_BEYOND_FINALITY");
    });

    it("measures finality from the canonical tip, not from the branch tip", () => {
      // The branch reaches block 40; measured from there block 16 would be final, but the canonical tip is 20.
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 15, V1, 25), epochs: V1, params });
      expect(plan.decision).toBe("ADOPT");
    });

    it("never refuses a branch that only extends the tip, whatever the depth", () => {
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 20, V1, 1), epochs: V1, params: { finalityDepth: 0, activationFinalityDepth: 0 } });
      expect(plan).toMatchObject({ decision: "ADOPT", finalized_height: 20 });
    });

    it("lets a reorg reach genesis while the chain is shorter than the depth, and stops it at depth = tip", () => {
      const rival = buildChain(V1, 22, { tag: "rival" });
      expect(planReorg({ canonical: chain, branch: rival, epochs: V1, params: { finalityDepth: 21, activationFinalityDepth: 6 } })).toMatchObject({ decision: "ADOPT", finalized_height: -1 });
      expect(planReorg({ canonical: chain, branch: rival, epochs: V1, params: { finalityDepth: 20, activationFinalityDepth: 6 } })).toMatchObject({ decision: "REJECT", reason: "REORG_BEYOND_FINALITY", finalized_height: 0 });
      expect(planReorg({ canonical: chain, branch: buildBranch(chain, 0, V1, 21), epochs: V1, params: { finalityDepth: 20, activationFinalityDepth: 6 } }).decision).toBe("ADOPT");
    });
  });

  describe("activation protection", () => {
    // v1-legacy 0..9, v2-dual-required from 10: block 10 is an activation block.
    const epochs = registryOf([[0, "v1-legacy", SHA256_ID], [10, "v2-dual-required", SHA3_256_ID, GOVERNANCE_HASH]]);
    const params: ForkChoiceParams = { finalityDepth: 64, activationFinalityDepth: 6 };

    it("rejects rolling back an activation block that has activationFinalityDepth confirmations", () => {
      const chain = buildChain(epochs, 17); // tip 16: block 10 has 16 - 10 = 6 confirmations
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 9, epochs, 9), epochs, params });
      expect(plan).toMatchObject({ decision: "REJECT", reason: "REORG_ACROSS_ACTIVATION", activation_blocks_rolled_back: [10], finalized_height: -1 });
      expect(plan.message).toMatch(/activation block 10, which has 6 confirmations \(activation blocks are final after 6\)/);
    });

    it("rejects it with more confirmations too", () => {
      const chain = buildChain(epochs, 30);
      expect(planReorg({ canonical: chain, branch: buildBranch(chain, 8, epochs, 30), epochs, params }).reason).toBe("REORG_ACROSS_ACTIVATION");
    });

    it("allows rolling back an activation block with one confirmation fewer", () => {
      const chain = buildChain(epochs, 16); // tip 15: 5 confirmations
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 9, epochs, 8), epochs, params });
      expect(plan).toMatchObject({ decision: "ADOPT", reason: "LONGER_BRANCH", activation_blocks_rolled_back: [10] });
    });

    it("allows a reorg above a confirmed activation block, which stays in place", () => {
      const chain = buildChain(epochs, 30);
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 10, epochs, 21), epochs, params });
      expect(plan).toMatchObject({ decision: "ADOPT", activation_blocks_rolled_back: [] });
    });

    it("protects the first block of a rollback epoch like any activation", () => {
      const chain = buildChain(EPOCHS_ROLLBACK, 20);
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 12, EPOCHS_ROLLBACK, 10), epochs: EPOCHS_ROLLBACK, params });
      expect(plan.activation_blocks_rolled_back).toEqual([15]);
      expect(plan.reason).toBe("LONGER_BRANCH"); // 19 - 15 = 4 confirmations
      const deeper = planReorg({ canonical: chain, branch: buildBranch(chain, 9, EPOCHS_ROLLBACK, 14), epochs: EPOCHS_ROLLBACK, params });
      expect(deeper).toMatchObject({ reason: "REORG_ACROSS_ACTIVATION", activation_blocks_rolled_back: [10, 15] });
      expect(deeper.message).toMatch(/activation block 10, which has 9 confirmations/);
    });

    it("does not treat block 0 (the start of the first epoch) as an activation block", () => {
      const chain = buildChain(V1, 20);
      const plan = planReorg({ canonical: chain, branch: buildChain(V1, 21, { tag: "rival" }), epochs: V1, params });
      expect(plan).toMatchObject({ decision: "ADOPT", activation_blocks_rolled_back: [] });
    });

    it("reports general finality before activation protection when both apply", () => {
      const chain = buildChain(epochs, 30);
      const plan = planReorg({ canonical: chain, branch: buildBranch(chain, 9, epochs, 25), epochs, params: { finalityDepth: 10, activationFinalityDepth: 6 } });
      expect(plan.reason).toBe("REORG_BEYOND_FINALITY");
    });

    it("reports rolled-back blocks with their own epoch's primary hash across every rule version", () => {
      const chain = buildChain(EPOCHS_ALL_VERSIONS, 25);
      const branch = buildBranch(chain, 12, EPOCHS_ALL_VERSIONS, 14);
      const plan = planReorg({ canonical: chain, branch, epochs: EPOCHS_ALL_VERSIONS, params: { finalityDepth: 64, activationFinalityDepth: 64 } });
      expect(plan).toMatchObject({ decision: "ADOPT", activation_blocks_rolled_back: [15, 20] });
      expect(plan.rolled_back.map((r) => [r.block_number, r.hash])).toEqual(
        chain.slice(13).map((b) => [b.block_number, b.block_number >= 15 ? hashUnder(b, SHA3_256_ID) : sha256Hash(b)]),
      );
      expect(planReorg({ canonical: chain, branch, epochs: EPOCHS_ALL_VERSIONS }).reason).toBe("REORG_ACROSS_ACTIVATION");
    });
  });

  it("does not modify the chains or registry it is given", () => {
    const branch = buildBranch(canonical, 7, V1, 6);
    const before = structuredClone({ canonical, branch, epochs: V1 });
    planReorg({ canonical, branch, epochs: V1 });
    expect({ canonical, branch, epochs: V1 }).toEqual(before);
  });
});

describe("planReorg fork choice (property)", () => {
  const registries: EpochRegistry[] = [
    V1,
    singleEpochRegistry("v1.5-pq-optional"),
    V2,
    singleEpochRegistry("v2.5-pq-primary", BLAKE3_ID),
    singleEpochRegistry("v3-pq-only"),
    EPOCHS_ALL_VERSIONS,
  ];
  const bases = registries.map((epochs) => buildChain(epochs, 14));
  const pairArb = fc.record({
    which: fc.nat({ max: registries.length - 1 }),
    forkPoint: fc.integer({ min: -1, max: 13 }),
    lenA: fc.integer({ min: 1, max: 8 }),
    lenB: fc.integer({ min: 1, max: 8 }),
    tagA: fc.nat({ max: 1_000 }),
    tagB: fc.nat({ max: 1_000 }),
  });
  const build = (p: { which: number; forkPoint: number; lenA: number; lenB: number; tagA: number; tagB: number }) => {
    const epochs = registries[p.which];
    const base = bases[p.which];
    const a = buildBranch(base, p.forkPoint, epochs, p.lenA, { tag: `a${p.tagA}` });
    const b = buildBranch(base, p.forkPoint, epochs, p.lenB, { tag: `b${p.tagB}` });
    return { epochs, base, a, b };
  };

  it("exactly one of (A over B, B over A) adopts, and the winner is the higher tip or, at equal height, the lower primary hash", () => {
    fc.assert(
      fc.property(pairArb, (p) => {
        const { epochs, base, a, b } = build(p);
        const aOverB = planReorg({ canonical: prefixThen(base, p.forkPoint, b), branch: a, epochs, params: NO_FINALITY });
        const bOverA = planReorg({ canonical: prefixThen(base, p.forkPoint, a), branch: b, epochs, params: NO_FINALITY });
        expect([aOverB.decision, bOverA.decision].sort()).toEqual(["ADOPT", "KEEP"]);
        const tipA = a[a.length - 1];
        const tipB = b[b.length - 1];
        const aWins = tipA.block_number !== tipB.block_number ? tipA.block_number > tipB.block_number : primaryHash(tipA, epochs) < primaryHash(tipB, epochs);
        expect(aOverB.decision).toBe(aWins ? "ADOPT" : "KEEP");
        expect(aOverB.fork_point).toBe(p.forkPoint);
        expect(aOverB.rolled_back.map((r) => r.block_number)).toEqual(b.map((x) => x.block_number));
        expect(aOverB.statements_rolled_back).toBe(b.reduce((n, x) => n + x.statements.length, 0));
      }),
      { numRuns: 60 },
    );
  });

  it("never adopts both ways, whatever the finality parameters", () => {
    const paramsArb = fc.integer({ min: 0, max: 12 }).chain((finalityDepth) =>
      fc.integer({ min: 0, max: finalityDepth }).map((activationFinalityDepth) => ({ finalityDepth, activationFinalityDepth })),
    );
    fc.assert(
      fc.property(pairArb, paramsArb, (p, params) => {
        const { epochs, base, a, b } = build(p);
        const aOverB = planReorg({ canonical: prefixThen(base, p.forkPoint, b), branch: a, epochs, params });
        const bOverA = planReorg({ canonical: prefixThen(base, p.forkPoint, a), branch: b, epochs, params });
        expect(aOverB.decision === "ADOPT" && bOverA.decision === "ADOPT").toBe(false);
        for (const plan of [aOverB, bOverA]) {
          if (plan.decision === "REJECT") expect(["REORG_BEYOND_FINALITY", "REORG_ACROSS_ACTIVATION"]).toContain(plan.reason);
        }
      }),
      { numRuns: 60 },
    );
  });
});
