/**
 * NDJSON import: one block per line, checked whole before anything is written, then ingested in batches that each
 * commit together with the job's cursor (lines and bytes done). A killed import resumes from that cursor: nothing
 * is lost (the cursor only moves with the rows) and nothing is duplicated (ingest skips stored content ids anyway).
 *
 * Only one process runs a given job at a time: the runner holds a session-level advisory lock on the job for as long
 * as it works, and PostgreSQL releases it by itself if the process dies, so the worker (or a re-run of the CLI) can
 * pick the job up again.
 *
 * A PostgreSQL outage does not end the job: the batch in flight rolled back (or committed with its cursor), so the
 * runner waits for the database, takes the job's lock again and resumes from the committed cursor. A stop request
 * (`signal`, e.g. SIGTERM) ends the run between batches: the batch in flight commits, the job stays resumable.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { AppError } from "../../lib/errors";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { admissionRefusal, parseNdjsonLine } from "../../lib/ingest/admission";
import { parseBlock } from "../../lib/consensus/parse-block";
import { ingestBlocks, loadCanonicalTip, type IngestSummary, type TipState } from "./ingest-blocks";
import { defaultValidationThreads, inlinePreparer, startingPool, type BatchPreparer } from "./validation-pool";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { assertReadableFile, readNdjsonLines } from "./ndjson-file";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { MAX_REFUSALS_RECORDED, recordRefusals } from "../drift/block-observations";
import { EXPORT_HEADER_KEY, isExportHeader, parseExportHeader } from "./export-file";
import type { Epoch } from "../../lib/consensus/epochs";
import { databaseUnavailableMessage, databaseUnavailableReason } from "../db/database-errors";

export interface ImportCheck {
  path: string;
  fileSha256: string;
  sizeBytes: number;
  /** Lines that hold a block (blank lines are allowed and skipped). */
  blocks: number;
  lines: number;
  /** The epoch registry of the file's export header (see export-file.ts), or null when it has none. */
  registry: Epoch[] | null;
}

const MAX_LISTED_PROBLEMS = 5;
/** Job-lock keys live in their own advisory-lock space (first key), apart from the ingest lock. */
const IMPORT_LOCK_SPACE = 0x4d4c4a42; // "MLJB"

export async function fileSha256(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * Reads the whole file and refuses it, with every problem's line number (the first few listed), if any line is not
 * a block or a block could never be placed (its predecessor height is neither in the database nor earlier in the
 * file). Throws AppError("INVALID_INPUT" | "INPUT_FILE"); writes nothing.
 */
export async function checkImportFile(pool: pg.Pool, filePath: string, onProgress?: (bytes: number, total: number) => void): Promise<ImportCheck> {
  const sizeBytes = await assertReadableFile(filePath);
  const problems: string[] = [];
  let problemCount = 0;
  const note = (message: string) => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(message);
  };
  const seenNumbers = new Set<number>();
  const needFromDatabase = new Map<number, number>(); // predecessor number -> first line needing it
  let blocks = 0;
  let lines = 0;
  const refused: unknown[] = [];
  let registry: Epoch[] | null = null;
  let sawHeader = false;
  for await (const line of readNdjsonLines(filePath)) {
    lines = line.number;
    if (line.number % 2000 === 0) onProgress?.(line.endOffset, sizeBytes);
    const parsed = parseNdjsonLine(line.text);
    if (parsed === null) continue;
    if ("error" in parsed) {
      note(`line ${line.number}: ${parsed.error}`);
      continue;
    }
    if (isExportHeader(parsed.value)) {
      // `mathledger-cli export` writes one header, first: anywhere else it is a sign of two files concatenated.
      if (sawHeader || blocks > 0) note(`line ${line.number}: an export header (${EXPORT_HEADER_KEY}) may only be the first line`);
      else {
        try {
          registry = parseExportHeader(parsed.value).registry;
        } catch (error) {
          note(`line ${line.number}: ${(error as Error).message}`);
        }
      }
      sawHeader = true;
      continue;
    }
    const refusal = admissionRefusal(parsed.value);
    if (refusal) {
      note(`line ${line.number}: ${refusal}`);
      if (refused.length < MAX_REFUSALS_RECORDED) refused.push(parsed.value);
      continue;
    }
    blocks++;
    const n = parseBlock(parsed.value).block.block_number;
    if (n > 0 && !seenNumbers.has(n - 1) && !needFromDatabase.has(n - 1)) needFromDatabase.set(n - 1, line.number);
    seenNumbers.add(n);
  }
  onProgress?.(sizeBytes, sizeBytes);
  if (needFromDatabase.size > 0 && problemCount === 0) {
    const wanted = [...needFromDatabase.keys()];
    const { rows } = await pool.query<{ block_number: number }>("SELECT DISTINCT block_number FROM blocks WHERE block_number = ANY($1::int[])", [wanted]);
    const known = new Set(rows.map((r) => Number(r.block_number)));
    for (const [prevNumber, lineNumber] of needFromDatabase) {
      if (!known.has(prevNumber)) note(`line ${lineNumber}: block ${prevNumber + 1} has no predecessor (block ${prevNumber} is neither in the database nor earlier in the file)`);
    }
  }
  if (problemCount > 0) {
    // Refused blocks are evidence for the drift radar; recording them never changes the refusal.
    if (refused.length) {
      const suite = await loadWasmHashSuite();
      await recordRefusals(pool, refused, { source: "import", epochs: await loadEpochRegistry(pool), suite }).catch((error: Error) =>
        console.error(`[import] could not record refused blocks for the drift radar: ${error.message}`),
      );
    }
    const more = problemCount > problems.length ? `; and ${problemCount - problems.length} more` : "";
    throw new AppError("INVALID_INPUT", `${path.basename(filePath)}: ${problemCount} bad line${problemCount > 1 ? "s" : ""}, nothing imported: ${problems.join("; ")}${more}`);
  }
  if (blocks === 0) throw new AppError("INVALID_INPUT", `${path.basename(filePath)} holds no blocks (expected one JSON block per line)`);
  return { path: path.resolve(filePath), fileSha256: await fileSha256(filePath), sizeBytes, blocks, lines, registry };
}

export interface ImportJobRow {
  id: number;
  file_name: string;
  file_sha256: string;
  total_lines: number | null;
  processed_lines: number;
  processed_bytes: string;
  status: string;
  error: string | null;
}

/** The unfinished job for this file (same content) if there is one, else a new job. */
export async function startOrResumeImport(pool: pg.Pool, check: ImportCheck): Promise<{ job: ImportJobRow; resumed: boolean }> {
  const existing = await pool.query<ImportJobRow>(
    "SELECT * FROM import_jobs WHERE file_sha256 = $1 AND status = 'running' ORDER BY id DESC LIMIT 1",
    [check.fileSha256],
  );
  if (existing.rows[0]) return { job: existing.rows[0], resumed: true };
  const created = await pool.query<ImportJobRow>(
    "INSERT INTO import_jobs (file_name, file_sha256, total_lines, status) VALUES ($1, $2, $3, 'running') RETURNING *",
    [check.path, check.fileSha256, check.lines],
  );
  return { job: created.rows[0], resumed: false };
}

export interface ImportProgress {
  linesDone: number;
  totalLines: number;
  totals: ImportTotals;
}

export interface ImportTotals {
  stored: number;
  duplicates: number;
  valid: number;
  invalid: number;
  reorgs: number;
}

export interface RunImportOptions {
  suite: HashSuite;
  /** Blocks per transaction (default 500). */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  now?: () => number;
  /**
   * Threads that validate batches ahead (validation-pool.ts). Default: one per core when the job has at least two
   * batches left, else none; 0 validates on the main thread only.
   */
  validationThreads?: number;
  /** A running preparer to use instead (e.g. a pool the caller keeps across jobs); the caller closes it. */
  preparer?: BatchPreparer;
  /** Stops the run after the batch in flight (the job stays "running", to be resumed). */
  signal?: AbortSignal;
  /** Told when the database is lost and when the run resumes after it came back. */
  onOutage?: (event: ImportOutageEvent) => void;
  /** How long to wait for a lost database before giving up with DATABASE_UNAVAILABLE (default 10 minutes). */
  maxOutageMs?: number;
}

export type ImportOutageEvent = { state: "lost"; reason: string } | { state: "back"; downMs: number };

const DEFAULT_MAX_OUTAGE_MS = 10 * 60 * 1000;
/** How often a runner waiting out an outage tries the database again (reconnection well within a second). */
const OUTAGE_POLL_MS = 250;

/**
 * Runs (or resumes) an import job to the end (or until `signal` stops it). Returns null when another process holds
 * the job, else the totals of this run. An unreachable database is waited out (see the module comment); on any
 * other failure the job is marked failed with the message, and the error is rethrown.
 */
export async function runImportJob(pool: pg.Pool, jobId: number, options: RunImportOptions): Promise<ImportTotals | null> {
  const totals: ImportTotals = { stored: 0, duplicates: 0, valid: 0, invalid: 0, reorgs: 0 };
  for (;;) {
    try {
      const run = await runImportJobOnce(pool, jobId, options);
      if (run === null) return null;
      addTotals(totals, run);
      return totals;
    } catch (error) {
      const reason = databaseUnavailableReason(error);
      if (!reason || options.signal?.aborted) throw error;
      options.onOutage?.({ state: "lost", reason });
      const started = Date.now();
      if (!(await waitForDatabase(pool, options.maxOutageMs ?? DEFAULT_MAX_OUTAGE_MS, options.signal))) {
        if (options.signal?.aborted) return totals;
        throw new AppError("DATABASE_UNAVAILABLE", `import job ${jobId} stopped: ${databaseUnavailableMessage(reason)} (waited ${Math.round((Date.now() - started) / 1000)} s; run the import again to resume)`);
      }
      options.onOutage?.({ state: "back", downMs: Date.now() - started });
    }
  }
}

function addTotals(into: ImportTotals, add: ImportTotals): void {
  into.stored += add.stored;
  into.duplicates += add.duplicates;
  into.valid += add.valid;
  into.invalid += add.invalid;
  into.reorgs += add.reorgs;
}

/** Polls until the database answers (true), the time is up or `signal` fires (false). */
export async function waitForDatabase(pool: pg.Pool, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!signal?.aborted && Date.now() < deadline) {
    try {
      await pool.query("SELECT 1");
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_POLL_MS));
    }
  }
  return false;
}

async function runImportJobOnce(pool: pg.Pool, jobId: number, options: RunImportOptions): Promise<ImportTotals | null> {
  const lockClient = await pool.connect();
  try {
    const { rows } = await lockClient.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [IMPORT_LOCK_SPACE, jobId]);
    if (!rows[0].locked) return null;
    try {
      return await runLocked(pool, jobId, options);
    } finally {
      await lockClient.query("SELECT pg_advisory_unlock($1, $2)", [IMPORT_LOCK_SPACE, jobId]).catch(() => undefined);
    }
  } finally {
    lockClient.release();
  }
}

async function runLocked(pool: pg.Pool, jobId: number, options: RunImportOptions): Promise<ImportTotals> {
  const job = (await pool.query<ImportJobRow>("SELECT * FROM import_jobs WHERE id = $1", [jobId])).rows[0];
  if (!job) throw new AppError("NOT_FOUND", `import job ${jobId} does not exist`);
  const totals: ImportTotals = { stored: 0, duplicates: 0, valid: 0, invalid: 0, reorgs: 0 };
  if (job.status !== "running") return totals;
  if (Number(job.processed_bytes) > 0) await assertUnchanged(pool, job);
  const batchSize = options.batchSize ?? 500;
  const totalLines = job.total_lines ?? 0;
  let batch: unknown[] = [];
  // The same blocks as their JSON text: what validation threads are sent (copying one string per block to a thread is
  // far cheaper than cloning the parsed object graph).
  let batchTexts: string[] = [];
  let batchEnd = { lines: job.processed_lines, bytes: Number(job.processed_bytes) };

  // Pipelining: batch k+1 is parsed and validated (prepareBatch, which yields to the event loop) while batch k's
  // transaction runs in PostgreSQL, so JavaScript and the database work on both cores at once. Batches still commit
  // strictly in order; a wrong guess about the tip only means ingest validates that batch again itself.
  const epochs = await loadEpochRegistry(pool);
  let predictedTip: TipState | null = await loadCanonicalTip(pool);
  const threads = options.validationThreads ?? (totalLines - job.processed_lines >= 2 * batchSize ? defaultValidationThreads() : 0);
  // The threads start (about 0.3 s each) while the first batches are read and validated here.
  const preparer: BatchPreparer = options.preparer ?? (threads > 0 ? startingPool(threads) : inlinePreparer);
  let inFlight: Promise<void> | null = null;
  let failure: unknown = null;

  const commit = async () => {
    const end = batchEnd;
    const raws = batch;
    const texts = batchTexts;
    batch = [];
    batchTexts = [];
    // After a batch whose end could not be predicted (a block off the tip, an invalid block), wait for it to commit
    // and read the real tip, instead of preparing blind (validating nothing ahead) for the rest of the file.
    if (predictedTip === null && inFlight) {
      await drain();
      predictedTip = await loadCanonicalTip(pool);
    }
    const prepared = await preparer.prepare(raws, { epochs, tip: predictedTip, suite: options.suite, now: options.now?.() }, texts);
    predictedTip = prepared.endTip;
    if (inFlight) await inFlight;
    if (failure) throw failure;
    inFlight = ingestBlocks(pool, raws, {
      source: "import",
      suite: options.suite,
      now: options.now?.(),
      prepared,
      beforeCommit: async (client) => {
        await client.query("UPDATE import_jobs SET processed_lines = $2, processed_bytes = $3 WHERE id = $1", [jobId, end.lines, end.bytes]);
      },
    }).then(
      (summary: IngestSummary) => {
        totals.stored += summary.stored;
        totals.duplicates += summary.duplicates;
        totals.valid += summary.valid;
        totals.invalid += summary.invalid;
        totals.reorgs += summary.reorgs.length;
        options.onProgress?.({ linesDone: end.lines, totalLines, totals });
      },
      (error: unknown) => {
        failure = error;
      },
    );
  };
  const drain = async () => {
    if (inFlight) await inFlight;
    if (failure) throw failure;
  };

  try {
    for await (const line of readNdjsonLines(job.file_name, Number(job.processed_bytes), job.processed_lines)) {
      // Stopping drops the uncommitted lines read so far: the cursor still points before them, so a resume reads them.
      if (options.signal?.aborted) {
        await drain();
        return totals;
      }
      const parsed = parseNdjsonLine(line.text);
      if (parsed !== null) {
        if ("error" in parsed) throw new AppError("INVALID_INPUT", `line ${line.number}: ${parsed.error} (the file changed after it was checked?)`);
        // The export header (checked to be first and well-formed) is not a block; its registry was adopted already.
        if (!isExportHeader(parsed.value)) {
          batch.push(parsed.value);
          batchTexts.push(line.text);
        }
      }
      batchEnd = { lines: line.number, bytes: line.endOffset };
      if (batch.length >= batchSize) await commit();
    }
    if (batch.length > 0 || batchEnd.lines !== job.processed_lines) await commit();
    await drain();
    await pool.query("UPDATE import_jobs SET status = 'done', finished_at = now() WHERE id = $1", [jobId]);
    return totals;
  } catch (error) {
    await (inFlight as Promise<void> | null)?.catch(() => undefined);
    // An outage is not the file's fault: the job stays "running" and resumes from its cursor (runImportJob waits).
    if (databaseUnavailableReason(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // A file that vanished or a refused batch ends the job; the worker will not retry it forever.
    await pool.query("UPDATE import_jobs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1", [jobId, message]).catch(() => undefined);
    throw error;
  } finally {
    if (preparer !== options.preparer) await preparer.close();
  }
}

/**
 * A resumed job seeks to its byte cursor, which only means something in the file the job checked: a file changed
 * since (edited, replaced, truncated) is refused before anything is read or written, and the job ends as failed.
 */
async function assertUnchanged(pool: pg.Pool, job: ImportJobRow): Promise<void> {
  const now = await fileSha256(job.file_name).catch((error: Error) => `unreadable (${error.message})`);
  if (now === job.file_sha256) return;
  const message =
    `${job.file_name} changed since import job ${job.id} checked it (SHA-256 was ${job.file_sha256}, now ${now}); ` +
    `not resuming at line ${job.processed_lines}. Import the file again to start a new job.`;
  await pool.query("UPDATE import_jobs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1", [job.id, message]);
  throw new AppError("INPUT_FILE", message);
}

/** Running jobs that no process is working on (their lock is free): the worker resumes these. */
export async function orphanedImportJobs(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM import_jobs WHERE status = 'running' ORDER BY id");
  return rows.map((r) => r.id);
}
