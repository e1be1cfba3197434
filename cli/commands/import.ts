/**
 * `mathledger-cli import --file FILE`: imports an NDJSON file of blocks (one JSON block per line) into the node's
 * database through the worker's own import job (server/ingest/import-file.ts):
 *
 *   1. the whole file is checked first; any bad line (not JSON, wrong types, unknown algorithm, no predecessor) is an
 *      input error, exit 2, naming the line numbers, with nothing written;
 *   2. the job for this file's content is resumed if one is unfinished (an earlier run was killed), else started;
 *   3. blocks are ingested in batches, each committed with the job's cursor, with progress on stderr;
 *   4. a summary: stored, duplicates, valid, invalid, reorgs, and the line a resumed job continued from.
 *
 * A killed import loses nothing and duplicates nothing: run the same command again (or let the worker, which resumes
 * orphaned jobs, finish it). If another process is working on the job, this command follows it until it is done.
 */
import path from "node:path";
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { adoptImportedRegistry, loadEpochRegistry } from "../../server/chain/epoch-registry";
import type { ImportJobRow, ImportTotals, RunImportOptions } from "../../server/ingest/import-file";
import { usageError } from "../args/parse-args";
import { defineCommand } from "../command";
import { duration, plural, table } from "../chain-text";
import { withChainDatabase } from "../database";
import { statInputFile } from "../inputs/read-file";
import { createProgress, progressMode } from "../progress";

const NAME = "import";
const DEFAULT_BATCH_SIZE = 500;
/** How often to look at a job another process is running. */
const FOLLOW_INTERVAL_MS = 1000;

export interface ImportSummary {
  job_id: number;
  file: string;
  file_sha256: string;
  /** Lines in the file, and lines that hold a block (blank lines are skipped). */
  lines: number;
  blocks: number;
  /** Whether an unfinished job for this file was continued, and from which line (the last line it had committed). */
  resumed: boolean;
  resumed_from_line: number | null;
  /** "this process", or "another process" when this run found the job held and followed it to the end. */
  run_by: "this process" | "another process";
  /** What this run stored; null when another process ran the job (its counts are that process's). */
  totals: ImportTotals | null;
  status: string;
  /**
   * Which registry judged the blocks: "adopted" (the file's export header, written into a node that had no blocks),
   * "same" (the file's, already the node's), "node" (the file has none; the node's own).
   */
  registry: "adopted" | "same" | "node";
  elapsed_seconds: number;
}

export function importSummaryText(s: ImportSummary): string {
  const rate = s.totals && s.elapsed_seconds > 0 ? ` (${Math.round((s.totals.stored + s.totals.duplicates) / s.elapsed_seconds)} blocks/s)` : "";
  const resumed = s.resumed ? `yes, from line ${s.resumed_from_line} (an earlier run had committed lines 1-${s.resumed_from_line})` : "no, a new job";
  const rows: Array<[string, string]> = [];
  if (s.totals) {
    rows.push(
      ["stored", String(s.totals.stored)],
      ["duplicates", `${s.totals.duplicates} (already stored, skipped)`],
      ["valid", String(s.totals.valid)],
      ["invalid", `${s.totals.invalid} (stored with their violations)`],
      ["reorgs", String(s.totals.reorgs)],
    );
  } else rows.push(["run by", "another process (the worker or an earlier run), which finished the job; its counts are in its log"]);
  rows.push(["resumed", resumed]);
  rows.push(["registry", s.registry === "adopted" ? "the file's (export header), written into this node" : s.registry === "same" ? "the file's, the same as this node's" : "this node's (the file has none)"]);
  const scope = s.resumed && s.totals ? "\nThe counts cover this run, the lines after the resume point." : "";
  return [`Imported ${path.basename(s.file)} (job ${s.job_id}): ${plural(s.blocks, "block")} in ${plural(s.lines, "line")}, ${duration(s.elapsed_seconds)}${rate}`, ...table(rows)].join("\n") + scope;
}

export const importCommand = defineCommand({
  name: NAME,
  summary: "import an NDJSON file of blocks into the node's database, resumably",
  description:
    "Imports FILE, one JSON block per line (blank lines are skipped), into the node's database: each block is " +
    "validated against the epoch registry (the file's own when it was written by `export`: its header line " +
    "carries the registry, which a fresh node adopts and a node holding blocks must already have; otherwise the " +
    "stored one), " +
    "stored with its verdict and violations; a block already stored " +
    "is skipped; a competing branch goes through fork choice. The whole file is checked first: any line that is not " +
    "JSON, not a block (wrong types, malformed hex, unknown algorithm) or has no predecessor is reported with its " +
    "line number, exit 2, and nothing is written. Blocks are committed in batches together with the job's cursor, " +
    "so a killed import loses nothing: run the same command again to resume (the worker also resumes orphaned " +
    "jobs). Progress goes to stderr: a bar on a terminal, a line every 5 s otherwise, nothing with --json. Then a " +
    "summary: stored, duplicates, valid, invalid, reorgs, and where a resumed job continued. Exit 0 (invalid blocks " +
    "are stored, not refused); exit 2 for a bad file, an empty registry, or an unreachable database.",
  flags: {
    file: { kind: "string", value: "FILE", required: true, description: "the NDJSON file (one JSON block per line)" },
    "batch-size": { kind: "integer", value: "N", description: `blocks per transaction (default ${DEFAULT_BATCH_SIZE}; 1-10000)` },
  },
  examples: ["mathledger-cli import --file blocks.ndjson", "mathledger-cli import --file blocks.ndjson --json"],
  async run(flags, context) {
    (await import("../../server/ingest/heap-tuning")).tuneHeapForBulkIngest();
    const batchSize = flags["batch-size"] ?? DEFAULT_BATCH_SIZE;
    if (batchSize < 1 || batchSize > 10_000) throw usageError(NAME, `--batch-size must be 1-10000, got ${batchSize}`);
    // The file first: a missing file or a directory is reported before the database is even opened.
    const file = await statInputFile({ path: flags.file, label: "import file" }, context.cwd);
    return withChainDatabase(context, async ({ pool }) => {
      // The ingest pipeline is loaded on use, so the other commands do not pay for it at start-up.
      const { checkImportFile, startOrResumeImport } = await import("../../server/ingest/import-file");
      const mode = progressMode(context.stderr, { json: context.json, long: true, linesWhenNotTTY: true });
      const checking = createProgress(context.stderr, mode, { label: `${NAME} (checking the file)`, unit: "MiB" });
      const mib = (bytes: number) => Math.round(bytes / (1024 * 1024));
      let check;
      try {
        check = await checkImportFile(pool, file.path, (bytes, total) => checking.update(mib(bytes), mib(total)));
      } finally {
        checking.finish();
      }
      // A file written by `mathledger-cli export` carries its registry: a fresh node takes it (before any default),
      // a node holding blocks must already have the same one. Without one, the node's own registry judges the blocks.
      let registry: ImportSummary["registry"] = "node";
      if (check.registry) registry = await adoptImportedRegistry(pool, check.registry);
      else if ((await loadEpochRegistry(pool)).length === 0) {
        throw new AppError("NO_EPOCH_REGISTRY", "the database has no epoch registry yet and the file carries none (only files written by `mathledger-cli export` do), so blocks cannot be validated (every start seeds the default one into an empty registry: run any command again)");
      }
      const started = performance.now();
      const { job, resumed } = await startOrResumeImport(pool, check);
      const progress = createProgress(context.stderr, mode, { label: NAME, unit: "lines" });
      let outcome: { totals: ImportTotals | null; row: ImportJobRow };
      try {
        outcome = await runOrFollow(pool, job, {
          suite: await context.hashSuite(),
          batchSize,
          now: context.now,
          onProgress: (p) => progress.update(p.linesDone, p.totalLines),
          // A PostgreSQL restart pauses the import instead of failing it: the batch in flight rolled back whole (or
          // committed with its cursor), and the run resumes from the committed cursor once the database answers.
          onOutage: (event) =>
            context.stderr.write(
              event.state === "lost"
                ? `\n${NAME}: the database is unreachable (${event.reason}); waiting for it to come back (nothing is lost)\n`
                : `${NAME}: the database is back after ${(event.downMs / 1000).toFixed(1)} s; resuming from the last committed batch\n`,
            ),
        });
      } finally {
        progress.finish();
      }
      if (outcome.row.status === "failed") {
        throw new AppError("IMPORT_FAILED", `import job ${job.id} failed: ${outcome.row.error ?? "no reason recorded"}`);
      }
      const summary: ImportSummary = {
        job_id: job.id,
        file: check.path,
        file_sha256: check.fileSha256,
        lines: check.lines,
        blocks: check.blocks,
        resumed,
        resumed_from_line: resumed ? job.processed_lines : null,
        run_by: outcome.totals ? "this process" : "another process",
        totals: outcome.totals,
        status: outcome.row.status,
        registry,
        elapsed_seconds: Math.round((performance.now() - started) / 10) / 100,
      };
      return { outcome: "ok", json: summary, text: importSummaryText(summary) };
    });
  },
});

/**
 * Runs the job to the end, or, while another process holds it (the worker resumed it, or an earlier run is still
 * alive), follows it: looks every second until it is finished or its holder is gone, then takes it over.
 */
async function runOrFollow(
  pool: pg.Pool,
  job: ImportJobRow,
  options: RunImportOptions & { onProgress: NonNullable<RunImportOptions["onProgress"]> },
): Promise<{ totals: ImportTotals | null; row: ImportJobRow }> {
  const { runImportJob } = await import("../../server/ingest/import-file");
  const readRow = async () => (await pool.query<ImportJobRow>("SELECT * FROM import_jobs WHERE id = $1", [job.id])).rows[0];
  let followed = false;
  let worked = false;
  const onProgress: typeof options.onProgress = (p) => {
    worked = true;
    options.onProgress(p);
  };
  for (;;) {
    const totals = await runImportJob(pool, job.id, { ...options, onProgress });
    if (totals) {
      const row = await readRow();
      // A job the other process finished just before this one got the lock comes back with nothing done here.
      return { totals: followed && !worked ? null : totals, row };
    }
    followed = true;
    const row = await readRow();
    if (row.status !== "running") return { totals: null, row };
    options.onProgress({ linesDone: row.processed_lines, totalLines: row.total_lines ?? 0, totals: { stored: 0, duplicates: 0, valid: 0, invalid: 0, reorgs: 0 } });
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
  }
}
