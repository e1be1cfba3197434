/**
 * Vitest global setup: makes the production web build (.next and the verification thread's bundle) once, before any
 * test file runs, when it is stale.
 *
 * Why: several suites start the built server (the network stage's quick testnet, `--week all --quick`, the operator
 * guides' devnet), each building it when stale. Run in parallel by vitest's file pool on a fresh clone, two of them
 * could start `next build` in the same .next at once, and a suite with a spawn timeout (the weeks test) spent most of
 * it building. Building here first leaves them all a fresh build; Playwright, which `npm test` runs next, reuses it.
 */
import { buildWebApp, webBuildIsStale } from "../web/web-build";

/** Test files that start the built server (directly or through a child process). */
const NEEDS_BUILD = /(^|\/)(bench|docs)(\/|$)|network|weeks|operator-guides/;

/**
 * Whether this vitest run may include such a file: a run with no file filters runs them all; a developer's run of a
 * few files (`npx vitest run lib/merkle`) names none of them and is not made to wait for a build.
 */
function runMayStartTheServer(argv: readonly string[]): boolean {
  const filters = argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && a !== "watch" && a !== "related");
  return filters.length === 0 || filters.some((f) => NEEDS_BUILD.test(f));
}

export default async function buildWebOnce(): Promise<void> {
  if (!runMayStartTheServer(process.argv) || !webBuildIsStale()) return;
  const started = Date.now();
  process.stderr.write("[vitest] the web build is stale: building it once for every suite that starts the server\n");
  await buildWebApp(process.env, "stderr");
  process.stderr.write(`[vitest] web build ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
