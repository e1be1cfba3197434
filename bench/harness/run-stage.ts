/**
 * Runs one stage as `npm run bench` does, for both `--stage` and `--week`: times it, judges its metrics against
 * lib/bench/acceptance.ts, wraps the result in a document with the run's context, writes its files, prints its
 * report and stores it (when a database is reachable). A stage that throws is reported and yields null.
 */
import path from "node:path";
import { evaluateAcceptance, type AcceptanceResult } from "../../lib/bench/acceptance";
import { BENCH_RESULT_SCHEMA, metricValues, toAcceptanceRecord, type BenchResultDocument } from "../../lib/bench/bench-result";
import { captureEnvironment, loadAverage } from "./environment";
import { renderStageReport } from "./print-report";
import { writeResultFiles } from "./result-files";
import type { BenchStage, StageContext } from "./stage";
import type { ResultStore } from "./store-results";

export interface StageRunOptions {
  quick: boolean;
  argv: readonly string[];
  repoRoot: string;
  outDir: string;
  store: ResultStore;
  /**
   * Further StageContext fields for the stage (a stage's own sizing options, e.g. the testnet's nodes and blocks),
   * merged over `quick` and `progress`; fields a stage does not know are ignored by it.
   */
  context?: Readonly<Record<string, unknown>>;
  /** Where the report goes (stdout) and where progress goes (stderr). */
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface StageRun {
  doc: BenchResultDocument;
  verdicts: AcceptanceResult[];
  /** The bench_runs row id, or null when kept in files only. */
  storedId: string | null;
}

export async function runStage(stage: BenchStage, options: StageRunOptions): Promise<StageRun | null> {
  const startedAt = new Date();
  const loadStart = loadAverage();
  const t0 = performance.now();
  let result;
  try {
    const context: StageContext = { ...options.context, quick: options.quick, progress: (m) => options.err(`[bench] ${m}\n`) };
    result = await stage.run(context);
  } catch (error) {
    options.err(`bench: stage ${stage.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return null;
  }
  const verdicts = evaluateAcceptance({ [stage.id]: metricValues(result) });
  const doc: BenchResultDocument = {
    schema: BENCH_RESULT_SCHEMA,
    ...result,
    quick: options.quick,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    duration_ms: performance.now() - t0,
    argv: [...options.argv],
    environment: captureEnvironment(options.repoRoot, loadStart),
    acceptance: verdicts.map(toAcceptanceRecord),
  };
  const files = writeResultFiles(doc, options.outDir);
  const rel = (file: string) => path.relative(process.cwd(), file);
  options.out(renderStageReport(doc) + "\n");
  options.out(`\nwrote ${rel(files.json)}, ${rel(files.csv)}, ${rel(files.html)} (and latest-${stage.id}.json/.csv)\n`);
  const storedId = await options.store.store(doc);
  options.out(storedId === null ? "\n" : `stored as benchmark run ${storedId} (/benchmarks/${storedId})\n\n`);
  return { doc, verdicts, storedId };
}
