/**
 * One tampered block for every violation code the core defines (violations.ts), each with the predecessor and
 * registry that make it show exactly that code: the cases of validate-block.test.ts, as data, for the tests of
 * every layer above the core (the validate service, its tRPC procedure and REST route). Test-only, like
 * test-chains.ts; nothing in production code may import it.
 *
 * The chain is test-chains.ts's EPOCHS_ALL_VERSIONS chain (v1 0..4, v1.5 5..9, v2 10..14, v2.5 15..19, v3 from 20,
 * SHA3-256), two statements per block, timestamps T0 + 60 n.
 */
import { BLAKE3_ID } from "../crypto/hash-algorithms";
import type { Block } from "./block";
import { makeEpoch, type Epoch, type EpochRegistry } from "./epochs";
import { sealBlock } from "./seal-block";
import { buildChain, EPOCHS_ALL_VERSIONS, GOVERNANCE_HASH } from "./test-chains";
import type { ViolationCode } from "./violations";

/** The fixture chain: 25 valid blocks over EPOCHS_ALL_VERSIONS. */
export const FIXTURE_CHAIN: readonly Block[] = buildChain(EPOCHS_ALL_VERSIONS, 25, { statementsPerBlock: 2 });

/** A timestamp far ahead of any real clock (2096): TIMESTAMP_IN_FUTURE whatever `now` a test runs at. */
export const FAR_FUTURE = 4_000_000_000;

export interface ViolationCase {
  code: ViolationCode;
  /** What was done to the block. */
  description: string;
  block: unknown;
  /** The predecessor it is judged against: the fixture chain's block below it (null for block 0). */
  prev: Block | null;
  /** The registry it is judged under; EPOCHS_ALL_VERSIONS unless the case needs another. */
  epochs: EpochRegistry;
  /** How many violations of `code` the block has (all of them that code). */
  count: number;
}

const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");
const at = (n: number): Block => structuredClone(FIXTURE_CHAIN[n]) as Block;

function scenario(code: ViolationCode, description: string, n: number, block: unknown, extra: Partial<ViolationCase> = {}): ViolationCase {
  return { code, description, block, prev: n > 0 ? FIXTURE_CHAIN[n - 1] : null, epochs: EPOCHS_ALL_VERSIONS, count: 1, ...extra };
}

/** The registry with BLAKE3 instead of SHA3-256 for the v2 epoch (10..14): blocks sealed under it mismatch. */
const WRONG_ALGORITHM: Epoch[] = EPOCHS_ALL_VERSIONS.map((e) =>
  e.start_block === 10 ? makeEpoch(10, "v2-dual-required", BLAKE3_ID, e.activation_timestamp, GOVERNANCE_HASH, 14) : { ...e },
);

/** Every code in violations.ts, in catalogue order. */
export function violationCases(): ViolationCase[] {
  return [
    scenario("MALFORMED_FIELD", "pq_prev_hash is two bytes of hex", 12, { ...at(12), pq_prev_hash: "0x1234" }),
    scenario("UNKNOWN_FIELD", "an extra field `miner`", 3, { ...at(3), miner: "alice" }),
    scenario("NO_EPOCH", "judged under a registry that ends at block 9", 10, at(10), { epochs: EPOCHS_ALL_VERSIONS.slice(0, 2) }),
    scenario("UNKNOWN_RULE_VERSION", "its epoch names rule version v4-lattice", 0, at(0), {
      epochs: [{ ...EPOCHS_ALL_VERSIONS[0], end_block: null, rule_version: "v4-lattice" } as unknown as Epoch],
    }),
    scenario("UNKNOWN_ALGORITHM", "pq_algorithm 0xff", 12, { ...at(12), pq_algorithm: 0xff }),
    scenario(
      "ALGORITHM_MISMATCH",
      "sealed with BLAKE3 in a SHA3-256 epoch",
      12,
      sealBlock({ statements: FIXTURE_CHAIN[12].statements, epochs: WRONG_ALGORITHM, prev: FIXTURE_CHAIN[11], timestamp: FIXTURE_CHAIN[12].timestamp }),
    ),
    scenario("MISSING_LEGACY_FIELD", "merkle_root withheld in v2.5", 17, { ...at(17), merkle_root: null }),
    scenario("UNEXPECTED_LEGACY_FIELD", "a dual commitment in v3-pq-only", 22, { ...at(22), dual_commitment: FIXTURE_CHAIN[12].dual_commitment }),
    scenario("MISSING_PQ_FIELD", "pq_merkle_root withheld in v2", 12, { ...at(12), pq_merkle_root: null }),
    scenario("UNEXPECTED_PQ_FIELD", "a PQ root smuggled into a v1-legacy block", 3, { ...at(3), pq_algorithm: 1, pq_merkle_root: FIXTURE_CHAIN[3].merkle_root }, { count: 2 }),
    scenario("LEGACY_MERKLE_ROOT_MISMATCH", "merkle_root changed", 12, { ...at(12), merkle_root: flip(FIXTURE_CHAIN[12].merkle_root!) }),
    scenario("PQ_MERKLE_ROOT_MISMATCH", "pq_merkle_root changed", 12, { ...at(12), pq_merkle_root: flip(FIXTURE_CHAIN[12].pq_merkle_root!) }),
    scenario("DUAL_COMMITMENT_MISMATCH", "dual_commitment changed", 12, { ...at(12), dual_commitment: flip(FIXTURE_CHAIN[12].dual_commitment!) }),
    scenario("LEGACY_PREV_HASH_MISMATCH", "prev_hash changed", 12, { ...at(12), prev_hash: flip(FIXTURE_CHAIN[12].prev_hash!) }),
    scenario("PQ_PREV_HASH_MISMATCH", "pq_prev_hash changed", 12, { ...at(12), pq_prev_hash: flip(FIXTURE_CHAIN[12].pq_prev_hash!) }),
    scenario("BLOCK_NUMBER_DISCONTINUITY", "block 12 renumbered 13", 12, { ...at(12), block_number: 13 }),
    scenario("TIMESTAMP_REGRESSION", "a timestamp before its predecessor's", 3, { ...at(3), timestamp: FIXTURE_CHAIN[2].timestamp - 1 }),
    scenario("TIMESTAMP_IN_FUTURE", "a timestamp in 2096", 3, { ...at(3), timestamp: FAR_FUTURE }),
  ];
}

