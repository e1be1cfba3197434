/**
 * Runs the Prisma CLI (the `prisma` package's build/index.js) in a child process, offline: the engine variables of
 * shared/STACK.md, no telemetry checkpoint, and a preload that removes the schema engine's 10 s exit delay
 * (see prisma-cli-preload.cjs). prisma.config.ts in the project root configures the WASM engine and the adapter.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { projectPath, projectRoot } from "./project-root";

export interface PrismaCliResult {
  code: number;
  /** stdout and stderr interleaved (empty when `inherit` was set). */
  output: string;
}

export interface PrismaCliOptions {
  /** DATABASE_URL for the CLI; the CLI connects even for a diff between files. */
  databaseUrl?: string;
  /** Pass the CLI's output straight to this process's terminal instead of capturing it. */
  inherit?: boolean;
  /** Directory holding the prisma.config.ts to use (default: the project root). */
  cwd?: string;
}

/** Runs `prisma <args>` (from the project root by default) and resolves with its exit code and output. */
export function runPrismaCli(args: string[], options: PrismaCliOptions = {}): Promise<PrismaCliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/dev/null",
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/dev/null",
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const nodeArgs = ["--require", projectPath("server", "db", "prisma-cli-preload.cjs"), prismaEntry(), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
      cwd: options.cwd ?? projectRoot(),
      env,
      stdio: options.inherit ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

function prismaEntry(): string {
  for (let dir = projectRoot(); ; dir = path.dirname(dir)) {
    const entry = path.join(dir, "node_modules", "prisma", "build", "index.js");
    if (existsSync(entry)) return entry;
    if (path.dirname(dir) === dir) throw new Error("The prisma package is not installed: run npm install.");
  }
}
