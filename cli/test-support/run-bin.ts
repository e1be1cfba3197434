/**
 * Test support: runs the real executable (`node bin/mathledger-cli.mjs ...`) as a child process, the way an operator
 * does, and captures its exit code and output. Never throws on a non-zero exit.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/mathledger-cli.mjs", import.meta.url));

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the final empty one. */
  stderrLines: string[];
}

/** Runs the CLI with `args` in `cwd` (default: this process's). */
export function runBin(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({
          code: error ? (error.code as number) : 0,
          stdout,
          stderr,
          stderrLines: stderr === "" ? [] : stderr.replace(/\n$/, "").split("\n"),
        });
      },
    );
  });
}
