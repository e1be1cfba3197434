/**
 * Admission: which incoming blocks a node stores, and which it refuses as bad input.
 *
 * A block that breaks a consensus rule (a wrong root, a broken prev-hash link, a missing PQ field) is evidence: it is
 * stored with its verdict and violations so operators and the drift radar can see it. A payload that is not a block
 * at all (wrong types, malformed hex, an algorithm id nobody knows) is refused before anything is written, with a
 * message that says what is wrong: storing it would only record that somebody sent garbage.
 */
import { describeValue } from "../encoding/hex";
import { isKnownAlgorithmId } from "../crypto/hash-algorithms";
import { parseBlock, type ParsedBlock } from "../consensus/parse-block";
import { MAX_STORED_BLOCK_NUMBER } from "./storage-limits";

/**
 * Returns why `raw` is refused (one line naming every malformed field), or null when it may be stored, valid or not.
 * Refused: not a JSON object, a field of the wrong type or form, or a pq_algorithm that is not a registered id.
 */
export function admissionRefusal(raw: unknown): string | null {
  return admissionRefusalOfParsed(parseBlock(raw));
}

/** admissionRefusal for a payload already read with parseBlock (so a caller that needs the block reads it once). */
export function admissionRefusalOfParsed(parsed: ParsedBlock): string | null {
  const reasons = parsed.problems.filter((p) => p.kind === "malformed").map((p) => p.message);
  // Consensus allows heights up to 2^53 - 1; this node's columns hold up to 2^31 - 1 (storage-limits.ts). A larger one
  // could never be placed and would fail the whole batch at INSERT time (the push fuzz test found it answering 500).
  const n = parsed.block.block_number;
  if (typeof n === "number" && n > MAX_STORED_BLOCK_NUMBER) {
    reasons.push(`block_number ${n} is above ${MAX_STORED_BLOCK_NUMBER}, the largest height this node can store`);
  }
  const alg = parsed.block.pq_algorithm;
  if (alg !== null && !isKnownAlgorithmId(alg)) {
    reasons.push(`pq_algorithm 0x${Number(alg).toString(16).padStart(2, "0")} is not a registered hash algorithm (known: 0x00 SHA-256, 0x01 SHA3-256, 0x02 BLAKE3)`);
  }
  // PostgreSQL text cannot hold U+0000; refuse here rather than fail the whole batch at INSERT time.
  const nul = parsed.block.statements.findIndex((st) => st.includes("\u0000"));
  if (nul >= 0) reasons.push(`statements[${nul}] contains a NUL character (U+0000), which this node cannot store`);
  return reasons.length ? reasons.join("; ") : null;
}

/** Parses one NDJSON line into a value, or returns the reason it is not JSON. Empty lines are skipped (null). */
export function parseNdjsonLine(line: string): { value: unknown } | { error: string } | null {
  const trimmed = line.trim();
  if (trimmed === "") return null;
  try {
    return { value: JSON.parse(trimmed) };
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message.replace(/\s+/g, " ")}): ${describeValue(trimmed)}` };
  }
}
