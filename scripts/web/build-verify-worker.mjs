#!/usr/bin/env node
/**
 * Builds the web server's signature verification thread (server/governance/verify-pool.ts) into
 * dist/web/verify-worker.mjs: one self-contained esbuild bundle of server/governance/verify-thread.ts (noble
 * included), since the thread runs outside Next's bundle and must not need tsx in production. Run before
 * `next build` by `npm run build` and by `npm start`'s build (scripts/web/web-build.ts), so it always matches the
 * build it serves with. Without it the web server falls back to the source shim (server/governance/verify-worker.mjs).
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ["server/governance/verify-thread.ts"],
  outfile: `${root}dist/web/verify-worker.mjs`,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  tsconfig: `${root}tsconfig.json`,
  logLevel: "warning",
  legalComments: "none",
});
if (!process.argv.includes("--quiet")) console.log("signature verification thread built into dist/web/verify-worker.mjs");
