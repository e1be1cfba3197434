/**
 * Report tables: the readable form of a benchmark result, rendered as aligned text for a terminal and as CSV
 * (RFC 4180) for spreadsheets. Cells are display strings; the numbers behind them live in the result's measurements
 * and metrics, so a dashboard can either show a table as is or chart the raw values.
 */

export interface ReportColumn {
  key: string;
  label: string;
  /** Numbers read best right-aligned; the default is left. */
  align?: "left" | "right";
}

export interface ReportTable {
  /** Stable id ("consensus-blocks"), for the dashboard and CSV consumers. */
  id: string;
  title: string;
  columns: ReportColumn[];
  /** One record per row, keyed by column key; a missing key renders as an empty cell. */
  rows: Record<string, string>[];
  /** Lines printed under the table (units, how a figure is derived). */
  notes?: string[];
}

/** Display width of a string: code points, so "µs" and "≤" count as one column each. */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function pad(text: string, to: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, to - width(text)));
  return align === "right" ? fill + text : text + fill;
}

/** The table as aligned plain text: title, header, rule, rows, notes. Ends without a trailing newline. */
export function renderTextTable(table: ReportTable): string {
  const widths = table.columns.map((c) => Math.max(width(c.label), ...table.rows.map((r) => width(r[c.key] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i], table.columns[i].align ?? "left"))
      .join("  ")
      .trimEnd();
  const out = [
    table.title,
    line(table.columns.map((c) => c.label)),
    line(widths.map((w) => "-".repeat(w))),
    ...table.rows.map((r) => line(table.columns.map((c) => r[c.key] ?? ""))),
  ];
  for (const note of table.notes ?? []) out.push(`  ${note}`);
  return out.join("\n");
}

/** One CSV field: quoted when it holds a comma, quote, CR or LF, with quotes doubled (RFC 4180 §2). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a header row; lines end in CRLF as RFC 4180 specifies. */
export function renderCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}
