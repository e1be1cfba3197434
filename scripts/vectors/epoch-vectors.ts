/**
 * epochs.json: registries a conforming node accepts or rejects (with the error code of spec §6.2), registrations
 * against a finalized height (§6.3), epoch resolution and transition kinds (§6.4). Expectations are hand-written
 * from the spec; lib/ is checked against them before writing.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../lib/errors";
import { listTransitions, parseEpochRegistry, registerEpoch, findEpoch, type Epoch } from "../../lib/consensus/epochs";
import { H, hex, type RefEpoch } from "./reference";
import { MIGRATION_REGISTRY, T0 } from "./chain";

const GOV = hex(H(0, Buffer.from("MathLedger governance: example decision", "utf8")));
const e = (start: number, end: number | null, rule: string, alg: number, gov: string | null = GOV): RefEpoch => ({
  start_block: start,
  end_block: end,
  algorithm_id: alg,
  algorithm_name: ["SHA-256", "SHA3-256", "BLAKE3"][alg] ?? "UNKNOWN",
  rule_version: rule,
  activation_timestamp: T0 + start,
  governance_hash: start === 0 ? null : gov,
});

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

export function epochsFile() {
  const valid: { name: string; description: string; registry: unknown }[] = [
    { name: "migration", description: "the registry of blocks.json: every kind of boundary, including an algorithm change and a rollback", registry: MIGRATION_REGISTRY },
    { name: "single-open-v1", description: "one open v1-legacy epoch from block 0", registry: [e(0, null, "v1-legacy", 0)] },
    { name: "straight-to-v3", description: "rule versions may skip steps (v1 -> v3)", registry: [e(0, 99, "v1-legacy", 0), e(100, null, "v3-pq-only", 2)] },
    { name: "algorithm-change-in-v2", description: "the PQ algorithm may change within one rule version", registry: [e(0, 9, "v2-dual-required", 1), e(10, null, "v2-dual-required", 2)] },
    { name: "rollback-then-forward", description: "after a rollback to v1-legacy the migration may start again", registry: [e(0, 9, "v1-legacy", 0), e(10, 19, "v2-dual-required", 1), e(20, 29, "v1-legacy", 0), e(30, null, "v1.5-pq-optional", 1)] },
    { name: "v1-to-v1-governed", description: "v1-legacy followed by v1-legacy (same order, not a rollback; governance_hash may be null)", registry: [e(0, 9, "v1-legacy", 0), { ...e(10, null, "v1-legacy", 0), governance_hash: null }] },
    { name: "closed-last-epoch", description: "the last epoch may be closed (blocks after it have no epoch)", registry: [e(0, 9, "v1-legacy", 0)] },
    { name: "absent-optional-fields", description: "end_block and governance_hash may be omitted (read as null)", registry: [{ start_block: 0, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", activation_timestamp: T0 }] },
  ];
  const invalid: { name: string; description: string; registry: unknown; error: string }[] = [
    { name: "empty", description: "no epochs at all", registry: [], error: "EMPTY_EPOCH_REGISTRY" },
    { name: "not-an-array", description: "the registry must be a JSON array", registry: { epochs: [] }, error: "INVALID_EPOCH" },
    { name: "epoch-not-an-object", description: "an entry that is not an object", registry: ["v1-legacy"], error: "INVALID_EPOCH" },
    { name: "first-not-at-zero", description: "the first epoch starts at block 5", registry: [e(5, null, "v1-legacy", 0)], error: "EPOCH_GAP" },
    { name: "gap", description: "blocks 10..11 have no epoch", registry: [e(0, 9, "v1-legacy", 0), e(12, null, "v2-dual-required", 1)], error: "EPOCH_GAP" },
    { name: "overlap", description: "the second epoch starts inside the first", registry: [e(0, 9, "v1-legacy", 0), e(9, null, "v2-dual-required", 1)], error: "EPOCH_OVERLAP" },
    { name: "open-epoch-not-last", description: "only the last epoch may be open-ended", registry: [e(0, null, "v1-legacy", 0), e(10, null, "v2-dual-required", 1)], error: "EPOCH_OVERLAP" },
    { name: "regression-v2-to-v1.5", description: "rule versions only move forward", registry: [e(0, 9, "v2-dual-required", 1), e(10, null, "v1.5-pq-optional", 1)], error: "RULE_VERSION_REGRESSION" },
    { name: "regression-v3-to-v2.5", description: "a step back that is not a rollback to v1-legacy", registry: [e(0, 9, "v3-pq-only", 1), e(10, null, "v2.5-pq-primary", 1)], error: "RULE_VERSION_REGRESSION" },
    { name: "rollback-without-governance", description: "a rollback to v1-legacy must carry the governance hash of the emergency declaration", registry: [e(0, 9, "v3-pq-only", 1), { ...e(10, null, "v1-legacy", 0), governance_hash: null }], error: "ROLLBACK_WITHOUT_GOVERNANCE" },
    { name: "unknown-algorithm", description: "algorithm_id 0x09 is not registered", registry: [{ ...e(0, null, "v2-dual-required", 1), algorithm_id: 9 }], error: "UNKNOWN_ALGORITHM" },
    { name: "unknown-rule-version", description: "rule_version v4-quantum is not one of the five", registry: [{ ...e(0, null, "v1-legacy", 0), rule_version: "v4-quantum" }], error: "UNKNOWN_RULE_VERSION" },
    { name: "name-does-not-match-id", description: "algorithm_name must be the registry name of algorithm_id, exactly", registry: [{ ...e(0, null, "v2-dual-required", 1), algorithm_name: "sha3-256" }], error: "INVALID_EPOCH" },
    { name: "v1-with-pq-algorithm", description: "a v1-legacy epoch must name SHA-256", registry: [e(0, null, "v1-legacy", 1)], error: "INVALID_EPOCH" },
    { name: "pq-epoch-with-sha256", description: "an epoch with a PQ chain must name a post-quantum algorithm", registry: [e(0, null, "v2-dual-required", 0)], error: "INVALID_EPOCH" },
    { name: "ends-before-start", description: "end_block below start_block", registry: [e(0, 9, "v1-legacy", 0), { ...e(10, 5, "v2-dual-required", 1) }], error: "INVALID_EPOCH" },
    { name: "negative-start", description: "start_block must be a non-negative integer", registry: [{ ...e(0, null, "v1-legacy", 0), start_block: -1 }], error: "INVALID_EPOCH" },
    { name: "fractional-end", description: "end_block must be an integer", registry: [{ ...e(0, 9.5, "v1-legacy", 0) }], error: "INVALID_EPOCH" },
    { name: "algorithm-id-as-string", description: "algorithm_id must be a number", registry: [{ ...e(0, null, "v1-legacy", 0), algorithm_id: "0x00" }], error: "INVALID_EPOCH" },
    { name: "governance-hash-uppercase", description: "governance_hash must be canonical hex (0x + 64 lowercase digits) or null", registry: [e(0, 9, "v1-legacy", 0), { ...e(10, null, "v2-dual-required", 1), governance_hash: "0x" + GOV.slice(2).toUpperCase() }], error: "INVALID_EPOCH" },
    { name: "missing-activation-timestamp", description: "activation_timestamp is required", registry: [(({ activation_timestamp: _, ...rest }) => rest)(e(0, null, "v1-legacy", 0))], error: "INVALID_EPOCH" },
  ];
  // Integer spellings (spec §1): registries as raw JSON text, judged on the parsed double as block fields are.
  const base = JSON.stringify([e(0, 99, "v1-legacy", 0), e(100, null, "v2-dual-required", 1)]);
  const respell = (from: string, to: string) => {
    assert.ok(base.includes(from), from);
    return base.replace(from, to);
  };
  const json_text: { name: string; description: string; registry_json: string; error: string | null }[] = [
    { name: "start-block-exponent", description: "start_block written 1e2 and end_block 99.0: integers in any spelling", registry_json: respell('"end_block":99,', '"end_block":99.0,').replace('"start_block":100,', '"start_block":1e2,'), error: null },
    { name: "start-block-rounds-to-integer", description: "start_block written 100.000000000000001, which parses to exactly 100", registry_json: respell('"start_block":100,', '"start_block":100.000000000000001,'), error: null },
    { name: "algorithm-id-1.0", description: "algorithm_id written 1.0", registry_json: respell('"algorithm_id":1,', '"algorithm_id":1.0,'), error: null },
    { name: "algorithm-id-1.5", description: "algorithm_id 1.5 is not an integer", registry_json: respell('"algorithm_id":1,', '"algorithm_id":1.5,'), error: "INVALID_EPOCH" },
    { name: "end-block-above-2^53", description: "end_block 9007199254740993 parses to 2^53, above the maximum 2^53 - 1", registry_json: respell('"end_block":99,', '"end_block":9007199254740993,'), error: "INVALID_EPOCH" },
    { name: "start-block-string", description: "start_block written as the string \"100\"", registry_json: respell('"start_block":100,', '"start_block":"100",'), error: "INVALID_EPOCH" },
  ];
  for (const v of json_text) assert.equal(codeOf(() => parseEpochRegistry(JSON.parse(v.registry_json))), v.error, `lib disagrees on ${v.name}`);
  for (const v of valid) assert.equal(codeOf(() => parseEpochRegistry(v.registry)), null, `lib rejects valid registry ${v.name}`);
  for (const v of invalid) assert.equal(codeOf(() => parseEpochRegistry(v.registry)), v.error, `lib gives the wrong code for ${v.name}`);

  // Registration (§6.3): the current registry, a new open epoch, the finalized height; the result or the error.
  const current = [e(0, 99, "v1-legacy", 0), e(100, null, "v2-dual-required", 1)];
  const registrations = [
    { name: "activate-above-finality", description: "activation at 200 with blocks up to 150 final: the open epoch is closed at 199", new_epoch: e(200, null, "v2.5-pq-primary", 1), finalized_height: 150, error: null },
    { name: "activate-at-finality", description: "activation at the finalized height itself is refused", new_epoch: e(150, null, "v2.5-pq-primary", 1), finalized_height: 150, error: "ACTIVATION_NOT_ABOVE_FINALITY" },
    { name: "activate-below-finality", description: "activation below the finalized height", new_epoch: e(120, null, "v2.5-pq-primary", 1), finalized_height: 150, error: "ACTIVATION_NOT_ABOVE_FINALITY" },
    { name: "activate-nothing-final", description: "finalized height -1 (the one spelling of \"no block is final\", spec §8.2): every start_block is above it", new_epoch: e(101, null, "v3-pq-only", 1), finalized_height: -1, error: null },
    { name: "activate-not-after-current-start", description: "an activation at or before the start of the current open epoch", new_epoch: e(100, null, "v2.5-pq-primary", 1), finalized_height: -1, error: "EPOCH_OVERLAP" },
    { name: "activate-closed-epoch", description: "a newly registered epoch must be open-ended", new_epoch: e(200, 300, "v2.5-pq-primary", 1), finalized_height: -1, error: "INVALID_EPOCH" },
    { name: "activate-regression", description: "registration applies every registry rule", new_epoch: e(200, null, "v1.5-pq-optional", 1), finalized_height: -1, error: "RULE_VERSION_REGRESSION" },
    { name: "activate-rollback", description: "an emergency rollback with its governance hash", new_epoch: e(200, null, "v1-legacy", 0), finalized_height: 150, error: null },
  ].map((r) => {
    let result: Epoch[] | null = null;
    const code = codeOf(() => (result = registerEpoch(current as Epoch[], r.new_epoch as Epoch, { finalizedHeight: r.finalized_height })));
    assert.equal(code, r.error, `registration ${r.name}`);
    return { ...r, registry: current, result };
  });

  // Resolution and transitions (§6.4) over the migration registry.
  const epochs = parseEpochRegistry(MIGRATION_REGISTRY);
  const resolution = [0, 1, 2, 5, 9, 10, 11, 12, 1_000_000].map((n) => {
    const found = findEpoch(epochs, n)!;
    return { block_number: n, start_block: found.start_block, rule_version: found.rule_version, algorithm_id: found.algorithm_id };
  });
  const expectedKinds = ["activation", "activation", "activation", "activation", "algorithm-change", "rollback"];
  const transitions = listTransitions(epochs).map((t, i) => {
    assert.equal(t.kind, expectedKinds[i]);
    return { block_number: t.block_number, from: t.from.rule_version, to: t.to.rule_version, from_algorithm_id: t.from.algorithm_id, to_algorithm_id: t.to.algorithm_id, kind: t.kind };
  });

  const src = "hand-written from docs/spec/consensus.md §6; lib/consensus/epochs.ts was checked to agree when scripts/vectors/generate.ts wrote this file";
  return {
    description:
      "Epoch registries (spec §6). `valid`: registries a conforming node accepts. `invalid`: registries it rejects, each with the one error code it must give (each registry has exactly one fault). `registrations`: appending a new open epoch to `registry` with a finalized height (-1 when no block is final, never null); `result` is the registry after (the open epoch closed at new.start_block - 1) or null with `error`. `resolution`: the epoch covering a block of the migration registry. `transitions`: the boundaries of the migration registry and their kind. `json_text`: registries as raw JSON text (`registry_json`) for the integer spellings of spec §1; parse the text, then expect `error` (null: accepted).",
    source: src,
    valid: valid.map((v) => ({ ...v, source: src })),
    invalid: invalid.map((v) => ({ ...v, source: src })),
    registrations: registrations.map((r) => ({ ...r, source: src })),
    json_text: json_text.map((v) => ({ ...v, source: "hand-written from docs/spec/consensus.md §1 (integers in JSON); a two-epoch registry with one number respelled" })),
    resolution: { registry: "migration (epochs.json valid[0])", cases: resolution, source: src },
    transitions: { registry: "migration (epochs.json valid[0])", cases: transitions, source: src },
  };
}
