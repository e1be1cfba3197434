/**
 * Validation on demand: judges a list of blocks the way ingest would, without storing anything, and reports per block
 * what the node would conclude (verdict, every violation, the epoch, both block hashes, the content id) and whether
 * POST /api/v1/blocks would refuse the payload outright (lib/ingest/admission.ts).
 *
 * The blocks are a chain segment in the order given: each is checked against the one before it, the first against
 * `prev` (none: only what the block says about itself, or the genesis rules for block 0). That is validateChain's
 * rule (a malformed block's successor has no hash to link to and its links are not checked), with the validator's
 * clock passed through so TIMESTAMP_IN_FUTURE is judged as ingest judges it.
 *
 * Pure and shared: the server's POST /api/v1/validate and tRPC consensus.validate run it with the hash-wasm suite,
 * and the Validate page runs it again in the browser with noble, then compares the two reports (compareReports).
 */
import type { HashSuite } from "../crypto/hash-algorithms";
import { blockContentId, type Block } from "../consensus/block";
import type { Epoch, EpochRegistry } from "../consensus/epochs";
import { hasWellFormedHeader, parseBlock } from "../consensus/parse-block";
import { blockDigests, validateBlock, type Verdict } from "../consensus/validate-block";
import type { Severity, ViolationCode } from "../consensus/violations";
import { admissionRefusalOfParsed } from "../ingest/admission";

/** A violation as reported to callers (the block number is the report's own). */
export interface ReportedViolation {
  code: ViolationCode;
  severity: Severity;
  field: string | null;
  expected: string | null;
  actual: string | null;
  message: string;
}

export interface BlockReport {
  /** Position in the input, 0-based. */
  index: number;
  /** Null when the block number itself is unreadable. */
  block_number: number | null;
  verdict: Verdict;
  violations: ReportedViolation[];
  /** The epoch the block was judged under; null when none covers it or its number is unreadable. */
  epoch: Epoch | null;
  /** Whether the links to a predecessor were checked. */
  predecessor_checked: boolean;
  /** SHA-256 block hash; null when the header is malformed (no canonical encoding). */
  legacy_hash: string | null;
  /** Block hash under the PQ algorithm of the block (or of its epoch); null when there is none or no encoding. */
  pq_hash: string | null;
  /** The content id the node would store the block under; null when the node would refuse the payload. */
  content_id: string | null;
  /** Why POST /api/v1/blocks would refuse this payload before storing anything; null when it would store it. */
  push_refusal: string | null;
}

export interface ReportOptions {
  epochs: EpochRegistry;
  /** The block before the first one; null: none (a lone check, or genesis). */
  prev: Block | null;
  suite: HashSuite;
  /** The validator's clock (Unix seconds) for the advisory future-timestamp check; omitted: not checked. */
  now?: number;
  /** Index of the first block in a larger input (batches of one file keep the file's numbering). */
  firstIndex?: number;
}

/** Validates `blocks` as a chain segment (see the module comment). Never throws on bad blocks. */
export function validateForReport(blocks: readonly unknown[], options: ReportOptions): BlockReport[] {
  const reports: BlockReport[] = [];
  let prev: Block | null = options.prev;
  const base = options.firstIndex ?? 0;
  blocks.forEach((raw, i) => {
    const validation = validateBlock(raw, { epochs: options.epochs, prev, suite: options.suite, now: options.now });
    const parsed = parseBlock(raw);
    const refusal = admissionRefusalOfParsed(parsed);
    const digests = hasWellFormedHeader(raw) ? blockDigests(validation.block, validation.epoch, options.suite) : null;
    reports.push({
      index: base + i,
      block_number: validation.block_number,
      verdict: validation.verdict,
      violations: validation.violations.map(({ code, severity, field, expected, actual, message }) => ({ code, severity, field, expected, actual, message })),
      epoch: validation.epoch,
      predecessor_checked: validation.predecessor_checked,
      legacy_hash: digests?.legacy_hash ?? null,
      pq_hash: digests?.pq_hash ?? null,
      content_id: refusal === null ? blockContentId(parsed.block, options.suite) : null,
      push_refusal: refusal,
    });
    // As validateChain: the block as received is the next one's predecessor (validateBlock skips links to a
    // predecessor whose header is malformed).
    prev = raw as Block;
  });
  return reports;
}

/** One place where two reports of the same input disagree. */
export interface ReportDifference {
  index: number;
  block_number: number | null;
  /** The report field that differs ("verdict", "violations", "legacy_hash", ...). */
  field: string;
  /** Renderings of the two values (JSON), first report then second. */
  first: string;
  second: string;
}

const COMPARED_FIELDS = ["block_number", "verdict", "predecessor_checked", "legacy_hash", "pq_hash", "content_id", "push_refusal"] as const;

/**
 * Every difference between two reports of the same input (by position): the scalar fields, the epoch (start, rule
 * version, algorithm) and the violations (all six fields, in order). Empty when they agree.
 */
export function compareReports(first: readonly BlockReport[], second: readonly BlockReport[]): ReportDifference[] {
  const out: ReportDifference[] = [];
  const count = Math.max(first.length, second.length);
  for (let i = 0; i < count; i++) {
    const a = first[i];
    const b = second[i];
    if (!a || !b) {
      out.push({ index: (a ?? b)!.index, block_number: (a ?? b)!.block_number, field: "presence", first: a ? "present" : "missing", second: b ? "present" : "missing" });
      continue;
    }
    const differ = (field: string, x: unknown, y: unknown) => {
      const sx = JSON.stringify(x ?? null);
      const sy = JSON.stringify(y ?? null);
      if (sx !== sy) out.push({ index: a.index, block_number: a.block_number, field, first: sx, second: sy });
    };
    for (const f of COMPARED_FIELDS) differ(f, a[f], b[f]);
    const epochKey = (e: Epoch | null) => (e ? { start_block: e.start_block, end_block: e.end_block, rule_version: e.rule_version, algorithm_id: e.algorithm_id } : null);
    differ("epoch", epochKey(a.epoch), epochKey(b.epoch));
    differ("violations", a.violations, b.violations);
  }
  return out;
}

/** Counts of a report list, for summaries. */
export function summarizeReports(reports: readonly BlockReport[]): { checked: number; valid: number; invalid: number; violations: number } {
  let valid = 0;
  let violations = 0;
  for (const r of reports) {
    if (r.verdict === "VALID") valid++;
    violations += r.violations.length;
  }
  return { checked: reports.length, valid, invalid: reports.length - valid, violations };
}
