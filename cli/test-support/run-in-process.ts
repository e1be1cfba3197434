/**
 * Test support: runs a command line through runCli in this process (no spawn), capturing what it prints.
 */
import type { AnyCommand } from "../command";
import { runCli } from "../run-cli";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  stderrLines: string[];
}

export async function runInProcess(
  argv: readonly string[],
  options: { cwd?: string; now?: number; commands?: readonly AnyCommand[]; env?: Record<string, string> } = {},
): Promise<InProcessResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    writeStdout: (text) => void (stdout += text),
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    now: () => options.now ?? 1_750_000_000,
    version: "0.0.0-test",
    commands: options.commands,
  });
  return { code, stdout, stderr, stderrLines: stderr === "" ? [] : stderr.replace(/\n$/, "").split("\n") };
}
