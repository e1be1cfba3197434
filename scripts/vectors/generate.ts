/**
 * Writes the golden test vectors in test-vectors/ (spec docs/spec/consensus.md §9).
 *
 *   npx tsx scripts/vectors/generate.ts          write the files
 *   npx tsx scripts/vectors/generate.ts --check  fail if a file on disk differs from what would be written
 *
 * Published values (hash.json, merkle-rfc6962.json) are transcribed in published.ts with their sources. Everything
 * else is computed by reference.ts, an independent implementation of the spec that shares no code with lib/. Each
 * generator asserts that lib/ agrees with every value before anything is written, so a run that finishes is itself a
 * cross-check; the vectors then pin the behaviour for lib/consensus/golden-vectors.test.ts and for other
 * implementations.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { hashFile, merklePqFile, rfc6962File } from "./merkle-vectors";
import { blocksFile } from "./block-vectors";
import { epochsFile } from "./epoch-vectors";
import { forkChoiceFile } from "./fork-choice-vectors";
import { governanceFile } from "./governance-vectors";

const OUT = fileURLToPath(new URL("../../test-vectors/", import.meta.url));

const files: Record<string, () => object | Promise<object>> = {
  "hash.json": hashFile,
  "merkle-rfc6962.json": rfc6962File,
  "merkle-pq.json": merklePqFile,
  "blocks.json": blocksFile,
  "epochs.json": epochsFile,
  "fork-choice.json": forkChoiceFile,
  "governance.json": governanceFile,
};

const check = process.argv.includes("--check");
let stale = 0;
for (const [name, build] of Object.entries(files)) {
  const text = JSON.stringify(await build(), null, 2) + "\n";
  const path = join(OUT, name);
  if (check) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      stale++;
      console.error(`${name}: out of date (run npx tsx scripts/vectors/generate.ts)`);
    } else console.log(`${name}: up to date`);
  } else {
    writeFileSync(path, text);
    console.log(`${name}: ${text.length} bytes`);
  }
}
if (stale > 0) process.exit(1);
