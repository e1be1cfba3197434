#!/usr/bin/env node
// mathledger-cli: the MathLedger PQ operator CLI (docs/cli.md).
//
// Runs the bundle that scripts/cli/build-cli.mjs makes in dist/cli/ (at npm install and npm start) when it is newer
// than every source file: it starts in about Node's own start-up time. Otherwise (a checkout edited since, or never
// built) it registers tsx and runs the TypeScript in cli/ directly, so the code that runs is always the code on disk.
// Paths are resolved from this file, never from the working directory.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const SOURCE_DIRS = ["cli", "lib", "server"];
const SOURCE_FILES = ["package.json", "tsconfig.json"];

/** Newest modification time of the TypeScript under `dir` (generated code and tests excluded). */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (entry.name !== "generated" && entry.name !== "node_modules") newest = Math.max(newest, newestSource(`${dir}/${entry.name}`));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, statSync(`${dir}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

function bundleIsFresh() {
  const rootPath = fileURLToPath(root);
  let built;
  try {
    built = statSync(`${rootPath}dist/cli/main.js`).mtimeMs;
  } catch {
    return false;
  }
  if (process.env.MATHLEDGER_CLI_FROM_SOURCE === "1") return false;
  const newest = Math.max(
    ...SOURCE_DIRS.map((d) => newestSource(`${rootPath}${d}`)),
    ...SOURCE_FILES.map((f) => {
      try {
        return statSync(`${rootPath}${f}`).mtimeMs;
      } catch {
        return 0;
      }
    }),
  );
  return built >= newest;
}

try {
  let main;
  if (bundleIsFresh()) {
    ({ main } = await import(new URL("dist/cli/main.js", root).href));
  } else {
    const { register } = await import("tsx/esm/api");
    register({ tsconfig: fileURLToPath(new URL("tsconfig.json", root)) });
    ({ main } = await import(new URL("cli/main.ts", root).href));
  }
  await main(process.argv.slice(2));
} catch (error) {
  // Only start-up failures land here (tsx missing, a syntax error); main() reports everything else and exits.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mathledger-cli: cannot start: ${message.replace(/\s+/g, " ").slice(0, 400)}\n`);
  if (process.env.MATHLEDGER_CLI_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(3);
}
