/**
 * `npm run bench -- --import FILE.json`: stores existing result files (written by an earlier run, perhaps on
 * another machine) in the database, as one run. Every file is read and validated before anything is stored, so a bad
 * file stores nothing. Unlike a bench run, an import exists to store: no reachable database is an error (exit 2).
 *
 * Exit codes: 0 stored (or already stored), 2 a file unreadable or not a result document, or no database.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseBenchResultDocument } from "../../lib/bench/bench-run";
import type { BenchResultDocument } from "../../lib/bench/bench-result";
import { isAppError } from "../../lib/errors";

/** Result files are a few hundred kB; anything far larger is not one. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function readDocument(file: string): BenchResultDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (text.length > MAX_FILE_BYTES) throw new Error(`${file} is larger than ${MAX_FILE_BYTES} bytes: not a result file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseBenchResultDocument(json);
  } catch (error) {
    if (isAppError(error)) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
}

export async function importResultFiles(files: readonly string[]): Promise<number> {
  let docs: { file: string; doc: BenchResultDocument }[];
  try {
    docs = files.map((file) => ({ file, doc: readDocument(path.resolve(file)) }));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  const [{ openBenchDatabase }, { insertBenchRun }] = await Promise.all([
    import("../../server/bench/bench-database"),
    import("../../server/bench/bench-run-repository"),
  ]);
  const db = await openBenchDatabase();
  if (db.pool === null) {
    process.stderr.write(`bench: cannot import: no database (${db.reason}); set DATABASE_URL or start the node (npm start)\n`);
    return 2;
  }
  try {
    const runId = randomUUID();
    for (const { file, doc } of docs) {
      const stored = await insertBenchRun(db.pool, runId, doc);
      process.stdout.write(
        stored.inserted
          ? `stored ${file} (${doc.stage}, ${doc.started_at}) as benchmark run ${stored.id} (/benchmarks/${stored.id})\n`
          : `${file} (${doc.stage}, ${doc.started_at}) was already stored as benchmark run ${stored.id}\n`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
