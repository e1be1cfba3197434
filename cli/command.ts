/**
 * What a CLI command is: a definition (name, help text, flags) and a `run` that turns typed flag values into a result.
 *
 * A command never prints, never exits and never catches errors to report them: it returns a CommandResult or throws
 * an AppError, and the runner (run-cli.ts) does the printing (output.ts) and the exit code (exit-codes.ts). That keeps
 * every command testable as a function and gives every command the same --json, --help and error behaviour.
 *
 * To add a command (for example `node status`): write cli/commands/node-status.ts exporting
 * `defineCommand({ name: "node status", ... })`, add it to COMMANDS in registry.ts, and give any new error code a row
 * in the one error table (lib/error-codes.ts). Multi-word names are matched word by word, so `node status` and `node peers` can coexist.
 */
import type { HashSuite } from "../lib/crypto/hash-algorithms";
import type { FlagSpecs, FlagValues } from "./args/flag-specs";

/** The outcome decides the exit code: "ok" → 0, "invalid" → 1 (a verdict, not an error). */
export type CommandOutcome = "ok" | "invalid";

export interface CommandResult {
  outcome: CommandOutcome;
  /** The document printed with --json (snake_case keys, hashes as 0x-prefixed lowercase hex). */
  json: unknown;
  /** The text printed without --json, for a person; the runner adds the final newline. */
  text: string;
}

/** A place to write diagnostics that are not the result (progress bars, warnings): always stderr. */
export interface DiagnosticStream {
  write(text: string): void;
  /** True when stderr is a terminal, i.e. when a progress bar may redraw itself. */
  readonly isTTY: boolean;
}

/** What a command may use besides its flags. Everything that touches the process comes through here. */
export interface CommandContext {
  /** True when --json was given (some commands shape progress output by it). */
  readonly json: boolean;
  /** The directory relative paths are resolved against (the caller's working directory). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The current time in whole Unix seconds. */
  now(): number;
  /** The fast (hash-wasm) hash suite, loaded on first use. */
  hashSuite(): Promise<HashSuite>;
  readonly stderr: DiagnosticStream;
  /** Registers cleanup (close a database pool, a file) that the runner awaits after the command, even on error. */
  defer(cleanup: () => Promise<void> | void): void;
}

export interface CommandDefinition<F extends FlagSpecs = FlagSpecs> {
  /** The words that invoke the command, space-separated ("hash", "node status"). */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs for `--help`: what the command reads, what it prints, when it exits 1. */
  readonly description: string;
  /**
   * The flags part of the usage line, when the one derived from `flags` cannot say it (flags that exclude each
   * other, such as "(--genesis | --prev-file FILE)").
   */
  readonly synopsis?: string;
  /** The command's own flags; --json and --help are added to every command. */
  readonly flags: F;
  /** Full command lines shown under "Examples" in help. */
  readonly examples: readonly string[];
  run(flags: FlagValues<F>, context: CommandContext): Promise<CommandResult>;
}

/** Identity function that lets TypeScript infer the flag types of `run` from `flags`. */
export function defineCommand<const F extends FlagSpecs>(definition: CommandDefinition<F>): CommandDefinition<F> {
  return definition;
}

/** Any command, with its flag types erased (for the registry). */
export type AnyCommand = CommandDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
