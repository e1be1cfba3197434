/**
 * Imports blocks into the running test stack's database the way an operator would: `mathledger-cli import --file`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { projectRoot } from "./stack";

function databaseEnv(): NodeJS.ProcessEnv {
  const extra = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "null") as Record<string, string> | null;
  if (!extra) throw new Error("MLPQ_E2E_DATABASE_ENV is not set: run the tests through playwright.config.ts (its global setup starts the stack)");
  const env = { ...process.env, ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

/** Writes `blocks` as NDJSON and imports the file; returns the importer's output. Throws with its output on failure. */
export function importBlocks(blocks: readonly unknown[]): { output: string } {
  const env = databaseEnv();
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-e2e-import-"));
  const file = path.join(dir, "blocks.ndjson");
  writeFileSync(file, blocks.map((b) => JSON.stringify(b)).join("\n") + "\n");
  try {
    const res = spawnSync(process.execPath, ["bin/mathledger-cli.mjs", "import", "--file", file], { cwd: projectRoot(), env, encoding: "utf8", timeout: 120_000 });
    const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
    if (res.status !== 0) throw new Error(`mathledger-cli import failed (exit ${res.status}):\n${output}`);
    return { output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
