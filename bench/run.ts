/**
 * `npm run bench`: runs the selected benchmark stages (or the plan's weeks, `--week`, bench/weeks.ts), prints a readable report per stage, writes each stage's result
 * as JSON and CSV, and judges the stage's metrics against lib/bench/acceptance.ts.
 *
 * Exit codes (as the operator CLI's): 0 every judged target met; 1 a target failed (or a metric a criterion needs was
 * missing); 2 usage error; 3 a stage threw. Progress goes to stderr, the report to stdout.
 * On a shared machine, run it under the heavy-work lock: `flock /tmp/mlpq-heavy.lock npm run bench`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allPassed, type AcceptanceResult } from "../lib/bench/acceptance";
import { parseBenchArgs, USAGE, UsageError } from "./cli-args";
import { runStage } from "./harness/run-stage";
import { createResultStore } from "./harness/store-results";
import { importResultFiles } from "./harness/import-results";
import { STAGES } from "./stages";
import { runWeeks } from "./weeks";

const EXIT = { OK: 0, TARGET_FAILED: 1, USAGE: 2, STAGE_FAILED: 3 } as const;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(argv, STAGES);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message} (see --help)\n`);
    return EXIT.USAGE;
  }
  if (args.help) {
    process.stdout.write(USAGE + "\n");
    return EXIT.OK;
  }
  if (args.list) {
    for (const s of STAGES) process.stdout.write(`${s.id.padEnd(Math.max(...STAGES.map((x) => x.id.length)) + 1)} ${s.runsByDefault ? "default" : "on request"}  ${s.description}\n`);
    return EXIT.OK;
  }

  if (args.importFiles.length > 0) return importResultFiles(args.importFiles);

  const outDir = args.outDir === null ? path.join(REPO_ROOT, "bench", "results") : path.resolve(args.outDir);
  const verdicts: AcceptanceResult[] = [];
  let stageFailed = false;
  // Each stage's result is stored in PostgreSQL as well when a database is reachable; never fatal.
  const store = createResultStore((line) => process.stderr.write(`${line}\n`));
  const runOptions = {
    quick: args.quick,
    argv,
    repoRoot: REPO_ROOT,
    outDir,
    store,
    // The network stage's testnet size (--nodes, --blocks), in --week runs too.
    context: { nodes: args.nodes, blocks: args.blocks },
    out: (t: string) => process.stdout.write(t),
    err: (t: string) => process.stderr.write(t),
  };
  if (args.weeks.length > 0) {
    const code = await runWeeks(args.weeks, STAGES, runOptions);
    await store.close();
    return code;
  }
  for (const stage of args.stages) {
    const run = await runStage(stage, runOptions);
    if (run === null) stageFailed = true;
    else verdicts.push(...run.verdicts);
  }
  await store.close();

  const failed = verdicts.filter((v) => v.status !== "PASS");
  if (verdicts.length > 0) {
    process.stdout.write(
      allPassed(verdicts)
        ? `ACCEPTANCE: PASS (${verdicts.length} of ${verdicts.length} targets met)\n`
        : `ACCEPTANCE: FAIL (${failed.length} of ${verdicts.length} targets missed: ${failed.map((v) => v.criterion.id).join(", ")})\n`,
    );
  }
  if (stageFailed) return EXIT.STAGE_FAILED;
  return failed.length > 0 ? EXIT.TARGET_FAILED : EXIT.OK;
}

process.exitCode = await main(process.argv.slice(2));
