/**
 * Admission: which incoming blocks a node stores, and which it refuses as bad input.
 *
 * A block that breaks a consensus rule (a wrong root, a broken prev-hash link, a missing PQ field) is evidence: it is
 * stored with its verdict and violations so operators and the drift radar can see it. A payload that is not a block
 * at all (wrong types, malformed hex, an algorithm id nobody knows) is refused before anything is written, with a
 * message that says what is wrong: storing it would only record that somebody sent garbage.
 */
import { describeValue } from "../encoding/hex";
import type { Violation } from "../consensus/violations";

/** Violation codes that make a payload inadmissible rather than an invalid block. */
export const INADMISSIBLE_CODES = new Set(["MALFORMED_FIELD", "UNKNOWN_ALGORITHM"]);

export interface AdmissionRefusal {
  /** One line, e.g. `merkle_root must be a 32-byte hash ..., got "0xZZ"`. */
  reason: string;
  violations: Violation[];
}

/** Returns why the block is refused, or null when it may be stored (valid or not). */
export function admissionRefusal(violations: readonly Violation[]): AdmissionRefusal | null {
  const blocking = violations.filter((v) => INADMISSIBLE_CODES.has(v.code));
  if (blocking.length === 0) return null;
  const reason = blocking.map((v) => v.message).join("; ");
  return { reason, violations: blocking };
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
