/**
 * The command-line parser: turns a command's argument tokens into typed flag values, strictly.
 *
 * Accepted forms: `--name VALUE`, `--name=VALUE`, and `--switch` for boolean flags; `-h` is `--help`. Anything else is
 * a usage error (AppError "USAGE", exit 2) that names the problem: an unknown flag (with a suggestion when one is
 * close), a flag without its value, a single-valued flag given twice, a value of the wrong form, a stray argument, a
 * required flag left out. A value that starts with "--" must use the `--name=VALUE` form, so that a forgotten value
 * (`--hex --json`) is reported rather than silently swallowing the next flag. An empty value (`--hex ""`) is a value.
 *
 * When --help appears anywhere, help wins over every other problem on the line, so `cmd --bogus --help` shows help.
 */
import { AppError } from "../../lib/errors";
import { describeValue } from "../../lib/encoding/hex";
import { COMMON_FLAGS, type FlagSpec, type FlagSpecs, type FlagValues } from "./flag-specs";

export interface ParsedArgs<F extends FlagSpecs> {
  values: FlagValues<F>;
  json: boolean;
  help: boolean;
}

/** A usage error for `command` (the runner adds the pointer to `<command> --help`). */
export function usageError(command: string | null, message: string): AppError {
  return new AppError("USAGE", message, { command });
}

const DECIMAL = /^[0-9]+$/;

/** Parses a non-negative decimal integer as typed on a command line ("0", "42"); undefined when it is not one. */
export function parseNonNegativeInteger(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses `args` (the tokens after the command words) against `specs` plus the common flags. */
export function parseArgs<F extends FlagSpecs>(command: string, specs: F, args: readonly string[]): ParsedArgs<F> {
  const all: Record<string, FlagSpec> = { ...COMMON_FLAGS, ...specs };
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(all)) values[name] = spec.kind === "boolean" ? false : spec.repeatable ? [] : undefined;
  const given = new Set<string>();
  let firstError: AppError | undefined;
  const problem = (message: string) => {
    firstError ??= usageError(command, message);
  };

  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === "-h") {
      values.help = true;
      continue;
    }
    if (!token.startsWith("--") || token === "--") {
      problem(
        token.startsWith("-") && token !== "-" && token !== "--"
          ? `unknown flag ${describeValue(token)} (flags start with "--")`
          : `unexpected argument ${describeValue(token)}`,
      );
      continue;
    }
    const eq = token.indexOf("=");
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    const spec = Object.hasOwn(all, name) ? all[name] : undefined;
    if (!spec) {
      const near = closest(name, Object.keys(all));
      problem(`unknown flag ${describeValue("--" + name)}${near ? ` (did you mean --${near}?)` : ""}`);
      continue;
    }
    if (spec.kind === "boolean") {
      if (inline !== undefined) problem(`--${name} is a switch and takes no value, got ${describeValue(token)}`);
      else values[name] = true;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith("--")) {
        problem(`--${name} needs a value (--${name} ${spec.value})`);
        continue;
      }
      raw = next;
      i++;
    }
    if (!spec.repeatable && given.has(name)) {
      problem(`--${name} was given more than once (it takes one value)`);
      continue;
    }
    given.add(name);
    let value: string | number = raw;
    if (spec.kind === "integer") {
      const n = parseNonNegativeInteger(raw);
      const max = spec.max ?? Number.MAX_SAFE_INTEGER;
      if (n === undefined && !DECIMAL.test(raw)) {
        problem(`--${name} must be a non-negative integer (0, 1, 2, ...), got ${describeValue(raw)}`);
        continue;
      }
      if (n === undefined || n > max) {
        problem(`--${name} must be at most ${max}, got ${describeValue(raw.length > 24 ? raw.slice(0, 20) + "..." : raw)}`);
        continue;
      }
      value = n;
    }
    if (spec.repeatable) (values[name] as unknown[]).push(value);
    else values[name] = value;
  }

  if (values.help === true) return { values: values as FlagValues<F>, json: values.json === true, help: true };
  if (firstError) throw firstError;
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && !given.has(name)) throw usageError(command, `--${name} ${spec.value} is required`);
  }
  return { values: values as FlagValues<F>, json: values.json === true, help: false };
}

/** The candidate within edit distance 2 of `word` (the nearest one), for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64) return 3;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
