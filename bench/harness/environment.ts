/**
 * The run's environment, recorded in every result file: two runs can only be compared when their machines, Node
 * versions and hash-library versions are known, and a high load average explains a slow run on a shared machine.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchEnvironment } from "../../lib/bench/bench-result";

/** The packages whose speed the benchmarks measure. */
const MEASURED_PACKAGES = ["hash-wasm", "@noble/hashes"];

function packageVersion(repoRoot: string, name: string): string | null {
  try {
    const json = JSON.parse(readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version?: unknown };
    return typeof json.version === "string" ? json.version : null;
  } catch {
    return null;
  }
}

function gitCommit(repoRoot: string): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

/** The 1-minute load average (0 where the platform does not report one). */
export function loadAverage(): number {
  return os.loadavg()[0];
}

export function captureEnvironment(repoRoot: string, loadAverageStart: number): BenchEnvironment {
  const cpus = os.cpus();
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu_model: cpus[0]?.model.trim() ?? "unknown",
    cpu_count: cpus.length,
    total_memory_mb: Math.round(os.totalmem() / 2 ** 20),
    load_average_start: loadAverageStart,
    load_average_end: loadAverage(),
    git_commit: gitCommit(repoRoot),
    packages: Object.fromEntries(MEASURED_PACKAGES.map((name) => [name, packageVersion(repoRoot, name)])),
  };
}
