/**
 * `npm run bench`: runs the selected benchmark stages, prints a readable report per stage, writes each stage's result
 * as JSON and CSV, and judges the stage's metrics against lib/bench/acceptance.ts.
 *
 * Exit codes (as the operator CLI's): 0 every judged target met; 1 a target failed (or a metric a criterion needs was
 * missing); 2 usage error; 3 a stage threw. Progress goes to stderr, the report to stdout.
 * On a shared machine, run it under the heavy-work lock: `flock /tmp/mlpq-heavy.lock npm run bench`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allPassed, evaluateAcceptance, type AcceptanceResult } from "../lib/bench/acceptance";
import { BENCH_RESULT_SCHEMA, metricValues, toAcceptanceRecord, type BenchResultDocument } from "../lib/bench/bench-result";
import { parseBenchArgs, USAGE, UsageError } from "./cli-args";
import { captureEnvironment, loadAverage } from "./harness/environment";
import { renderStageReport } from "./harness/print-report";
import { writeResultFiles } from "./harness/result-files";
import { createResultStore } from "./harness/store-results";
import { importResultFiles } from "./harness/import-results";
import { STAGES } from "./stages";

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
  for (const stage of args.stages) {
    const startedAt = new Date();
    const loadStart = loadAverage();
    const t0 = performance.now();
    let result;
    try {
      result = await stage.run({ quick: args.quick, nodes: args.nodes, blocks: args.blocks, progress: (m) => process.stderr.write(`[bench] ${m}\n`) });
    } catch (error) {
      stageFailed = true;
      process.stderr.write(`bench: stage ${stage.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      continue;
    }
    const acceptance = evaluateAcceptance({ [stage.id]: metricValues(result) });
    verdicts.push(...acceptance);
    const doc: BenchResultDocument = {
      schema: BENCH_RESULT_SCHEMA,
      ...result,
      quick: args.quick,
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      duration_ms: performance.now() - t0,
      argv,
      environment: captureEnvironment(REPO_ROOT, loadStart),
      acceptance: acceptance.map(toAcceptanceRecord),
    };
    const files = writeResultFiles(doc, outDir);
    process.stdout.write(renderStageReport(doc) + "\n");
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), files.json)}, ${path.relative(process.cwd(), files.csv)}, ${path.relative(process.cwd(), files.html)} (and latest-${stage.id}.json/.csv)\n`);
    const stored = await store.store(doc);
    process.stdout.write(stored === null ? "\n" : `stored as benchmark run ${stored} (/benchmarks/${stored})\n\n`);
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
