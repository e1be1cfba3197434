/**
 * The production build of the web app (.next): whether it is stale, and making it. Shared by `npm start` and the
 * benchmarks that measure the built server.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { projectPath, projectRoot } from "../../server/db/project-root";

const SOURCE_DIRS = ["app", "components", "server", "lib", "public"];
const SOURCE_FILES = ["next.config.mjs", "postcss.config.mjs", "package.json", "tsconfig.json", "proxy.ts", "middleware.ts"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** True when .next holds no production build, or a source file changed after it was made. */
export function webBuildIsStale(): boolean {
  const buildId = projectPath(".next", "BUILD_ID");
  // The signature verification thread is built with the web app (build-verify-worker.mjs).
  if (!existsSync(buildId) || !existsSync(projectPath("dist", "web", "verify-worker.mjs"))) return true;
  const built = statSync(buildId).mtimeMs;
  return [...SOURCE_DIRS, ...SOURCE_FILES].some((p) => newestMtime(projectPath(p)) > built);
}

/**
 * Builds the verification thread's bundle, then runs `next build` (output to this process's terminal, or to its
 * stderr for a caller whose stdout is a report); rejects when either fails.
 */
export async function buildWebApp(env: NodeJS.ProcessEnv = process.env, output: "inherit" | "stderr" = "inherit"): Promise<void> {
  await run("the verification thread's build", process.execPath, [projectPath("scripts", "web", "build-verify-worker.mjs"), "--quiet"], env, output);
  await run("next build", projectPath("node_modules", ".bin", "next"), ["build"], env, output);
}

function run(what: string, command: string, args: string[], env: NodeJS.ProcessEnv, output: "inherit" | "stderr"): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: projectRoot(),
      env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: output === "inherit" ? "inherit" : ["ignore", process.stderr, process.stderr],
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed with exit code ${code}`))));
  });
}
