/**
 * How numbers appear in the printed tables: three significant digits (enough to compare, few enough to read),
 * never in exponent form. The JSON and CSV files keep full precision.
 */

/** `value` with `digits` significant digits, at least one decimal below 10 ("0.412", "4.81", "48.1", "481"). */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 6));
}

/** A time given in microseconds, shown in milliseconds. */
export function formatMsFromUs(us: number): string {
  return formatNumber(us / 1000);
}

/** A signed percentage ("+112%", "-3.1%"). */
export function formatPercent(value: number): string {
  const text = formatNumber(Math.abs(value));
  return `${value < 0 ? "-" : "+"}${text}%`;
}

/** A ratio ("2.31×"). */
export function formatRatio(value: number): string {
  return `${formatNumber(value)}×`;
}

/** A byte count as given, with thousands separators ("9,412"). */
export function formatBytes(bytes: number): string {
  return bytes.toLocaleString("en-US");
}

/** An input size as hash benchmarks name it ("32 B", "1 KB", "64 KB"; KB = 1024 bytes). */
export function formatSize(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} B`;
}
