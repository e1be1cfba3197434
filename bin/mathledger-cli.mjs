#!/usr/bin/env node
// mathledger-cli: the MathLedger PQ operator CLI (docs/cli.md).
//
// A plain-JS shim so that `npx mathledger-cli` works after `npm install`: it registers tsx (so the TypeScript in cli/,
// lib/ and server/ runs without a build step) with this package's tsconfig.json, whatever the working directory, and
// hands the command line to cli/main.ts. Paths are resolved from this file, never from the working directory.
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
try {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: fileURLToPath(new URL("tsconfig.json", root)) });
  const { main } = await import(new URL("cli/main.ts", root).href);
  await main(process.argv.slice(2));
} catch (error) {
  // Only start-up failures land here (tsx missing, a syntax error); main() reports everything else and exits.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mathledger-cli: cannot start: ${message.replace(/\s+/g, " ").slice(0, 400)}\n`);
  if (process.env.MATHLEDGER_CLI_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(3);
}
