/**
 * The shape charts receive. Series are produced already shaped (by lib/ or a service), one point per x value, and
 * are plain serializable data so a server component can pass them to the client chart as props.
 */

/** One point; `y: null` is a gap (no measurement), drawn as a break in the line. */
export interface SeriesPoint {
  x: number;
  y: number | null;
}

export interface ChartSeries {
  /** Stable id, unique within one chart. */
  id: string;
  /** Legend and tooltip label. */
  label: string;
  points: readonly SeriesPoint[];
}

/** Named number formats (functions cannot cross the server→client boundary, so formats are chosen by name). */
export type ValueFormat = "integer" | "decimal" | "percent" | "time" | "date";

/** One row per distinct x, with each series' y under its id: the row layout Recharts draws from. */
export type ChartRow = { x: number } & Record<string, number | null>;

/** Merges series into rows sorted by x; a series without a point at some x gets null there (a gap). */
export function toChartRows(series: readonly ChartSeries[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const s of series) {
    for (const point of s.points) {
      let row = rows.get(point.x);
      if (!row) {
        row = { x: point.x } as ChartRow;
        for (const other of series) row[other.id] = null;
        rows.set(point.x, row);
      }
      row[s.id] = point.y;
    }
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

/** Formats a value; "percent" expects a ratio (0.25 → "25%"), "time" and "date" expect epoch milliseconds (UTC). */
export function formatValue(value: number, format: ValueFormat): string {
  switch (format) {
    case "integer":
      return integerFormat.format(value);
    case "decimal":
      return decimalFormat.format(value);
    case "percent":
      return percentFormat.format(value);
    case "time":
      return new Date(value).toISOString().slice(11, 19);
    case "date":
      return new Date(value).toISOString().slice(0, 10);
  }
}
