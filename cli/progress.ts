/**
 * Progress of long commands (verify-chain, import) on stderr, in the form the stream can show:
 *
 *   bar    stderr is a terminal: one line redrawn in place (at most 10 times a second, from half a second in)
 *          and erased at the end, so the terminal is left holding only the result;
 *   lines  not a terminal (a log file, CI): a plain line every few seconds, which a log keeps readably;
 *   none   nothing (with --json, or for work too short to need it).
 *
 * Progress never goes to stdout, which holds only the result.
 */
import type { DiagnosticStream } from "./command";

export type ProgressMode = "bar" | "lines" | "none";

export interface Progress {
  /** Reports `done` of `total` units; cheap to call often (output is throttled). */
  update(done: number, total: number): void;
  /** Ends the progress display (erases the bar). Idempotent. */
  finish(): void;
}

export interface ProgressOptions {
  /** What is progressing ("verify-chain", "import"). */
  label: string;
  /** The unit counted ("blocks", "lines"). */
  unit: string;
  /** Milliseconds between plain lines (default 5000). */
  lineIntervalMs?: number;
  /** Clock in milliseconds (tests). */
  nowMs?: () => number;
}

const BAR_REDRAW_MS = 100;
const BAR_DELAY_MS = 500;
const BAR_WIDTH = 24;

/** Picks the form: nothing with --json or for short work, a bar on a terminal, else plain lines if wanted. */
export function progressMode(stderr: DiagnosticStream, options: { json: boolean; long: boolean; linesWhenNotTTY: boolean }): ProgressMode {
  if (options.json || !options.long) return "none";
  if (stderr.isTTY) return "bar";
  return options.linesWhenNotTTY ? "lines" : "none";
}

export function createProgress(stderr: DiagnosticStream, mode: ProgressMode, options: ProgressOptions): Progress {
  const now = options.nowMs ?? (() => performance.now());
  const started = now();
  // Nothing is shown for the first interval (half a second for a bar), so work that ends quickly stays silent.
  const interval = mode === "bar" ? BAR_REDRAW_MS : (options.lineIntervalMs ?? 5000);
  let lastDrawn = mode === "bar" ? started + BAR_DELAY_MS - BAR_REDRAW_MS : started;
  let drawn = false;
  let finished = false;
  return {
    update(done, total) {
      if (mode === "none" || finished) return;
      const t = now();
      if (t - lastDrawn < interval) return;
      lastDrawn = t;
      const text = describe(done, total, (t - started) / 1000, options.unit);
      if (mode === "bar") {
        stderr.write(`\r\x1b[2K${options.label} ${bar(done, total)} ${text}`);
        drawn = true;
      } else stderr.write(`${options.label}: ${text}\n`);
    },
    finish() {
      if (finished) return;
      finished = true;
      if (mode === "bar" && drawn) stderr.write("\r\x1b[2K");
    },
  };
}

/** "42% 4200/10000 blocks, 1234 blocks/s, about 5 s left". */
function describe(done: number, total: number, elapsedSeconds: number, unit: string): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const parts = [`${Math.floor(fractionOf(done, total) * 100)}% ${done}/${total} ${unit}`];
  if (rate > 0) parts.push(`${Math.round(rate)} ${unit}/s`);
  if (rate > 0 && done < total) parts.push(`about ${formatSeconds(Math.ceil((total - done) / rate))} left`);
  return parts.join(", ");
}

function bar(done: number, total: number): string {
  const filled = Math.round(fractionOf(done, total) * BAR_WIDTH);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
}

function fractionOf(done: number, total: number): number {
  return total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
