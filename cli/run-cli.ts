/**
 * The runner: from argument tokens to printed output and an exit code, the same way for every command.
 *
 *   1. split the command line into command words and flag tokens, find the command (registry.ts);
 *   2. parse its flags (args/parse-args.ts); --help prints help, --json selects the JSON output;
 *   3. run it with a CommandContext, then run any cleanup it deferred;
 *   4. print the result, or the error (output.ts), and return the exit code (exit-codes.ts).
 *
 * It takes its process-facing pieces (streams, cwd, env, clock) as arguments, so tests and other entry points can run
 * it in-process; cli/main.ts wires it to the real process.
 */
import type { HashSuite } from "../lib/crypto/hash-algorithms";
import { AppError } from "../lib/errors";
import { describeValue } from "../lib/encoding/hex";
import { parseArgs } from "./args/parse-args";
import type { AnyCommand, CommandContext, DiagnosticStream } from "./command";
import { EXIT, reportError, type ExitCode } from "./exit-codes";
import { commandHelpJson, commandHelpText, programHelpJson, programHelpText } from "./help";
import { formatErrorLine, formatJson, formatJsonError, formatText, PROGRAM } from "./output";
import { COMMANDS, findCommand } from "./registry";

export interface CliEnvironment {
  writeStdout(text: string): void;
  stderr: DiagnosticStream;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whole Unix seconds. */
  now(): number;
  version: string;
  commands?: readonly AnyCommand[];
  /** Overrides the hash suite (tests); defaults to the hash-wasm suite. */
  loadHashSuite?: () => Promise<HashSuite>;
}

/**
 * The hash-wasm suite, imported on first use: hash-wasm is a 270 kB module, and help, usage errors and file errors
 * should not pay for parsing it.
 */
async function loadDefaultHashSuite(): Promise<HashSuite> {
  const { loadWasmHashSuite } = await import("../lib/crypto/wasm-hash-suite");
  return loadWasmHashSuite();
}

/** Runs one command line (the tokens after the program name) and returns its exit code. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<ExitCode> {
  const commands = environment.commands ?? COMMANDS;
  // Known before parsing, so that even a usage error is reported as JSON when --json was asked for. Exact: a token
  // "--json" is either the switch (before or after the command words) or a usage error ("--hex --json").
  const json = argv.includes("--json");
  const print = (text: string) => environment.writeStdout(text);
  let helpTarget: string | null = null;

  try {
    // Global tokens before the command: --json, --help/-h, --version.
    let i = 0;
    let wantsHelp = false;
    for (; i < argv.length && argv[i].startsWith("-"); i++) {
      const token = argv[i];
      if (token === "--json") continue;
      if (token === "--help" || token === "-h") wantsHelp = true;
      else if (token === "--version") {
        print(json ? formatJson({ program: PROGRAM, version: environment.version }) : formatText(`${PROGRAM} ${environment.version}`));
        return EXIT.OK;
      } else throw new AppError("USAGE", `unknown option ${describeValue(token)} before the command`);
    }
    let words = argv.slice(i);
    if (words[0] === "help") {
      wantsHelp = true;
      words = words.slice(1);
    }
    if (words.length === 0 || words[0].startsWith("-")) {
      if (!wantsHelp) throw new AppError("USAGE", "no command given");
      print(json ? formatJson(programHelpJson(commands, environment.version)) : formatText(programHelpText(commands, environment.version)));
      return EXIT.OK;
    }

    const firstFlag = words.findIndex((w) => w.startsWith("-"));
    const match = findCommand(firstFlag < 0 ? words : words.slice(0, firstFlag), commands);
    const { command } = match;
    helpTarget = command.name;
    // `help COMMAND` and `--help COMMAND` show help without judging the rest of the line.
    const parsed = wantsHelp ? null : parseArgs(command.name, command.flags, words.slice(match.words));
    if (parsed === null || parsed.help) {
      print(json ? formatJson(commandHelpJson(command)) : formatText(commandHelpText(command)));
      return EXIT.OK;
    }

    const cleanups: Array<() => Promise<void> | void> = [];
    let suite: Promise<HashSuite> | undefined;
    const context: CommandContext = {
      json,
      cwd: environment.cwd,
      env: environment.env,
      now: environment.now,
      hashSuite: () => (suite ??= (environment.loadHashSuite ?? loadDefaultHashSuite)()),
      stderr: environment.stderr,
      defer: (cleanup) => void cleanups.push(cleanup),
    };
    try {
      const result = await command.run(parsed.values, context);
      print(json ? formatJson(result.json) : formatText(result.text));
      return result.outcome === "ok" ? EXIT.OK : EXIT.INVALID;
    } finally {
      // Last registered, first closed; a failing cleanup must not hide the command's own outcome.
      for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch(() => undefined);
    }
  } catch (error) {
    const report = reportError(error);
    let message = report.message;
    if (report.code === "USAGE" || report.code === "UNKNOWN_COMMAND") {
      const target = report.code === "USAGE" && helpTarget ? `${PROGRAM} ${helpTarget} --help` : `${PROGRAM} --help`;
      message += `; see "${target}"`;
    } else if (report.exitCode === EXIT.INTERNAL) {
      message += " (this is a bug; set MATHLEDGER_CLI_DEBUG=1 to print the stack trace)";
      if (environment.env.MATHLEDGER_CLI_DEBUG && error instanceof Error && error.stack) environment.stderr.write(error.stack + "\n");
    }
    environment.stderr.write(formatErrorLine(message));
    if (json) print(formatJsonError(report.code, report.message, report.exitCode));
    return report.exitCode;
  }
}
