/**
 * Where `npm run bench` stores its results: the node's own database when one is reachable, else nowhere (the JSON,
 * CSV and HTML files are always written). "Reachable" is DATABASE_URL set, or the embedded PostgreSQL of the data
 * directory already running (`npm start` runs it). The bench never starts the embedded server itself: a benchmark
 * should not leave a database server behind, nor spend its time initialising one. Once chosen, the database is
 * resolved and migrated through the process pool exactly as every other entry point does (server/db/pg-pool.ts).
 */
import type pg from "pg";

import { embeddedPostgresConfig, redactDatabaseUrl, type DatabaseEnv } from "../db/database-url";
import { runningEmbeddedPostgresPort } from "../db/embedded-postgres";
import { closePgPool, getPgPool, getPgPoolOwnerUrl } from "../db/pg-pool";

export type BenchDatabase = { pool: pg.Pool; url: string; close: () => Promise<void> } | { pool: null; reason: string };

/** Opens the node's database for storing bench results, or says why there is none. Never throws. */
export async function openBenchDatabase(env: DatabaseEnv = process.env): Promise<BenchDatabase> {
  try {
    if (!env.DATABASE_URL) {
      const { dataDir } = embeddedPostgresConfig(env);
      if ((await runningEmbeddedPostgresPort(dataDir)) === null) {
        return { pool: null, reason: `DATABASE_URL is unset and the embedded PostgreSQL of ${dataDir} is not running` };
      }
    }
    const pool = await getPgPool({ env });
    return { pool, url: redactDatabaseUrl(await getPgPoolOwnerUrl({ env })), close: closePgPool };
  } catch (error) {
    await closePgPool().catch(() => undefined);
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    return { pool: null, reason: message };
  }
}
