/**
 * The process entry point of mathledger-cli, loaded by bin/mathledger-cli.mjs: runs the command line, waits for
 * stdout and stderr to drain (a pipe may still hold the output), and exits with the runner's code.
 */
import { readFileSync } from "node:fs";
import { runCli } from "./run-cli";
import { EXIT } from "./exit-codes";
import { formatErrorLine, oneLine } from "./output";

/** The version in the project's package.json: one level up from cli/main.ts, two from the bundle in dist/cli/. */
function packageVersion(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mathledger-pq") return pkg.version ?? "unknown";
    } catch {
      /* not here */
    }
  }
  return "unknown";
}

function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("error", () => resolve());
    stream.write("", () => resolve());
  });
}

/** Runs `argv` (the arguments after the program name) and exits the process. */
export async function main(argv: readonly string[]): Promise<never> {
  // A reader that stops early (`mathledger-cli ... | head`) closes the pipe: stop writing quietly, as Unix tools do,
  // instead of dying on an unhandled EPIPE with a stack trace. The exit code stays the command's.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  let code: number;
  try {
    code = await runCli(argv, {
      writeStdout: (text) => void process.stdout.write(text),
      stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
      cwd: process.cwd(),
      env: process.env,
      now: () => Math.floor(Date.now() / 1000),
      version: packageVersion(),
    });
  } catch (error) {
    // runCli reports its own errors; reaching here means the reporting itself failed.
    process.stderr.write(formatErrorLine(`internal error: ${oneLine(error instanceof Error ? error.message : String(error))}`));
    code = EXIT.INTERNAL;
  }
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
