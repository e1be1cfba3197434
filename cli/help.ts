/**
 * Help, derived from the command definitions: `mathledger-cli --help`, `mathledger-cli help [COMMAND]` and
 * `mathledger-cli COMMAND --help`, as text or (with --json) as a JSON document.
 */
import { COMMON_FLAGS, type FlagSpec } from "./args/flag-specs";
import type { AnyCommand } from "./command";
import { EXIT } from "./exit-codes";
import { PROGRAM } from "./output";

const EXIT_CODES_TEXT = `Exit codes: ${EXIT.OK} ok/valid, ${EXIT.INVALID} invalid, ${EXIT.USAGE} usage or input error, ${EXIT.INTERNAL} internal error.`;

function flagSynopsis(name: string, spec: FlagSpec): string {
  const form = spec.kind === "boolean" ? `--${name}` : `--${name} ${spec.value}`;
  if (spec.repeatable) return `[${form}]...`;
  return spec.required ? form : `[${form}]`;
}

/** The one-line usage of a command. */
export function usageLine(command: AnyCommand): string {
  const flags = command.synopsis ?? Object.entries(command.flags as Record<string, FlagSpec>).map(([n, s]) => flagSynopsis(n, s)).join(" ");
  return [PROGRAM, command.name, flags, "[--json]"].filter(Boolean).join(" ");
}

function wrap(text: string, width = 100, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && (indent + line + " " + word).length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

/** The text help of one command. */
export function commandHelpText(command: AnyCommand): string {
  const all: Record<string, FlagSpec> = { ...(command.flags as Record<string, FlagSpec>), ...COMMON_FLAGS };
  const left = Object.entries(all).map(([n, s]) => (s.kind === "boolean" ? `--${n}` : `--${n} ${s.value}`) + (n === "help" ? ", -h" : ""));
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const flagLines = Object.entries(all).map(([, s], i) => {
    const notes = [s.required ? "required" : "", s.repeatable ? "repeatable" : ""].filter(Boolean).join(", ");
    return `  ${left[i].padEnd(width)}${notes ? `(${notes}) ` : ""}${s.description}`;
  });
  return [
    `${PROGRAM} ${command.name}: ${command.summary}`,
    "",
    `Usage: ${usageLine(command)}`,
    "",
    wrap(command.description),
    "",
    "Flags:",
    ...flagLines,
    "",
    wrap(EXIT_CODES_TEXT),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/** The --json help of one command. */
export function commandHelpJson(command: AnyCommand): unknown {
  const all: Record<string, FlagSpec> = { ...(command.flags as Record<string, FlagSpec>), ...COMMON_FLAGS };
  return {
    command: command.name,
    summary: command.summary,
    usage: usageLine(command),
    description: command.description,
    flags: Object.entries(all).map(([name, s]) => ({
      name: `--${name}`,
      value: s.kind === "boolean" ? null : s.value,
      kind: s.kind,
      required: s.required === true,
      repeatable: s.repeatable === true,
      description: s.description,
    })),
    exit_codes: { ok: EXIT.OK, invalid: EXIT.INVALID, usage: EXIT.USAGE, internal: EXIT.INTERNAL },
    examples: command.examples,
  };
}

/** The text of `mathledger-cli --help`. */
export function programHelpText(commands: readonly AnyCommand[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `${PROGRAM} ${version}: the MathLedger PQ operator CLI`,
    "",
    `Usage: ${PROGRAM} COMMAND [FLAGS] [--json]`,
    `       ${PROGRAM} COMMAND --help`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Every command takes --json (one JSON document on stdout, errors included) and --help.",
    wrap(EXIT_CODES_TEXT),
    "Reference: docs/cli.md",
  ].join("\n");
}

/** The --json form of `mathledger-cli --help`. */
export function programHelpJson(commands: readonly AnyCommand[], version: string): unknown {
  return {
    program: PROGRAM,
    version,
    commands: commands.map((c) => ({ command: c.name, summary: c.summary, usage: usageLine(c) })),
    exit_codes: { ok: EXIT.OK, invalid: EXIT.INVALID, usage: EXIT.USAGE, internal: EXIT.INTERNAL },
  };
}
