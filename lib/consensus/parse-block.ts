/**
 * Reads a block from untrusted JSON without throwing: every field that has the wrong type or form is reported, and
 * the rest of the block stays usable so validation can report everything wrong with it at once.
 */
import { describeValue, isCanonicalHex } from "../encoding/hex";
import { BLOCK_FIELDS, HASH_FIELDS, isWellFormedText, type Block, type BlockField } from "./block";

export interface FieldProblem {
  field: string;
  expected: string;
  actual: string;
  message: string;
  kind: "malformed" | "unknown";
}

export interface ParsedBlock {
  /** The block with malformed fields set to null (statements: the well-formed ones are kept in place). */
  block: Block;
  /** Fields that were present but malformed: treated as neither present nor absent by the rule checks. */
  malformed: Set<BlockField>;
  problems: FieldProblem[];
  /** False when block_number itself is unusable, so no epoch can be resolved. */
  hasBlockNumber: boolean;
}

/** Largest integer kept exactly by JSON numbers (2^53 - 1). */
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * An integer field as spec §1 reads it: a JSON number whose parsed double is an integer in 0..max. The decimal text
 * is gone by now (JSON.parse rounded it), which is the rule: 4.0000000000000001 is 4.
 */
function isUint(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max;
}

/** -0 (a valid spelling of 0) stored as 0, so the block read is the same whatever the spelling. */
const plainZero = (n: number): number => n + 0;

/** Parses `input` (already JSON-decoded) into a block, collecting every problem. Never throws. */
export function parseBlock(input: unknown): ParsedBlock {
  const problems: FieldProblem[] = [];
  const malformed = new Set<BlockField>();
  const block: Block = {
    block_number: 0,
    timestamp: 0,
    prev_hash: null,
    merkle_root: null,
    pq_algorithm: null,
    pq_prev_hash: null,
    pq_merkle_root: null,
    dual_commitment: null,
    statements: [],
  };
  const bad = (field: BlockField | string, expected: string, value: unknown) => {
    problems.push({
      field,
      expected,
      actual: describeValue(value),
      message: `${field} must be ${expected}, got ${describeValue(value)}`,
      kind: "malformed",
    });
  };

  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    bad("block", "a JSON object", input);
    for (const f of BLOCK_FIELDS) malformed.add(f);
    return { block, malformed, problems, hasBlockNumber: false };
  }
  const raw = input as Record<string, unknown>;

  for (const key of Object.keys(raw)) {
    if (!(BLOCK_FIELDS as readonly string[]).includes(key)) {
      problems.push({
        field: key,
        expected: "no such field",
        actual: describeValue(raw[key]),
        message: `unknown field ${JSON.stringify(key)} is ignored (it is not covered by any hash)`,
        kind: "unknown",
      });
    }
  }

  let hasBlockNumber = true;
  if (isUint(raw.block_number, MAX_INTEGER)) block.block_number = plainZero(raw.block_number);
  else {
    bad("block_number", "a non-negative integer", raw.block_number);
    malformed.add("block_number");
    hasBlockNumber = false;
  }

  if (isUint(raw.timestamp, MAX_INTEGER)) block.timestamp = plainZero(raw.timestamp);
  else {
    bad("timestamp", "a non-negative integer (Unix seconds)", raw.timestamp);
    malformed.add("timestamp");
  }

  for (const field of HASH_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    if (isCanonicalHex(value, 32)) block[field] = value;
    else {
      bad(field, "a 32-byte hash as 0x-prefixed lowercase hex (66 characters) or null", value);
      malformed.add(field);
    }
  }

  const alg = raw.pq_algorithm;
  if (alg !== undefined && alg !== null) {
    if (isUint(alg, 255)) block.pq_algorithm = plainZero(alg);
    else {
      bad("pq_algorithm", "an algorithm id, an integer 0..255, or null", alg);
      malformed.add("pq_algorithm");
    }
  }

  if (!Array.isArray(raw.statements)) {
    bad("statements", "an array of strings", raw.statements);
    malformed.add("statements");
  } else {
    raw.statements.forEach((s, i) => {
      if (typeof s !== "string") {
        bad(`statements[${i}]`, "a string", s);
        malformed.add("statements");
      } else if (!isWellFormedText(s)) {
        bad(`statements[${i}]`, "well-formed Unicode text (no lone surrogates)", s);
        malformed.add("statements");
      }
    });
    if (!malformed.has("statements")) block.statements = raw.statements as string[];
  }

  return { block, malformed, problems, hasBlockNumber };
}

/**
 * True when a block's header fields are all well-formed (the statements are not looked at), i.e. its block hashes
 * can be computed. Used before linking a block to a predecessor that may itself have been malformed.
 */
export function hasWellFormedHeader(value: unknown): value is Block {
  if (typeof value !== "object" || value === null) return false;
  const b = value as Record<string, unknown>;
  if (!isUint(b.block_number, MAX_INTEGER) || !isUint(b.timestamp, MAX_INTEGER)) return false;
  for (const f of HASH_FIELDS) if (b[f] !== undefined && b[f] !== null && !isCanonicalHex(b[f], 32)) return false;
  return b.pq_algorithm === undefined || b.pq_algorithm === null || isUint(b.pq_algorithm, 255);
}
