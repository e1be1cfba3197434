/**
 * Imports an NDJSON file of blocks into the project database through the same service the CLI's `import` uses
 * (server/ingest/import-file.ts): check the whole file, then run the job. A stand-in for `mathledger-cli import
 * --file FILE` while that command does not exist; e2e/support/import-blocks.ts prefers the CLI when it answers.
 *
 *   npx tsx e2e/support/import-ndjson.ts FILE      (database from DATABASE_URL or the embedded default, as the CLI)
 *
 * Prints the totals as JSON; exit 0 when the import ran, 2 when the file was refused, 1 on any other failure.
 */
import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { isAppError } from "../../lib/errors";
import { disconnectDatabase } from "../../server/db/client";
import { closePgPool, getPgPool } from "../../server/db/pg-pool";
import { checkImportFile, runImportJob, startOrResumeImport } from "../../server/ingest/import-file";

const file = process.argv[2];
if (!file) {
  console.error("usage: tsx e2e/support/import-ndjson.ts FILE");
  process.exit(2);
}
let code = 0;
try {
  const pool = await getPgPool();
  const check = await checkImportFile(pool, file);
  const { job } = await startOrResumeImport(pool, check);
  const totals = await runImportJob(pool, job.id, { suite: nobleHashSuite, now: () => Math.floor(Date.now() / 1000) });
  // null: the worker picked the job up first (it resumes unattended jobs); it finishes it.
  console.log(JSON.stringify({ job: job.id, totals: totals ?? "taken over by the worker" }));
} catch (error) {
  console.error(`import failed: ${(error as Error).message}`);
  code = isAppError(error) ? 2 : 1;
} finally {
  await closePgPool().catch(() => undefined);
  await disconnectDatabase().catch(() => undefined);
}
process.exit(code);
