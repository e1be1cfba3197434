/**
 * Validation results as a table (CSV or JSON export): one row per violation, and one row with empty violation
 * columns for a block without any, so every block appears and every violation can be filtered on its own.
 */
import type { Cell } from "../export/tabular";
import type { BlockReport } from "./validation-report";

export const VALIDATION_RESULT_COLUMNS = [
  "index",
  "line",
  "block_number",
  "verdict",
  "rule_version",
  "algorithm",
  "epoch_start",
  "predecessor_checked",
  "legacy_hash",
  "pq_hash",
  "content_id",
  "stored_content_id",
  "stored_link",
  "code",
  "severity",
  "field",
  "expected",
  "actual",
  "message",
] as const;

/** What a stored twin adds to a report (the server's `stored`), when known. */
export interface StoredTwin {
  content_id: string;
  link: string;
}

/** The rows of one block's report; `line` is where the block starts in the input (null when not from a file). */
export function validationResultRows(report: BlockReport & { stored?: StoredTwin | null }, line: number | null = null): Cell[][] {
  const head: Cell[] = [
    report.index,
    line,
    report.block_number,
    report.verdict,
    report.epoch?.rule_version ?? null,
    report.epoch?.algorithm_name ?? null,
    report.epoch?.start_block ?? null,
    report.predecessor_checked,
    report.legacy_hash,
    report.pq_hash,
    report.content_id,
    report.stored?.content_id ?? null,
    report.stored?.link ?? null,
  ];
  if (report.violations.length === 0) return [[...head, null, null, null, null, null, null]];
  return report.violations.map((v) => [...head, v.code, v.severity, v.field, v.expected, v.actual, v.message]);
}
