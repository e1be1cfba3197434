/**
 * One consensus benchmark scenario: a block of n statements sealed and validated under a v1-legacy registry and a
 * v2-dual-required (SHA3-256) registry, with one hash suite, plus the bare hashing of the same data.
 *
 * Each registry has one open epoch from block 0, so the measured block (block 1) and its predecessor (the genesis
 * block, with different statements of the same count) lie in the same epoch: the steady state of each rule version,
 * not a boundary. Before anything is timed the scenario checks that both blocks validate with no violation and that
 * the bare hashing reproduces their roots, prev-hashes and dual commitment, so every timed case does the real work.
 */
import { SHA256_ID, SHA3_256_ID, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { encodeBlock, encodeHeader, type Block } from "../../lib/consensus/block";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import { toHex } from "../../lib/encoding/hex";
import type { TimedCase } from "../harness/measure";
import { benchmarkStatements } from "../fixtures/statements";
import { BareBlockHashing } from "./bare-hashing";

/** 2026-01-01T00:00:00Z; any fixed time works, a fixed one keeps the blocks identical from run to run. */
const GENESIS_TIME = 1_767_225_600;
const STATEMENT_SEED = 4711;

export const CASE_KEYS = ["seal_legacy", "seal_dual", "validate_legacy", "validate_v2", "bare_legacy", "bare_dual", "floor_dual"] as const;
export type CaseKey = (typeof CASE_KEYS)[number];

const CASE_LABELS: Record<CaseKey, string> = {
  seal_legacy: "sealBlock, v1-legacy",
  seal_dual: "sealBlock, v2-dual-required SHA3-256",
  validate_legacy: "validateBlock(v1 block, prev)",
  validate_v2: "validateBlock(v2 block, prev)",
  bare_legacy: "bare hashing of a legacy block (SHA-256 tree + prev hash)",
  bare_dual: "bare hashing of a dual block (both trees + both prev hashes + dual commitment)",
  floor_dual: "node:crypto streaming the dual block's byte counts (one SHA-256 and one SHA3-256 buffer): the floor",
};

export interface ConsensusScenario {
  suite: HashSuite;
  statements: string[];
  legacyEpochs: Epoch[];
  dualEpochs: Epoch[];
  legacyPrev: Block;
  dualPrev: Block;
  legacyBlock: Block;
  dualBlock: Block;
  bareDual: BareBlockHashing;
  /** The timed cases, in CASE_KEYS order. */
  cases: Record<CaseKey, TimedCase>;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`consensus scenario: ${what}`);
}

export function buildScenario(suite: HashSuite, statementCount: number): ConsensusScenario {
  const statements = benchmarkStatements(statementCount, STATEMENT_SEED);
  const prevStatements = benchmarkStatements(statementCount, STATEMENT_SEED + 1);
  const legacyEpochs = [makeEpoch(0, "v1-legacy", SHA256_ID, GENESIS_TIME)];
  const dualEpochs = [makeEpoch(0, "v2-dual-required", SHA3_256_ID, GENESIS_TIME)];
  const legacyPrev = sealBlock({ statements: prevStatements, epochs: legacyEpochs, timestamp: GENESIS_TIME, suite });
  const dualPrev = sealBlock({ statements: prevStatements, epochs: dualEpochs, timestamp: GENESIS_TIME, suite });
  const timestamp = GENESIS_TIME + 2;
  const sealLegacy = () => sealBlock({ statements, epochs: legacyEpochs, prev: legacyPrev, timestamp, suite });
  const sealDual = () => sealBlock({ statements, epochs: dualEpochs, prev: dualPrev, timestamp, suite });
  const legacyBlock = sealLegacy();
  const dualBlock = sealDual();
  const validateLegacy = () => validateBlock(legacyBlock, { epochs: legacyEpochs, prev: legacyPrev, suite });
  const validateDual = () => validateBlock(dualBlock, { epochs: dualEpochs, prev: dualPrev, suite });

  for (const [name, result] of [["legacy", validateLegacy()], ["dual", validateDual()]] as const) {
    check(result.verdict === "VALID" && result.violations.length === 0, `the ${name} block does not validate: ${result.violations.map((v) => v.code).join(", ")}`);
  }
  check(dualBlock.pq_algorithm === SHA3_256_ID && dualBlock.dual_commitment !== null, "the dual block has no SHA3-256 chain");

  const sha256 = suite.get(SHA256_ID);
  const sha3 = suite.get(SHA3_256_ID);
  const bareLegacy = new BareBlockHashing(statements, encodeHeader(legacyPrev));
  const bareDual = new BareBlockHashing(statements, encodeHeader(dualPrev));
  const legacyBare = bareLegacy.legacyBlock(sha256);
  check(toHex(legacyBare.root) === legacyBlock.merkle_root && toHex(legacyBare.prevHash) === legacyBlock.prev_hash, "bare hashing disagrees with the legacy block");
  const dualBare = bareDual.dualBlock(sha256, sha3);
  check(
    toHex(dualBare.root) === dualBlock.merkle_root &&
      toHex(dualBare.pqRoot) === dualBlock.pq_merkle_root &&
      toHex(dualBare.prevHash) === dualBlock.prev_hash &&
      toHex(dualBare.pqPrevHash) === dualBlock.pq_prev_hash &&
      toHex(dualBare.commitment) === dualBlock.dual_commitment,
    "bare hashing disagrees with the dual block",
  );

  const runs: Record<CaseKey, () => unknown> = {
    seal_legacy: sealLegacy,
    seal_dual: sealDual,
    validate_legacy: validateLegacy,
    validate_v2: validateDual,
    bare_legacy: () => bareLegacy.legacyBlock(sha256),
    bare_dual: () => bareDual.dualBlock(sha256, sha3),
    floor_dual: () => bareDual.streamingFloor(),
  };
  const cases = {} as Record<CaseKey, TimedCase>;
  for (const key of CASE_KEYS) {
    cases[key] = {
      id: `${suite.implementation}/${statementCount}/${key}`,
      label: CASE_LABELS[key],
      params: { suite: suite.implementation, statements: statementCount, case: key },
      run: runs[key],
    };
  }
  return { suite, statements, legacyEpochs, dualEpochs, legacyPrev, dualPrev, legacyBlock, dualBlock, bareDual, cases };
}

/** Storage figures of a scenario's two blocks (suite-independent: sizes do not depend on who hashed). */
export interface StorageFigures {
  statementCount: number;
  meanStatementChars: number;
  meanStatementBytes: number;
  legacyBlockBytes: number;
  dualBlockBytes: number;
  legacyHeaderBytes: number;
  dualHeaderBytes: number;
}

export function storageFigures(scenario: ConsensusScenario): StorageFigures {
  const { statements } = scenario;
  const encoder = new TextEncoder();
  const bytes = statements.reduce((sum, s) => sum + encoder.encode(s).length, 0);
  const chars = statements.reduce((sum, s) => sum + s.length, 0);
  return {
    statementCount: statements.length,
    meanStatementChars: chars / statements.length,
    meanStatementBytes: bytes / statements.length,
    legacyBlockBytes: encodeBlock(scenario.legacyBlock).length,
    dualBlockBytes: encodeBlock(scenario.dualBlock).length,
    legacyHeaderBytes: encodeHeader(scenario.legacyBlock).length,
    dualHeaderBytes: encodeHeader(scenario.dualBlock).length,
  };
}
