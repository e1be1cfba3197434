/**
 * Block validation: checks one block against the rules of its own epoch and, when given, against its predecessor.
 *
 * Every violation found is returned, not just the first (docs/spec/consensus.md §7). The order of checks:
 *   1. form: each field's type and encoding (MALFORMED_FIELD, UNKNOWN_FIELD);
 *   2. epoch: the epoch that covers block_number (NO_EPOCH, UNKNOWN_RULE_VERSION);
 *   3. shape: which fields the rule version requires or forbids (MISSING_/UNEXPECTED_ LEGACY/PQ _FIELD);
 *   4. algorithm: pq_algorithm against the registry and the epoch (UNKNOWN_ALGORITHM, ALGORITHM_MISMATCH);
 *   5. commitments: both Merkle roots and the dual commitment recomputed from the statements;
 *   6. links: block number, timestamp and both prev-hashes against the predecessor.
 * A field that is malformed is not reported again as missing, and checks that need it are skipped, so one fault
 * gives one violation wherever the fault can be told apart from its consequences.
 */
import { toHex } from "../encoding/hex";
import { isKnownAlgorithmId, nobleHashSuite, SHA256_ID, type HashAlgorithm, type HashSuite } from "../crypto/hash-algorithms";
import {
  blockHashes,
  dualCommitment,
  encodeLeaves,
  GENESIS_PREV_HASH,
  LEGACY_FIELDS,
  PQ_FIELDS,
  type Block,
  type BlockField,
} from "./block";
import { merkleRootOfLeafInputs } from "./merkle";
import { findEpoch, type Epoch, type EpochRegistry } from "./epochs";
import { isRuleVersion, ruleVersionRules, type RuleVersionRules } from "./rule-versions";
import { hasWellFormedHeader, parseBlock } from "./parse-block";
import { compareViolations, isBlocking, severityOf, type Violation, type ViolationCode } from "./violations";

export type Verdict = "VALID" | "INVALID";

export interface BlockValidation {
  block_number: number | null;
  verdict: Verdict;
  violations: Violation[];
  /** The epoch the block was judged under (null when none covers it or the number is unreadable). */
  epoch: Epoch | null;
  /** Whether the links to a predecessor were checked (false when validating a lone non-genesis block). */
  predecessor_checked: boolean;
  /** The block as read (malformed fields null), for callers that store it. */
  block: Block;
}

export interface ValidateBlockOptions {
  epochs: EpochRegistry;
  /** The block's predecessor on its branch; omit to check only what the block says about itself. */
  prev?: Block | null;
  /** Hash implementations; defaults to noble (the reference). */
  suite?: HashSuite;
  /** The validator's clock in Unix seconds; when given, timestamps too far ahead get an advisory violation. */
  now?: number;
  /** How far ahead of `now` a timestamp may be, in seconds (default 2 hours, as Bitcoin allows). */
  maxFutureDriftSeconds?: number;
}

/** Hashes already computed for a block, reusable by the caller (the ingest worker stores them). */
export interface BlockDigests {
  legacy_hash: string;
  pq_hash: string | null;
}

/**
 * Validates `input` (a Block or untrusted JSON). Never throws on bad input: problems become violations.
 */
export function validateBlock(input: unknown, options: ValidateBlockOptions): BlockValidation {
  const suite = options.suite ?? nobleHashSuite;
  const parsed = parseBlock(input);
  const { block, malformed } = parsed;
  const violations: Violation[] = [];
  const blockNumber = parsed.hasBlockNumber ? block.block_number : null;
  const add = (code: ViolationCode, field: string | null, expected: string | null, actual: string | null, message: string) => {
    violations.push({ code, severity: severityOf(code), block_number: blockNumber, field, expected, actual, message });
  };
  const finish = (epoch: Epoch | null, predecessorChecked: boolean): BlockValidation => {
    violations.sort(compareViolations);
    return {
      block_number: blockNumber,
      verdict: violations.some(isBlocking) ? "INVALID" : "VALID",
      violations,
      epoch,
      predecessor_checked: predecessorChecked,
      block,
    };
  };

  // 1. Form.
  for (const p of parsed.problems) {
    add(p.kind === "malformed" ? "MALFORMED_FIELD" : "UNKNOWN_FIELD", p.field, p.expected, p.actual, p.message);
  }
  if (blockNumber === null) return finish(null, false);

  // 2. Epoch.
  const epoch = findEpoch(options.epochs, blockNumber) ?? null;
  if (!epoch) {
    add("NO_EPOCH", "block_number", "a block number covered by the epoch registry", String(blockNumber), `no epoch in the registry covers block ${blockNumber}`);
    return finish(null, false);
  }
  if (!isRuleVersion(epoch.rule_version)) {
    add("UNKNOWN_RULE_VERSION", null, "a known rule version", String(epoch.rule_version), `the epoch starting at block ${epoch.start_block} names unknown rule version ${JSON.stringify(epoch.rule_version)}`);
    return finish(epoch, false);
  }
  const rules = ruleVersionRules(epoch.rule_version);

  // 3. Shape.
  const present = (f: BlockField) => block[f as keyof Block] !== null && !malformed.has(f);
  const presentOrMalformed = (f: BlockField) => present(f) || malformed.has(f);
  const pqFieldsGiven = [...PQ_FIELDS, "dual_commitment" as const].some(presentOrMalformed);
  const pqInUse = rules.pq === "required" || (rules.pq === "optional" && pqFieldsGiven);
  const legacyInUse = rules.legacy === "required";
  checkShape(block, rules, pqInUse, legacyInUse, presentOrMalformed, add);

  // 4. Algorithm. When pq_algorithm is absent the epoch's algorithm is assumed, so the other PQ fields still get
  // checked; an unknown id leaves nothing to check them with.
  let pqAlg: HashAlgorithm | null = null;
  if (pqInUse) {
    if (present("pq_algorithm")) {
      const id = block.pq_algorithm!;
      if (!isKnownAlgorithmId(id)) {
        add("UNKNOWN_ALGORITHM", "pq_algorithm", hexId(epoch.algorithm_id), hexId(id), `pq_algorithm ${hexId(id)} is not a registered hash algorithm; the epoch requires ${hexId(epoch.algorithm_id)} ${epoch.algorithm_name}`);
      } else {
        pqAlg = suite.get(id);
        if (id !== epoch.algorithm_id) {
          add("ALGORITHM_MISMATCH", "pq_algorithm", hexId(epoch.algorithm_id), hexId(id), `pq_algorithm is ${hexId(id)} ${pqAlg.name} but the epoch starting at block ${epoch.start_block} requires ${hexId(epoch.algorithm_id)} ${epoch.algorithm_name}`);
        }
      }
    } else if (!malformed.has("pq_algorithm")) {
      pqAlg = suite.get(epoch.algorithm_id);
    }
  }

  // 5. Commitments.
  const statementsUsable = !malformed.has("statements");
  const leaves = statementsUsable ? encodeLeaves(block.statements) : null;
  const sha256 = suite.get(SHA256_ID);
  let trueLegacyRoot: string | null = null;
  let truePqRoot: string | null = null;
  if (leaves && legacyInUse && present("merkle_root")) {
    trueLegacyRoot = toHex(merkleRootOfLeafInputs(sha256, leaves));
    if (trueLegacyRoot !== block.merkle_root) {
      add("LEGACY_MERKLE_ROOT_MISMATCH", "merkle_root", trueLegacyRoot, block.merkle_root, `merkle_root is ${block.merkle_root} but the SHA-256 Merkle root of the ${block.statements.length} statements is ${trueLegacyRoot}`);
    }
  }
  if (leaves && pqAlg && present("pq_merkle_root")) {
    truePqRoot = toHex(merkleRootOfLeafInputs(pqAlg, leaves));
    if (truePqRoot !== block.pq_merkle_root) {
      add("PQ_MERKLE_ROOT_MISMATCH", "pq_merkle_root", truePqRoot, block.pq_merkle_root, `pq_merkle_root is ${block.pq_merkle_root} but the ${pqAlg.name} Merkle root of the ${block.statements.length} statements is ${truePqRoot}`);
    }
  }
  if (pqAlg && legacyInUse && pqInUse && present("dual_commitment") && present("merkle_root") && present("pq_merkle_root")) {
    // Checked against the declared roots; when a declared root is itself wrong (reported above), a commitment that
    // binds the roots recomputed from the statements is accepted too, so one bad root is not reported twice.
    const overDeclared = dualCommitment(pqAlg, block.merkle_root!, block.pq_merkle_root!);
    const overTrue =
      trueLegacyRoot !== null && truePqRoot !== null ? dualCommitment(pqAlg, trueLegacyRoot, truePqRoot) : overDeclared;
    if (block.dual_commitment !== overDeclared && block.dual_commitment !== overTrue) {
      add("DUAL_COMMITMENT_MISMATCH", "dual_commitment", overDeclared, block.dual_commitment, `dual_commitment is ${block.dual_commitment} but ${pqAlg.name}(0x03 || 0x00 || merkle_root || ${hexId(pqAlg.id)} || pq_merkle_root) is ${overDeclared}`);
    }
  }

  // 6. Links. A predecessor whose own header is malformed has no hash to link to: its links are not checked (it was
  // reported when it was validated itself).
  const prev = options.prev && hasWellFormedHeader(options.prev) ? options.prev : null;
  const isGenesis = blockNumber === 0;
  let predecessorChecked = false;
  if (isGenesis || prev) {
    predecessorChecked = true;
    if (prev && !isGenesis) {
      if (blockNumber !== prev.block_number + 1) {
        add("BLOCK_NUMBER_DISCONTINUITY", "block_number", String(prev.block_number + 1), String(blockNumber), `block_number is ${blockNumber} but the predecessor is block ${prev.block_number}, so it must be ${prev.block_number + 1}`);
      }
      if (!malformed.has("timestamp") && block.timestamp < prev.timestamp) {
        add("TIMESTAMP_REGRESSION", "timestamp", `>= ${prev.timestamp}`, String(block.timestamp), `timestamp ${block.timestamp} is earlier than the predecessor's ${prev.timestamp}`);
      }
    } else if (prev && isGenesis) {
      add("BLOCK_NUMBER_DISCONTINUITY", "block_number", String(prev.block_number + 1), "0", `block 0 is the genesis block and cannot follow block ${prev.block_number}`);
    }
    // The predecessor's header is encoded once and hashed under both algorithms the links need.
    const [prevLegacyHash, prevPqHash] = isGenesis ? [GENESIS_PREV_HASH, GENESIS_PREV_HASH] : blockHashes(prev!, pqAlg ? [sha256, pqAlg] : [sha256]);
    const expectedLegacyPrev = prevLegacyHash;
    if (legacyInUse && present("prev_hash") && block.prev_hash !== expectedLegacyPrev) {
      add("LEGACY_PREV_HASH_MISMATCH", "prev_hash", expectedLegacyPrev, block.prev_hash, isGenesis
        ? `prev_hash of the genesis block must be ${GENESIS_PREV_HASH}, got ${block.prev_hash}`
        : `prev_hash is ${block.prev_hash} but the SHA-256 hash of block ${prev!.block_number} is ${expectedLegacyPrev}`);
    }
    if (pqAlg && present("pq_prev_hash")) {
      const expectedPqPrev = prevPqHash;
      if (block.pq_prev_hash !== expectedPqPrev) {
        add("PQ_PREV_HASH_MISMATCH", "pq_prev_hash", expectedPqPrev, block.pq_prev_hash, isGenesis
          ? `pq_prev_hash of the genesis block must be ${GENESIS_PREV_HASH}, got ${block.pq_prev_hash}`
          : `pq_prev_hash is ${block.pq_prev_hash} but the ${pqAlg.name} hash of block ${prev!.block_number} is ${expectedPqPrev}`);
      }
    }
  }

  if (options.now !== undefined && !malformed.has("timestamp")) {
    const drift = options.maxFutureDriftSeconds ?? 7200;
    if (block.timestamp > options.now + drift) {
      add("TIMESTAMP_IN_FUTURE", "timestamp", `<= ${options.now + drift}`, String(block.timestamp), `timestamp ${block.timestamp} is ${block.timestamp - options.now} s ahead of the validator's clock (allowed: ${drift} s)`);
    }
  }

  return finish(epoch, predecessorChecked);
}

type AddViolation = (code: ViolationCode, field: string | null, expected: string | null, actual: string | null, message: string) => void;

function checkShape(
  block: Block,
  rules: RuleVersionRules,
  pqInUse: boolean,
  legacyInUse: boolean,
  given: (f: BlockField) => boolean,
  add: AddViolation,
): void {
  const v = rules.version;
  for (const f of LEGACY_FIELDS) {
    if (legacyInUse && !given(f)) add("MISSING_LEGACY_FIELD", f, "a 32-byte hash", "absent", `${f} is required in ${v} but absent`);
    if (!legacyInUse && given(f)) add("UNEXPECTED_LEGACY_FIELD", f, "absent", String(block[f] ?? "malformed value"), `${f} must be absent in ${v} (the legacy chain has ended)`);
  }
  for (const f of PQ_FIELDS) {
    if (pqInUse && !given(f)) {
      const why = rules.pq === "optional" ? `when any PQ field is present in ${v}, all must be` : `${f} is required in ${v}`;
      add("MISSING_PQ_FIELD", f, f === "pq_algorithm" ? "an algorithm id" : "a 32-byte hash", "absent", `${f} is absent: ${why}`);
    }
    if (rules.pq === "forbidden" && given(f)) add("UNEXPECTED_PQ_FIELD", f, "absent", String(block[f] ?? "malformed value"), `${f} must be absent in ${v} (no PQ chain yet)`);
  }
  // The dual commitment binds one root of each chain, so it exists exactly when both chains do.
  const dualGiven = given("dual_commitment");
  if (legacyInUse && pqInUse && !dualGiven) {
    add("MISSING_PQ_FIELD", "dual_commitment", "a 32-byte hash", "absent", `dual_commitment is required when a block carries both chains (${v})`);
  }
  if (dualGiven && rules.pq === "forbidden") {
    add("UNEXPECTED_PQ_FIELD", "dual_commitment", "absent", String(block.dual_commitment ?? "malformed value"), `dual_commitment must be absent in ${v} (no PQ chain yet)`);
  }
  if (dualGiven && !legacyInUse) {
    add("UNEXPECTED_LEGACY_FIELD", "dual_commitment", "absent", String(block.dual_commitment ?? "malformed value"), `dual_commitment must be absent in ${v}: there is no legacy root left to bind`);
  }
}

function hexId(id: number): string {
  return `0x${id.toString(16).padStart(2, "0")}`;
}

/** The block's hashes under SHA-256 and (when it has one in use) its PQ algorithm; for storage and fork choice. */
export function blockDigests(block: Block, epoch: Epoch | null, suite: HashSuite = nobleHashSuite): BlockDigests {
  let pqId: number | null = null;
  if (block.pq_algorithm !== null && isKnownAlgorithmId(block.pq_algorithm)) pqId = block.pq_algorithm;
  else if (epoch && epoch.algorithm_id !== SHA256_ID) pqId = epoch.algorithm_id;
  // The header is encoded once for both hashes.
  const [legacy_hash, pq_hash = null] = blockHashes(block, pqId === null ? [suite.get(SHA256_ID)] : [suite.get(SHA256_ID), suite.get(pqId)]);
  return { legacy_hash, pq_hash };
}

