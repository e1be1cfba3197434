/**
 * fork-choice.json: competing branches over the reference chain and the decision of spec §8. Branch blocks are
 * sealed by reference.ts; decisions are hand-written from the spec (tie-breaks computed by the reference primary
 * hash); lib's planReorg is checked against each before writing.
 */
import assert from "node:assert/strict";
import { parseEpochRegistry } from "../../lib/consensus/epochs";
import { finalizedHeight, planReorg, DEFAULT_FORK_CHOICE_PARAMS } from "../../lib/consensus/fork-choice";
import type { Block } from "../../lib/consensus/block";
import { blockHash, merkleRootOf, primaryHash, seal, type RefBlock } from "./reference";
import { MIGRATION_REGISTRY, sealChain, timestampOf } from "./chain";

/** Seals `count` branch blocks after canonical block `forkPoint`, statements tagged with `tag`. */
function branch(c: RefBlock[], forkPoint: number, count: number, tag: string): RefBlock[] {
  const out: RefBlock[] = [];
  let prev = c[forkPoint];
  for (let i = 1; i <= count; i++) {
    const n = forkPoint + i;
    const b = seal(MIGRATION_REGISTRY, prev, [`branch ${tag}: block ${n}`], timestampOf(n) + 1, n !== 3);
    out.push(b);
    prev = b;
  }
  return out;
}

/**
 * A one-block branch at height n whose tip wins the tie under the primary hash of its epoch but would lose it under
 * the other chain's hash, so an implementation that compares the wrong hash fails the vector.
 */
function discriminatingTie(c: RefBlock[], n: number, otherAlg: number): { tip: RefBlock; tag: string } {
  for (let i = 0; i < 1000; i++) {
    const tag = `tie-${i}`;
    const [tip] = branch(c, n - 1, 1, tag);
    const primaryWins = primaryHash(MIGRATION_REGISTRY, tip) < primaryHash(MIGRATION_REGISTRY, c[n]);
    const otherWins = blockHash(tip, otherAlg) < blockHash(c[n], otherAlg);
    if (primaryWins && !otherWins) return { tip, tag };
  }
  throw new Error("no discriminating tie found");
}

export function forkChoiceFile() {
  const c = sealChain();
  const epochs = parseEpochRegistry(MIGRATION_REGISTRY);
  const loose = { finalityDepth: 64, activationFinalityDepth: 6 };

  type Case = {
    name: string;
    description: string;
    canonical_through: number;
    branch: RefBlock[];
    params: { finalityDepth: number; activationFinalityDepth: number };
    expected: { decision: string; reason: string; fork_point: number; finalized_height: number; rolled_back: number[]; adopted: number[]; statements_rolled_back: number; activation_blocks_rolled_back: number[] };
  };
  const cases: Case[] = [];
  const rolled = (from: number, to: number) => c.slice(from, to + 1);
  const exp = (decision: string, reason: string, forkPoint: number, tip: number, params: Case["params"], br: RefBlock[], activations: number[]) => ({
    decision,
    reason,
    fork_point: forkPoint,
    finalized_height: Math.max(-1, tip - params.finalityDepth),
    rolled_back: rolled(forkPoint + 1, tip).map((b) => b.block_number),
    adopted: br.map((b) => b.block_number),
    statements_rolled_back: rolled(forkPoint + 1, tip).reduce((s, b) => s + b.statements.length, 0),
    activation_blocks_rolled_back: activations,
  });

  {
    const br = branch(c, 11, 3, "longer");
    cases.push({ name: "longer-branch-wins", description: "a branch from block 11 reaching block 14 beats the canonical tip 13; it rolls back the rollback activation block 12, which has only 1 confirmation", canonical_through: 13, branch: br, params: loose, expected: exp("ADOPT", "LONGER_BRANCH", 11, 13, loose, br, [12]) });
  }
  {
    const br = branch(c, 11, 1, "shorter");
    cases.push({ name: "shorter-branch-loses", description: "a branch reaching block 12 does not replace a tip at 13", canonical_through: 13, branch: br, params: loose, expected: exp("KEEP", "SHORTER_BRANCH", 11, 13, loose, br, [12]) });
  }
  for (const [n, otherAlg, label] of [
    [5, 1, "v2-dual-required: the legacy (SHA-256) hash decides; this branch tip is lower under SHA-256 but higher under SHA3-256"],
    [7, 0, "v2.5-pq-primary: the PQ (SHA3-256) hash decides; this branch tip is lower under SHA3-256 but higher under SHA-256"],
    [9, 0, "v3-pq-only (SHA3-256): the PQ hash decides; lower under SHA3-256, higher under SHA-256"],
    [11, 1, "v3-pq-only (BLAKE3): the BLAKE3 hash decides; lower under BLAKE3, higher under SHA3-256"],
    [13, 2, "v1-legacy after the rollback: the SHA-256 hash decides again; lower under SHA-256, higher under BLAKE3"],
  ] as const) {
    const { tip } = discriminatingTie(c, n, otherAlg);
    cases.push({ name: `tie-at-${n}`, description: `equal height ${n}, ${label}: the branch is adopted`, canonical_through: n, branch: [tip], params: loose, expected: exp("ADOPT", "TIE_LOWER_HASH", n - 1, n, loose, [tip], []) });
  }
  {
    const { tip } = discriminatingTie(c, 7, 0);
    // Make the winning block canonical and offer the original block 7 as the branch: KEEP.
    const canonical = [...c.slice(0, 7), tip];
    const br = [c[7]];
    const params = loose;
    const plan = planReorg({ canonical: canonical as Block[], branch: br as Block[], epochs, params });
    assert.equal(plan.decision, "KEEP");
    cases.push({ name: "tie-keeps-lower-tip", description: "the mirror of tie-at-7: the canonical tip has the lower SHA3-256 hash, so the current chain is kept", canonical_through: 7, branch: br, params, expected: { ...exp("KEEP", "TIE_HIGHER_HASH", 6, 7, params, br, []), rolled_back: [7], statements_rolled_back: tip.statements.length } });
    (cases[cases.length - 1] as Case & { canonical_override: RefBlock[] }).canonical_override = [tip];
  }
  {
    const params = { finalityDepth: 4, activationFinalityDepth: 2 };
    const br = branch(c, 8, 6, "deep");
    cases.push({ name: "beyond-finality", description: "finality depth 4, tip 13: blocks up to 9 are final, so a longer branch from block 8 is refused", canonical_through: 13, branch: br, params, expected: exp("REJECT", "REORG_BEYOND_FINALITY", 8, 13, params, br, [10, 12]) });
  }
  {
    const params = { finalityDepth: 64, activationFinalityDepth: 2 };
    const br = branch(c, 9, 5, "activation");
    cases.push({ name: "across-activation", description: "activation blocks are final after 2 confirmations: a longer branch from block 9 would roll back the BLAKE3 activation block 10 (3 confirmations)", canonical_through: 13, branch: br, params, expected: exp("REJECT", "REORG_ACROSS_ACTIVATION", 9, 13, params, br, [10, 12]) });
  }
  {
    const br = branch(c, 11, 3, "invalid");
    br[0] = { ...br[0], merkle_root: merkleRootOf(0, ["not the statements"]) };
    cases.push({ name: "invalid-branch", description: "a longer branch whose first block has a wrong merkle_root is refused whatever its length", canonical_through: 13, branch: br, params: loose, expected: exp("REJECT", "INVALID_BRANCH", 11, 13, loose, br, [12]) });
  }

  // Already-canonical blocks (spec §8.4): a leading run of branch blocks with the canonical SHA-256 block hash.
  {
    const br = branch(c, 11, 3, "prefix");
    cases.push({ name: "already-canonical-prefix-dropped", description: "the branch repeats canonical blocks 10 and 11 before its own blocks 12-14: the repeated blocks are dropped, so the fork point is 11, not 9", canonical_through: 13, branch: [c[10], c[11], ...br], params: loose, expected: exp("ADOPT", "LONGER_BRANCH", 11, 13, loose, br, [12]) });
  }
  {
    const br = branch(c, 12, 2, "same-header");
    const sameHeader = { ...c[12], statements: ["a statement that is not in the tree"] };
    cases.push({ name: "already-canonical-same-header-other-statements", description: "the branch's first block has block 12's header (so its SHA-256 block hash) but other statements: identity is the SHA-256 block hash, statements are not compared, so it is dropped as already canonical and the fork point is 12", canonical_through: 13, branch: [sameHeader, ...br], params: loose, expected: exp("ADOPT", "LONGER_BRANCH", 12, 13, loose, br, []) });
  }
  {
    const params = loose;
    cases.push({ name: "already-canonical-whole-branch", description: "every block of the branch (5 and 6) is already canonical: KEEP, nothing rolled back or adopted; the fork point of the (empty) remainder is -1", canonical_through: 13, branch: [c[5], c[6]], params, expected: { decision: "KEEP", reason: "ALREADY_CANONICAL", fork_point: -1, finalized_height: -1, rolled_back: [], adopted: [], statements_rolled_back: 0, activation_blocks_rolled_back: [] } });
  }

  const out = cases.map((k) => {
    const override = (k as Case & { canonical_override?: RefBlock[] }).canonical_override;
    const canonical = override ? [...c.slice(0, k.canonical_through + 1 - override.length), ...override] : c.slice(0, k.canonical_through + 1);
    const plan = planReorg({ canonical: canonical as Block[], branch: k.branch as Block[], epochs, params: k.params });
    const got = {
      decision: plan.decision,
      reason: plan.reason,
      fork_point: plan.fork_point,
      finalized_height: plan.finalized_height,
      rolled_back: plan.rolled_back.map((r) => r.block_number),
      adopted: plan.adopted.map((r) => r.block_number),
      statements_rolled_back: plan.statements_rolled_back,
      activation_blocks_rolled_back: plan.activation_blocks_rolled_back,
    };
    assert.deepEqual(got, k.expected, `lib planReorg disagrees on ${k.name}`);
    const oldTip = canonical[canonical.length - 1];
    const newTip = k.branch[k.branch.length - 1];
    return {
      name: k.name,
      description: k.description,
      canonical_through: k.canonical_through,
      ...(override ? { canonical_replacements: override } : {}),
      branch: k.branch,
      params: k.params,
      // The remainder's tip (null when every branch block was already canonical).
      tip_primary_hashes: { canonical: primaryHash(MIGRATION_REGISTRY, oldTip), branch: plan.new_tip ? primaryHash(MIGRATION_REGISTRY, newTip) : null },
      expected: k.expected,
      source: "hand-written from docs/spec/consensus.md §8; branch blocks sealed by scripts/vectors/reference.ts; lib/consensus/fork-choice.ts checked to agree",
    };
  });

  const finality = [
    { tip: 100, finality_depth: 64, finalized_height: 36 },
    { tip: 64, finality_depth: 64, finalized_height: 0 },
    { tip: 63, finality_depth: 64, finalized_height: -1 },
    { tip: 13, finality_depth: 4, finalized_height: 9 },
  ];
  for (const f of finality) assert.equal(finalizedHeight(f.tip, { finalityDepth: f.finality_depth, activationFinalityDepth: 1 }), f.finalized_height);
  assert.deepEqual(DEFAULT_FORK_CHOICE_PARAMS, { finalityDepth: 64, activationFinalityDepth: 6 });

  return {
    description:
      "Fork choice, finality and reorgs (spec §8). `chain` is the 14-block chain of blocks.json over its `migration` registry. Each case: the canonical chain is chain[0..canonical_through] (with its last blocks replaced by `canonical_replacements` when given), `branch` is a competing branch whose first block follows block expected.fork_point, `params` are the finality depths. `expected` is the decision (ADOPT, KEEP, REJECT), its reason, and the reorg report: block numbers rolled back and adopted, statements rolled back, activation blocks rolled back. `tip_primary_hashes` are the hashes compared on a tie (branch: null when every branch block was already canonical). Leading branch blocks with the canonical SHA-256 block hash at their height are dropped first (spec §8.4). `finalized_height` is -1 when no block is final. `finality` gives finalized heights.",
    source: "Generated by scripts/vectors/generate.ts; decisions hand-written from the spec; lib/ checked to agree.",
    defaults: { finalityDepth: 64, activationFinalityDepth: 6, maxFutureDriftSeconds: 7200 },
    registry: MIGRATION_REGISTRY,
    chain: c,
    cases: out,
    finality: finality.map((f) => ({ ...f, source: "hand-written from spec §8.2" })),
  };
}
