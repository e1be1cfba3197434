import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AppError } from "../errors";
import { BLAKE3_ID, SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import {
  findEpoch,
  listTransitions,
  makeEpoch,
  nextTransitionAfter,
  parseEpoch,
  parseEpochRegistry,
  registerEpoch,
  resolveEpoch,
  transitionAt,
  validateEpochRegistry,
  type Epoch,
  type EpochRegistry,
} from "./epochs";
import { RULE_VERSIONS, ruleVersionRules, type RuleVersion } from "./rule-versions";
import {
  EPOCHS_ALGORITHM_CHANGE,
  EPOCHS_ALL_VERSIONS,
  EPOCHS_ROLLBACK,
  GOVERNANCE_HASH,
  registryOf,
  singleEpochRegistry,
  T0,
} from "./test-chains";

const PQ_VERSIONS = RULE_VERSIONS.filter((v) => v !== "v1-legacy");

/** The registry as untrusted JSON (what parseEpochRegistry gets from a file or a request). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Runs `fn`, expecting an AppError with `code` whose message matches `message`; returns the error. */
function expectAppError(fn: () => unknown, code: string, message?: RegExp): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected AppError ${code}, nothing was thrown`).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect({ code: error.code, message: error.message }).toMatchObject({ code });
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** A two-epoch raw registry whose second epoch (starting at block 10) is patched by `patch`. */
function withSecondEpoch(patch: Record<string, unknown>): unknown[] {
  const reg = asJson(registryOf([[0, "v1-legacy", SHA256_ID], [10, "v2-dual-required", SHA3_256_ID, GOVERNANCE_HASH]])) as Record<string, unknown>[];
  reg[1] = { ...reg[1], ...patch };
  return reg;
}

describe("makeEpoch", () => {
  it("fills algorithm_name from the algorithm id and defaults to an open epoch without governance hash", () => {
    expect(makeEpoch(5, "v2.5-pq-primary", BLAKE3_ID, T0)).toEqual({
      start_block: 5,
      end_block: null,
      algorithm_id: BLAKE3_ID,
      algorithm_name: "BLAKE3",
      rule_version: "v2.5-pq-primary",
      activation_timestamp: T0,
      governance_hash: null,
    });
  });

  it("keeps an explicit governance hash and end block", () => {
    const e = makeEpoch(0, "v1-legacy", SHA256_ID, T0, GOVERNANCE_HASH, 9);
    expect([e.algorithm_name, e.governance_hash, e.end_block]).toEqual(["SHA-256", GOVERNANCE_HASH, 9]);
  });

  it("refuses an unknown algorithm id with UNKNOWN_ALGORITHM", () => {
    expectAppError(() => makeEpoch(0, "v2-dual-required", 3, T0), "UNKNOWN_ALGORITHM", /0x03/);
  });
});

describe("parseEpoch", () => {
  it("reads a well-formed epoch into exactly the seven epoch fields, ignoring extra ones", () => {
    const epoch = makeEpoch(10, "v2-dual-required", SHA3_256_ID, T0, GOVERNANCE_HASH, 19);
    expect(parseEpoch({ ...asJson(epoch) as object, comment: "ignored" })).toEqual(epoch);
  });

  it("treats an absent governance_hash and an absent end_block as null", () => {
    const parsed = parseEpoch({ start_block: 0, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", activation_timestamp: 0 });
    expect([parsed.end_block, parsed.governance_hash]).toEqual([null, null]);
  });

  it("names the epoch given as `where` in the error", () => {
    expectAppError(() => parseEpoch({}, "epoch 7"), "INVALID_EPOCH", /^epoch 7\.start_block/);
  });

  it("refuses anything but a JSON object", () => {
    for (const input of [null, 3, "epoch", [], undefined]) expectAppError(() => parseEpoch(input, "epoch 2"), "INVALID_EPOCH", /epoch 2 must be a JSON object/);
  });
});

describe("parseEpochRegistry", () => {
  it("accepts all five rule versions in order and returns the epochs unchanged", () => {
    expect(parseEpochRegistry(asJson(EPOCHS_ALL_VERSIONS))).toEqual(EPOCHS_ALL_VERSIONS);
  });

  it("accepts an algorithm change (SHA3-256 to BLAKE3) at the same rule version", () => {
    expect(parseEpochRegistry(asJson(EPOCHS_ALGORITHM_CHANGE))).toEqual(EPOCHS_ALGORITHM_CHANGE);
  });

  it("accepts a governed rollback to v1-legacy followed by a move forward again", () => {
    expect(parseEpochRegistry(asJson(EPOCHS_ROLLBACK))).toEqual(EPOCHS_ROLLBACK);
  });

  it("accepts a governed rollback to v1-legacy from every post-quantum rule version", () => {
    for (const from of PQ_VERSIONS) {
      const reg = registryOf([[0, "v1-legacy", SHA256_ID], [5, from, BLAKE3_ID], [9, "v1-legacy", SHA256_ID, GOVERNANCE_HASH]]);
      expect(parseEpochRegistry(asJson(reg)), from).toEqual(reg);
    }
  });

  it("accepts a jump of several rule versions at once, including straight from a rollback to v3", () => {
    const reg = registryOf([[0, "v1-legacy", SHA256_ID], [3, "v2.5-pq-primary", SHA3_256_ID], [6, "v1-legacy", SHA256_ID, GOVERNANCE_HASH], [7, "v3-pq-only", BLAKE3_ID]]);
    expect(parseEpochRegistry(asJson(reg))).toEqual(reg);
  });

  it("accepts a genesis epoch of any rule version, with SHA-256 for v1-legacy and either PQ algorithm otherwise", () => {
    expect(parseEpochRegistry(asJson(singleEpochRegistry("v1-legacy")))).toHaveLength(1);
    for (const v of PQ_VERSIONS) {
      for (const alg of [SHA3_256_ID, BLAKE3_ID]) expect(parseEpochRegistry(asJson(singleEpochRegistry(v, alg)))).toHaveLength(1);
    }
  });

  it("accepts a one-block epoch (start_block = end_block) and a registry whose last epoch is closed", () => {
    const reg = [makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 0), makeEpoch(1, "v2-dual-required", SHA3_256_ID, T0, null, 1)];
    expect(parseEpochRegistry(asJson(reg))).toEqual(reg);
  });

  it("refuses an empty registry with EMPTY_EPOCH_REGISTRY", () => {
    expectAppError(() => parseEpochRegistry([]), "EMPTY_EPOCH_REGISTRY", /empty/);
  });

  it("refuses a registry that is not an array", () => {
    for (const input of [null, {}, "[]", 1]) expectAppError(() => parseEpochRegistry(input), "INVALID_EPOCH", /JSON array/);
  });

  it("refuses a first epoch that does not start at block 0 (EPOCH_GAP)", () => {
    const reg = asJson([makeEpoch(1, "v1-legacy", SHA256_ID, T0)]);
    expectAppError(() => parseEpochRegistry(reg), "EPOCH_GAP", /first epoch must start at block 0, not 1/);
  });

  it("refuses a gap between epochs, naming the epoch and the uncovered blocks", () => {
    expectAppError(() => parseEpochRegistry(withSecondEpoch({ start_block: 12 })), "EPOCH_GAP", /epoch 1 \(start 12\).*blocks 10\.\.11/);
  });

  it("refuses a gap of exactly one block", () => {
    expectAppError(() => parseEpochRegistry(withSecondEpoch({ start_block: 11 })), "EPOCH_GAP", /epoch 1 \(start 11\) starts at block 11, leaving block 10 without an epoch/);
  });

  it("refuses an overlap, including a start on the previous epoch's last block", () => {
    expectAppError(() => parseEpochRegistry(withSecondEpoch({ start_block: 9 })), "EPOCH_OVERLAP", /epoch 1 \(start 9\).*inside the previous epoch \(0\.\.9\)/);
    expectAppError(() => parseEpochRegistry(withSecondEpoch({ start_block: 0 })), "EPOCH_OVERLAP", /epoch 1 \(start 0\)/);
  });

  it("refuses an epoch after an open-ended one", () => {
    const reg = asJson([makeEpoch(0, "v1-legacy", SHA256_ID, T0), makeEpoch(10, "v2-dual-required", SHA3_256_ID, T0)]);
    expectAppError(() => parseEpochRegistry(reg), "EPOCH_OVERLAP", /epoch 1 \(start 10\).*open-ended/);
  });

  it("refuses an epoch that ends before it starts", () => {
    expectAppError(() => parseEpochRegistry(withSecondEpoch({ end_block: 9 })), "INVALID_EPOCH", /epoch 1 \(start 10\) ends \(block 9\) before it starts \(block 10\)/);
  });

  it("refuses an algorithm_name that is not the registry name of algorithm_id (exact, case-sensitive)", () => {
    for (const name of ["BLAKE3", "sha3-256", "SHA3256", ""]) {
      expectAppError(() => parseEpochRegistry(withSecondEpoch({ algorithm_name: name })), "INVALID_EPOCH", /epoch 1 \(start 10\)\.algorithm_name.*0x01 is SHA3-256/);
    }
  });

  it("refuses SHA-256 in every rule version that has a PQ chain", () => {
    for (const v of PQ_VERSIONS) {
      const raw = withSecondEpoch({ rule_version: v, algorithm_id: SHA256_ID, algorithm_name: "SHA-256" });
      expectAppError(() => parseEpochRegistry(raw), "INVALID_EPOCH", new RegExp(`epoch 1 \\(start 10\\) is ${v.replace(/\./g, "\\.")}.*post-quantum.*SHA-256`));
    }
  });

  it("refuses a post-quantum algorithm in v1-legacy", () => {
    for (const [id, name] of [[SHA3_256_ID, "SHA3-256"], [BLAKE3_ID, "BLAKE3"]] as const) {
      const raw = asJson([makeEpoch(0, "v1-legacy", id, T0)]);
      expectAppError(() => parseEpochRegistry(raw), "INVALID_EPOCH", new RegExp(`epoch 0 \\(start 0\\) is v1-legacy, which uses SHA-256 only, but names ${name}`));
    }
  });

  it("refuses an unknown algorithm id with UNKNOWN_ALGORITHM naming the epoch", () => {
    for (const id of [3, 255]) {
      expectAppError(() => parseEpochRegistry(withSecondEpoch({ algorithm_id: id })), "UNKNOWN_ALGORITHM", /^epoch 1\.algorithm_id: unknown hash algorithm id 0x/);
    }
  });

  it("refuses an unknown rule version with UNKNOWN_RULE_VERSION naming the epoch", () => {
    for (const v of ["v4", "v2", "V1-LEGACY", "", null, 2]) {
      expectAppError(() => parseEpochRegistry(withSecondEpoch({ rule_version: v })), "UNKNOWN_RULE_VERSION", /^epoch 1\.rule_version: unknown rule version/);
    }
  });

  it("refuses a rule version that moves backwards other than to v1-legacy (RULE_VERSION_REGRESSION)", () => {
    const cases: Array<[RuleVersion, RuleVersion]> = [
      ["v2-dual-required", "v1.5-pq-optional"],
      ["v2.5-pq-primary", "v2-dual-required"],
      ["v3-pq-only", "v2.5-pq-primary"],
      ["v3-pq-only", "v1.5-pq-optional"],
    ];
    for (const [from, to] of cases) {
      const reg = asJson(registryOf([[0, "v1-legacy", SHA256_ID], [5, from, SHA3_256_ID], [10, to, SHA3_256_ID, GOVERNANCE_HASH]]));
      expectAppError(() => parseEpochRegistry(reg), "RULE_VERSION_REGRESSION", new RegExp(`epoch 2 \\(start 10\\) moves the rule version back from ${from.replace(/\./g, "\\.")} to ${to.replace(/\./g, "\\.")}`));
    }
  });

  it("refuses a rollback to v1-legacy without a governance_hash, whether null or absent", () => {
    const reg = asJson(EPOCHS_ROLLBACK) as Record<string, unknown>[];
    expectAppError(() => parseEpochRegistry(reg.map((e, i) => (i === 2 ? { ...e, governance_hash: null } : e))), "ROLLBACK_WITHOUT_GOVERNANCE", /epoch 2 \(start 10\) rolls back to v1-legacy/);
    expectAppError(() => parseEpochRegistry(reg.map((e, i) => (i === 2 ? { ...e, governance_hash: undefined } : e))), "ROLLBACK_WITHOUT_GOVERNANCE", /epoch 2/);
  });

  it("does not require a governance_hash for a forward activation", () => {
    const reg = registryOf([[0, "v1-legacy", SHA256_ID], [10, "v2-dual-required", SHA3_256_ID, null]]);
    expect(parseEpochRegistry(asJson(reg))).toEqual(reg);
  });

  it("refuses malformed numeric fields (strings, negatives, fractions, null where required) with INVALID_EPOCH naming epoch and field", () => {
    const cases: Array<[string, unknown]> = [
      ["start_block", "10"],
      ["start_block", -1],
      ["start_block", 10.5],
      ["start_block", null],
      ["end_block", "19"],
      ["end_block", -1],
      ["end_block", 19.5],
      ["algorithm_id", "1"],
      ["algorithm_id", -1],
      ["algorithm_id", 1.5],
      ["activation_timestamp", "1700000000"],
      ["activation_timestamp", -1],
      ["activation_timestamp", null],
      ["activation_timestamp", Number.POSITIVE_INFINITY],
      ["activation_timestamp", Number.NaN],
      ["algorithm_name", 1],
    ];
    for (const [field, value] of cases) {
      expectAppError(() => parseEpochRegistry(withSecondEpoch({ [field]: value })), "INVALID_EPOCH", new RegExp(`^epoch 1\\.${field} must be`));
    }
  });

  it("refuses a start_block beyond 2^53 - 1", () => {
    expectAppError(() => parseEpochRegistry(withSecondEpoch({ start_block: 2 ** 53 })), "INVALID_EPOCH", /epoch 1\.start_block/);
  });

  it("refuses a governance_hash that is not 32 bytes of 0x-prefixed lowercase hex", () => {
    const bad = ["ab".repeat(32), "0x" + "AB".repeat(32), "0x" + "ab".repeat(31), "0x" + "ab".repeat(33), "0x" + "zz".repeat(32), "", 0, {}];
    for (const value of bad) {
      expectAppError(() => parseEpochRegistry(withSecondEpoch({ governance_hash: value })), "INVALID_EPOCH", /^epoch 1\.governance_hash must be a 32-byte/);
    }
  });

  it("names the offending array index when an element is not an object", () => {
    expectAppError(() => parseEpochRegistry([asJson(EPOCHS_ALL_VERSIONS[0]), "epoch"]), "INVALID_EPOCH", /^epoch 1 must be a JSON object/);
  });
});

describe("validateEpochRegistry", () => {
  it("accepts every fixture registry", () => {
    for (const reg of [EPOCHS_ALL_VERSIONS, EPOCHS_ALGORITHM_CHANGE, EPOCHS_ROLLBACK, singleEpochRegistry("v3-pq-only", BLAKE3_ID)]) {
      expect(() => validateEpochRegistry(reg)).not.toThrow();
    }
  });

  it("refuses an empty registry, a late first epoch, gaps, overlaps and an epoch after an open one with the registry codes", () => {
    expectAppError(() => validateEpochRegistry([]), "EMPTY_EPOCH_REGISTRY");
    expectAppError(() => validateEpochRegistry([makeEpoch(3, "v1-legacy", SHA256_ID, T0)]), "EPOCH_GAP", /first epoch.*not 3/);
    const first = makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9);
    expectAppError(() => validateEpochRegistry([first, makeEpoch(11, "v2-dual-required", SHA3_256_ID, T0)]), "EPOCH_GAP", /epoch 1 \(start 11\)/);
    expectAppError(() => validateEpochRegistry([first, makeEpoch(9, "v2-dual-required", SHA3_256_ID, T0)]), "EPOCH_OVERLAP", /epoch 1 \(start 9\)/);
    expectAppError(() => validateEpochRegistry([{ ...first, end_block: null }, makeEpoch(10, "v2-dual-required", SHA3_256_ID, T0)]), "EPOCH_OVERLAP", /epoch 1 \(start 10\).*open-ended/);
  });

  it("refuses an epoch whose end is before its start, even the first one", () => {
    expectAppError(() => validateEpochRegistry([makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, -1)]), "INVALID_EPOCH", /epoch 0 \(start 0\)\.end_block must be a non-negative integer/);
    expectAppError(
      () => validateEpochRegistry([makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9), makeEpoch(10, "v1-legacy", SHA256_ID, T0, null, 5)]),
      "INVALID_EPOCH",
      /epoch 1 \(start 10\) ends \(block 5\) before it starts/,
    );
  });

  it("refuses a wrong algorithm for the rule version and a mismatched algorithm_name", () => {
    expectAppError(() => validateEpochRegistry([makeEpoch(0, "v2-dual-required", SHA256_ID, T0)]), "INVALID_EPOCH", /epoch 0 \(start 0\)/);
    expectAppError(() => validateEpochRegistry([makeEpoch(0, "v1-legacy", BLAKE3_ID, T0)]), "INVALID_EPOCH", /epoch 0 \(start 0\)/);
    expectAppError(() => validateEpochRegistry([{ ...makeEpoch(0, "v1-legacy", SHA256_ID, T0), algorithm_name: "SHA256" }]), "INVALID_EPOCH", /epoch 0 \(start 0\)\.algorithm_name/);
  });

  it("refuses a regression and an ungoverned rollback, naming the epoch", () => {
    const reg = registryOf([[0, "v1-legacy", SHA256_ID], [5, "v2-dual-required", SHA3_256_ID], [10, "v1.5-pq-optional", SHA3_256_ID, GOVERNANCE_HASH]]);
    expectAppError(() => validateEpochRegistry(reg), "RULE_VERSION_REGRESSION", /epoch 2 \(start 10\)/);
    const rollback = EPOCHS_ROLLBACK.map((e, i) => (i === 2 ? { ...e, governance_hash: null } : e));
    expectAppError(() => validateEpochRegistry(rollback), "ROLLBACK_WITHOUT_GOVERNANCE", /epoch 2 \(start 10\)/);
  });

  it("refuses an unknown algorithm id with UNKNOWN_ALGORITHM and a message naming the offending epoch", () => {
    const reg: Epoch[] = [makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9), { ...makeEpoch(10, "v2-dual-required", SHA3_256_ID, T0), algorithm_id: 7 }];
    expectAppError(() => validateEpochRegistry(reg), "UNKNOWN_ALGORITHM", /epoch 1 \(start 10\)/);
  });

  it("refuses an unknown rule version with UNKNOWN_RULE_VERSION and a message naming the offending epoch", () => {
    const reg = [makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9), { ...makeEpoch(10, "v2-dual-required", SHA3_256_ID, T0), rule_version: "v4-future" }] as unknown as Epoch[];
    expectAppError(() => validateEpochRegistry(reg), "UNKNOWN_RULE_VERSION", /epoch 1 \(start 10\)/);
  });
});

describe("findEpoch", () => {
  it("finds the covering epoch at every boundary: start, end and the block after the end", () => {
    const reg = EPOCHS_ALL_VERSIONS;
    const expected: Array<[number, number]> = [
      [0, 0], [4, 0], [5, 1], [9, 1], [10, 2], [14, 2], [15, 3], [19, 3], [20, 4],
    ];
    for (const [block, index] of expected) expect(findEpoch(reg, block), `block ${block}`).toBe(reg[index]);
  });

  it("lets an open last epoch cover every later block", () => {
    expect(findEpoch(EPOCHS_ALL_VERSIONS, 21)).toBe(EPOCHS_ALL_VERSIONS[4]);
    expect(findEpoch(EPOCHS_ALL_VERSIONS, Number.MAX_SAFE_INTEGER)).toBe(EPOCHS_ALL_VERSIONS[4]);
  });

  it("returns undefined past a closed registry, for negative blocks and for an empty registry", () => {
    const closed = [makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9)];
    expect(findEpoch(closed, 9)).toBe(closed[0]);
    expect(findEpoch(closed, 10)).toBeUndefined();
    expect(findEpoch(EPOCHS_ALL_VERSIONS, -1)).toBeUndefined();
    expect(findEpoch([], 0)).toBeUndefined();
  });

  it("resolves blocks of a rollback epoch to the rollback epoch, not to the older v1-legacy one", () => {
    expect(findEpoch(EPOCHS_ROLLBACK, 10)).toBe(EPOCHS_ROLLBACK[2]);
    expect(findEpoch(EPOCHS_ROLLBACK, 14)).toBe(EPOCHS_ROLLBACK[2]);
    expect(findEpoch(EPOCHS_ROLLBACK, 15)).toBe(EPOCHS_ROLLBACK[3]);
  });
});

describe("resolveEpoch", () => {
  it("returns the same epoch as findEpoch at every boundary", () => {
    for (const block of [0, 4, 5, 9, 10, 14, 15, 19, 20, 1_000_000]) {
      expect(resolveEpoch(EPOCHS_ALL_VERSIONS, block)).toBe(findEpoch(EPOCHS_ALL_VERSIONS, block));
    }
  });

  it("throws NO_EPOCH one block past a closed registry, saying where the registry ends", () => {
    const closed = [makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 4), makeEpoch(5, "v2-dual-required", SHA3_256_ID, T0, null, 9)];
    expect(resolveEpoch(closed, 9)).toBe(closed[1]);
    expectAppError(() => resolveEpoch(closed, 10), "NO_EPOCH", /no epoch covers block 10 \(the registry ends at block 9\)/);
  });

  it("throws NO_EPOCH for an empty registry and for a negative block", () => {
    expectAppError(() => resolveEpoch([], 0), "NO_EPOCH", /no epoch covers block 0/);
    expectAppError(() => resolveEpoch(EPOCHS_ALL_VERSIONS, -1), "NO_EPOCH", /block -1/);
  });
});

describe("registerEpoch", () => {
  const genesis = (): Epoch[] => singleEpochRegistry("v1-legacy");
  const v2At = (start: number, gov: string | null = GOVERNANCE_HASH) => makeEpoch(start, "v2-dual-required", SHA3_256_ID, T0 + start, gov);

  /** Asserts that `fn(registry)` throws `code` and leaves `registry` (and the epoch) exactly as they were. */
  function expectRefusedUnchanged(registry: Epoch[], epoch: Epoch, finalizedHeight: number | null, code: string, message?: RegExp) {
    const before = structuredClone(registry);
    const epochBefore = structuredClone(epoch);
    expectAppError(() => registerEpoch(registry, epoch, { finalizedHeight }), code, message);
    expect(registry).toEqual(before);
    expect(epoch).toEqual(epochBefore);
  }

  it("closes the open epoch at the block before the activation and appends the new epoch open-ended", () => {
    expect(registerEpoch(genesis(), v2At(10), { finalizedHeight: null })).toEqual([
      makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9),
      v2At(10),
    ]);
  });

  it("returns a new array of new epoch objects and never mutates the registry or the epoch given", () => {
    const registry = genesis();
    const epoch = v2At(10);
    const before = structuredClone(registry);
    const epochBefore = structuredClone(epoch);
    const next = registerEpoch(registry, epoch, { finalizedHeight: 3 });
    expect(registry).toEqual(before);
    expect(epoch).toEqual(epochBefore);
    expect(next).not.toBe(registry);
    expect(next[0]).not.toBe(registry[0]);
    expect(next[1]).not.toBe(epoch);
  });

  it("accepts a frozen registry (it copies rather than writes)", () => {
    const registry = Object.freeze(genesis().map((e) => Object.freeze(e)));
    expect(registerEpoch(registry, v2At(10), { finalizedHeight: null })).toHaveLength(2);
  });

  it("refuses an activation exactly at the finalized height", () => {
    expectRefusedUnchanged(genesis(), v2At(10), 10, "ACTIVATION_NOT_ABOVE_FINALITY", /activation at block 10 is at or below the finalized height 10/);
  });

  it("refuses an activation below the finalized height", () => {
    expectRefusedUnchanged(genesis(), v2At(10), 50, "ACTIVATION_NOT_ABOVE_FINALITY", /block 10.*finalized height 50/);
  });

  it("allows an activation one block above the finalized height", () => {
    expect(registerEpoch(genesis(), v2At(10), { finalizedHeight: 9 })[0].end_block).toBe(9);
  });

  it("allows the genesis epoch of an empty registry when nothing is final (null or -1)", () => {
    const epoch = makeEpoch(0, "v1-legacy", SHA256_ID, T0);
    expect(registerEpoch([], epoch, { finalizedHeight: null })).toEqual([epoch]);
    expect(registerEpoch([], epoch, { finalizedHeight: -1 })).toEqual([epoch]);
    expectRefusedUnchanged([], epoch, 0, "ACTIVATION_NOT_ABOVE_FINALITY");
  });

  it("refuses a first epoch that does not start at block 0", () => {
    expectRefusedUnchanged([], makeEpoch(1, "v1-legacy", SHA256_ID, T0), null, "EPOCH_GAP");
  });

  it("refuses an activation at or before the start of the current open epoch", () => {
    const registry = registerEpoch(genesis(), v2At(10), { finalizedHeight: null });
    expectRefusedUnchanged(registry, makeEpoch(10, "v2.5-pq-primary", SHA3_256_ID, T0), null, "EPOCH_OVERLAP", /activation at block 10 is not after the start of the current epoch \(block 10\)/);
    expectRefusedUnchanged(registry, makeEpoch(4, "v2.5-pq-primary", SHA3_256_ID, T0), null, "EPOCH_OVERLAP", /block 4/);
  });

  it("allows an activation one block after the current epoch start, leaving a one-block epoch", () => {
    const next = registerEpoch(genesis(), v2At(1), { finalizedHeight: null });
    expect(next[0]).toMatchObject({ start_block: 0, end_block: 0 });
  });

  it("refuses an epoch that is not open-ended", () => {
    expectRefusedUnchanged(genesis(), { ...v2At(10), end_block: 20 }, null, "INVALID_EPOCH", /must be open-ended.*got 20/);
  });

  it("appends after a closed registry only right after its last block", () => {
    const closed = [makeEpoch(0, "v1-legacy", SHA256_ID, T0, null, 9)];
    expect(registerEpoch(closed, v2At(10), { finalizedHeight: null })).toEqual([closed[0], v2At(10)]);
    expectRefusedUnchanged(closed, v2At(12), null, "EPOCH_GAP", /blocks 10\.\.11/);
    expectRefusedUnchanged(closed, v2At(9), null, "EPOCH_OVERLAP");
  });

  it("refuses what the registry rules refuse: regression, ungoverned rollback, wrong algorithm for the version", () => {
    const at2 = registerEpoch(genesis(), v2At(10), { finalizedHeight: null });
    expectRefusedUnchanged(at2, makeEpoch(20, "v1.5-pq-optional", SHA3_256_ID, T0, GOVERNANCE_HASH), null, "RULE_VERSION_REGRESSION", /epoch 2 \(start 20\)/);
    expectRefusedUnchanged(at2, makeEpoch(20, "v1-legacy", SHA256_ID, T0, null), null, "ROLLBACK_WITHOUT_GOVERNANCE", /epoch 2 \(start 20\)/);
    expectRefusedUnchanged(at2, makeEpoch(20, "v3-pq-only", SHA256_ID, T0), null, "INVALID_EPOCH", /epoch 2 \(start 20\)/);
  });

  it("accepts a governed rollback to v1-legacy and a later move forward", () => {
    let reg = registerEpoch(genesis(), v2At(10), { finalizedHeight: null });
    reg = registerEpoch(reg, makeEpoch(20, "v1-legacy", SHA256_ID, T0, GOVERNANCE_HASH), { finalizedHeight: 15 });
    reg = registerEpoch(reg, makeEpoch(30, "v2-dual-required", BLAKE3_ID, T0, GOVERNANCE_HASH), { finalizedHeight: 25 });
    expect(reg.map((e) => [e.start_block, e.end_block, e.rule_version, e.algorithm_name])).toEqual([
      [0, 9, "v1-legacy", "SHA-256"],
      [10, 19, "v2-dual-required", "SHA3-256"],
      [20, 29, "v1-legacy", "SHA-256"],
      [30, null, "v2-dual-required", "BLAKE3"],
    ]);
  });

  it("refuses an epoch with a malformed field, so every registry it returns parses again from JSON", () => {
    // Whatever registerEpoch accepts is stored as JSON and reloaded with parseEpochRegistry; it must not accept an
    // epoch that parseEpochRegistry would then refuse.
    const malformed: Array<[string, Epoch]> = [
      ["non-hex governance_hash", v2At(10, "not-a-hash")],
      ["uppercase governance_hash", v2At(10, "0x" + "AB".repeat(32))],
      ["fractional start_block", v2At(10.5)],
      ["NaN start_block", v2At(Number.NaN)],
      ["negative activation_timestamp", { ...v2At(10), activation_timestamp: -1 }],
    ];
    const outcomes = malformed.map(([what, epoch]) => {
      try {
        registerEpoch(genesis(), epoch, { finalizedHeight: null });
        return [what, "accepted"];
      } catch (error) {
        return [what, error instanceof AppError ? error.code : String(error)];
      }
    });
    expect(outcomes).toEqual(malformed.map(([what]) => [what, "INVALID_EPOCH"]));
  });
});

describe("listTransitions", () => {
  it("returns nothing for a single-epoch registry", () => {
    expect(listTransitions(singleEpochRegistry("v2-dual-required"))).toEqual([]);
  });

  it("lists one activation per rule-version step, at the first block of each new epoch, in height order", () => {
    const t = listTransitions(EPOCHS_ALL_VERSIONS);
    expect(t.map((x) => [x.block_number, x.kind, x.from.rule_version, x.to.rule_version])).toEqual([
      [5, "activation", "v1-legacy", "v1.5-pq-optional"],
      [10, "activation", "v1.5-pq-optional", "v2-dual-required"],
      [15, "activation", "v2-dual-required", "v2.5-pq-primary"],
      [20, "activation", "v2.5-pq-primary", "v3-pq-only"],
    ]);
    t.forEach((x, i) => {
      expect(x.from).toBe(EPOCHS_ALL_VERSIONS[i]);
      expect(x.to).toBe(EPOCHS_ALL_VERSIONS[i + 1]);
    });
  });

  it("calls a change of algorithm at the same rule version an algorithm-change", () => {
    expect(listTransitions(EPOCHS_ALGORITHM_CHANGE).map((x) => [x.block_number, x.kind, x.from.algorithm_name, x.to.algorithm_name])).toEqual([
      [5, "activation", "SHA-256", "SHA3-256"],
      [10, "algorithm-change", "SHA3-256", "BLAKE3"],
    ]);
  });

  it("calls a move back to v1-legacy a rollback and the move forward after it an activation", () => {
    expect(listTransitions(EPOCHS_ROLLBACK).map((x) => [x.block_number, x.kind])).toEqual([
      [5, "activation"],
      [10, "rollback"],
      [15, "activation"],
    ]);
  });

  it("calls a step that changes both the rule version and the algorithm an activation", () => {
    const reg = registryOf([[0, "v1-legacy", SHA256_ID], [5, "v2.5-pq-primary", SHA3_256_ID], [9, "v3-pq-only", BLAKE3_ID]]);
    expect(listTransitions(reg).map((x) => x.kind)).toEqual(["activation", "activation"]);
  });
});

describe("transitionAt", () => {
  it("returns the transition only at the activation block itself", () => {
    expect(transitionAt(EPOCHS_ROLLBACK, 10)).toMatchObject({ block_number: 10, kind: "rollback" });
    expect(transitionAt(EPOCHS_ROLLBACK, 9)).toBeUndefined();
    expect(transitionAt(EPOCHS_ROLLBACK, 11)).toBeUndefined();
  });

  it("never reports a transition at block 0 (the genesis epoch is not a transition)", () => {
    expect(transitionAt(EPOCHS_ALL_VERSIONS, 0)).toBeUndefined();
  });
});

describe("nextTransitionAfter", () => {
  it("returns the first transition strictly after the block", () => {
    expect(nextTransitionAfter(EPOCHS_ALL_VERSIONS, -1)?.block_number).toBe(5);
    expect(nextTransitionAfter(EPOCHS_ALL_VERSIONS, 0)?.block_number).toBe(5);
    expect(nextTransitionAfter(EPOCHS_ALL_VERSIONS, 4)?.block_number).toBe(5);
    expect(nextTransitionAfter(EPOCHS_ALL_VERSIONS, 5)?.block_number).toBe(10);
    expect(nextTransitionAfter(EPOCHS_ALGORITHM_CHANGE, 5)).toMatchObject({ block_number: 10, kind: "algorithm-change" });
  });

  it("returns undefined at and after the last transition", () => {
    expect(nextTransitionAfter(EPOCHS_ALL_VERSIONS, 20)).toBeUndefined();
    expect(nextTransitionAfter(EPOCHS_ALL_VERSIONS, 1_000)).toBeUndefined();
    expect(nextTransitionAfter(singleEpochRegistry("v1-legacy"), 0)).toBeUndefined();
  });
});

describe("epoch registry invariants (property)", () => {
  type Step = { gap: number; move: "forward" | "same" | "rollback"; pick: number; lag: number | null };
  const stepArb: fc.Arbitrary<Step> = fc.record({
    gap: fc.integer({ min: 1, max: 15 }),
    move: fc.constantFrom("forward" as const, "same" as const, "rollback" as const),
    pick: fc.nat(),
    lag: fc.option(fc.integer({ min: 1, max: 40 })),
  });
  const pqAlg = (pick: number) => (pick % 2 === 0 ? SHA3_256_ID : BLAKE3_ID);
  const algFor = (v: RuleVersion, pick: number) => (v === "v1-legacy" ? SHA256_ID : pqAlg(pick));

  /** Turns a random step into an epoch that is a valid successor of `last`. */
  function nextEpoch(last: Epoch, step: Step): Epoch {
    const order = ruleVersionRules(last.rule_version).order;
    let version: RuleVersion = last.rule_version;
    let gov: string | null = null;
    if (step.move === "forward" && order < RULE_VERSIONS.length - 1) {
      version = RULE_VERSIONS[order + 1 + (step.pick % (RULE_VERSIONS.length - 1 - order))];
    } else if (step.move === "rollback" && order > 0) {
      version = "v1-legacy";
      gov = GOVERNANCE_HASH;
    }
    const start = last.start_block + step.gap;
    return makeEpoch(start, version, algFor(version, step.pick >> 3), T0 + start, gov);
  }

  it("random valid registrations keep the registry valid and resolve every block to exactly one epoch", () => {
    fc.assert(
      fc.property(fc.constantFrom(...RULE_VERSIONS), fc.nat(), fc.array(stepArb, { maxLength: 12 }), (genesisVersion, pick, steps) => {
        let reg: Epoch[] = registerEpoch([], makeEpoch(0, genesisVersion, algFor(genesisVersion, pick), T0), { finalizedHeight: null });
        for (const step of steps) {
          const epoch = nextEpoch(reg[reg.length - 1], step);
          const before = structuredClone(reg);
          const finalizedHeight = step.lag === null ? null : epoch.start_block - step.lag;
          const next = registerEpoch(reg, epoch, { finalizedHeight });
          expect(reg).toEqual(before);
          expect(next).toHaveLength(reg.length + 1);
          reg = next;
        }
        expect(() => validateEpochRegistry(reg)).not.toThrow();
        expect(parseEpochRegistry(asJson(reg))).toEqual(reg);
        const top = reg[reg.length - 1].start_block + 3;
        for (let n = 0; n <= top; n++) {
          const covering = reg.filter((e) => n >= e.start_block && (e.end_block === null || n <= e.end_block));
          expect(covering).toHaveLength(1);
          expect(resolveEpoch(reg, n)).toBe(covering[0]);
        }
        const transitions = listTransitions(reg);
        expect(transitions.map((t) => t.block_number)).toEqual(reg.slice(1).map((e) => e.start_block));
        for (const t of transitions) {
          const isRollback = t.to.rule_version === "v1-legacy" && t.from.rule_version !== "v1-legacy";
          expect(t.kind === "rollback").toBe(isRollback);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("an arbitrary registration either returns a valid registry or throws an AppError, never touching its input", () => {
    const arbitraryEpoch = fc.record({
      start: fc.integer({ min: 0, max: 60 }),
      end: fc.option(fc.integer({ min: 0, max: 60 }), { freq: 4 }),
      version: fc.constantFrom(...RULE_VERSIONS),
      alg: fc.constantFrom(SHA256_ID, SHA3_256_ID, BLAKE3_ID),
      gov: fc.option(fc.constant(GOVERNANCE_HASH)),
      finalized: fc.option(fc.integer({ min: -1, max: 60 })),
    });
    fc.assert(
      fc.property(fc.array(arbitraryEpoch, { minLength: 1, maxLength: 8 }), (attempts) => {
        let reg: EpochRegistry = [];
        for (const a of attempts) {
          const epoch = makeEpoch(a.start, a.version, a.alg, T0, a.gov, a.end);
          const before = structuredClone(reg);
          try {
            reg = registerEpoch(reg, epoch, { finalizedHeight: a.finalized });
            expect(() => validateEpochRegistry(reg)).not.toThrow();
            expect(a.finalized === null || a.start > a.finalized).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect(reg).toEqual(before);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
