/**
 * Display formats for chain values, shared by server and client components. Everything is deterministic (UTC, fixed
 * locale), so a server-rendered page and its hydrated client render the same text.
 */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatInteger(value: number): string {
  return integer.format(value);
}

/** 12.34 → "12.3". */
export function formatDecimal(value: number): string {
  return oneDecimal.format(value);
}

/** "0x1234abcd…90ef" for a long hex string; short values unchanged; null → "—". */
export function shortHash(hex: string | null, keep = 6): string {
  if (hex === null) return "—";
  if (hex.length <= 2 + keep * 2 + 1) return hex;
  return `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** Unix seconds → "2025-06-01 12:34:56 UTC". */
export function formatUnixSeconds(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Unix milliseconds → "12:34:56.789 UTC" (the time of day; for things that happened in the last hours). */
export function formatClockMs(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 23)} UTC`;
}

/** Unix milliseconds → "2025-06-01 12:34:56 UTC". */
export function formatDateTimeMs(ms: number): string {
  return formatUnixSeconds(Math.floor(ms / 1000));
}

/** A duration in seconds, roughly: "0.4 s", "42 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 10) return `${oneDecimal.format(seconds)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ""}`;
}

/** "1 block", "12 blocks". */
export function pluralBlocks(n: number): string {
  return `${formatInteger(n)} ${n === 1 ? "block" : "blocks"}`;
}
