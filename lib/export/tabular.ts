/**
 * Tabular exports (CSV and JSON) with a header line that names the columns, for the block list, a block's violations
 * and validation results. The same writer runs in route handlers (streamed) and in the browser (a download built from
 * results already on the page).
 *
 * CSV: RFC 4180 (comma-separated, CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled),
 * first line the column names. A text cell that starts with = + - @ or a tab/carriage return is prefixed with an
 * apostrophe (OWASP's advice against formula injection): messages and field names can carry text from untrusted
 * blocks, and a spreadsheet must not run it. Numbers are written as numbers and never prefixed.
 *
 * JSON: one document whose first line is `{"columns":[...],` and whose rows are arrays in column order, one per line:
 *   {"columns":["block_number","verdict"],
 *   "rows":[
 *   [12,"VALID"],
 *   [13,"INVALID"]
 *   ]}
 * so it streams, greps and diffs like the CSV while staying one valid JSON value.
 */

export type Cell = string | number | boolean | null;

export type ExportFormat = "csv" | "json";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "json"];

export function isExportFormat(value: unknown): value is ExportFormat {
  return value === "csv" || value === "json";
}

/** Content types of the two formats. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell. */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CSV line, CRLF-terminated. */
export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/**
 * An incremental writer: `start()` gives the header, `row()` each row, `end()` the closing text. Feed the pieces to a
 * stream or join them.
 */
export interface TableWriter {
  start(): string;
  row(cells: readonly Cell[]): string;
  end(): string;
}

export function tableWriter(format: ExportFormat, columns: readonly string[]): TableWriter {
  if (format === "csv") {
    return { start: () => csvLine(columns), row: (cells) => csvLine(cells), end: () => "" };
  }
  let rows = 0;
  return {
    start: () => `{"columns":${JSON.stringify(columns)},\n"rows":[\n`,
    row: (cells) => `${rows++ === 0 ? "" : ",\n"}${JSON.stringify(cells)}`,
    end: () => `${rows > 0 ? "\n" : ""}]}\n`,
  };
}

/** A whole table as text. */
export function formatTable(format: ExportFormat, columns: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const writer = tableWriter(format, columns);
  let out = writer.start();
  for (const r of rows) out += writer.row(r);
  return out + writer.end();
}

/** A file name for a download: `<stem>-<UTC timestamp>.<ext>`, safe on every file system. */
export function exportFileName(stem: string, format: ExportFormat, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[:-]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stem.replace(/[^A-Za-z0-9_.-]/g, "_")}-${stamp}.${format}`;
}
