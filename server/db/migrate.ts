/**
 * Applying the migrations in prisma/migrations to a database, the way the web server, the worker and the CLI all
 * do at start-up.
 *
 * The Prisma CLI (`migrate deploy`, offline through prisma.config.ts) does the applying and its bookkeeping in
 * `_prisma_migrations`. Spawning it costs ~2 s, so when that table already lists every local migration as finished
 * nothing is spawned (a few ms). Concurrent callers on one database are serialised by an advisory lock, so two
 * processes starting together apply each migration once.
 */
import { readdirSync, existsSync } from "node:fs";
import pg from "pg";
import { redactDatabaseUrl } from "./database-url";
import { runPrismaCli } from "./prisma-cli";
import { projectPath } from "./project-root";

/** pg_advisory_lock key held while checking and applying migrations ("MLPQ" in ASCII). */
const MIGRATE_LOCK_KEY = 0x4d4c5051;

export interface MigrationState {
  /** Local migrations recorded as finished in the database. */
  applied: string[];
  /** Local migrations not yet applied. */
  pending: string[];
  /** Migrations that started and neither finished nor were rolled back (the CLI refuses to go on: P3009). */
  failed: string[];
  /** Finished migrations the database has but this checkout does not (the database is newer than the code). */
  unknown: string[];
}

export interface MigrateResult {
  /** Migrations this call applied (empty when the database was up to date). */
  applied: string[];
  elapsedMs: number;
}

/** Names of the migrations in prisma/migrations, in order. */
export function localMigrations(): string[] {
  const dir = projectPath("prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(`${dir}/${e.name}/migration.sql`))
    .map((e) => e.name)
    .sort();
}

/** How the database at `url` stands against the local migrations. */
export async function migrationState(url: string): Promise<MigrationState> {
  const client = await connect(url);
  try {
    return await readState(client);
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations to the database at `url`; idempotent, and fast when there is nothing to apply.
 * Throws (with the CLI's output) when the CLI fails, and when a failed migration blocks the way.
 */
export async function migrateDatabase(url: string, options: { log?: (m: string) => void } = {}): Promise<MigrateResult> {
  const t0 = performance.now();
  const client = await connect(url);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK_KEY]);
    const before = await readState(client);
    if (before.pending.length === 0 && before.failed.length === 0) {
      return { applied: [], elapsedMs: Math.round(performance.now() - t0) };
    }
    options.log?.(`Applying ${before.pending.length} migration(s) to ${redactDatabaseUrl(url)}`);
    const res = await runPrismaCli(["migrate", "deploy"], { databaseUrl: url });
    if (res.code !== 0) {
      throw new Error(`prisma migrate deploy failed (exit ${res.code}) on ${redactDatabaseUrl(url)}:\n${res.output.trim()}`);
    }
    const after = await readState(client);
    if (after.pending.length > 0 || after.failed.length > 0) {
      throw new Error(
        `Migrations still pending after prisma migrate deploy: ${[...after.failed, ...after.pending].join(", ")}\n${res.output.trim()}`,
      );
    }
    return { applied: before.pending, elapsedMs: Math.round(performance.now() - t0) };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot connect to ${redactDatabaseUrl(url)}: ${(error as Error).message}`);
  }
  return client;
}

async function readState(client: pg.Client): Promise<MigrationState> {
  const local = localMigrations();
  const { rows: exists } = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
  const rows: { migration_name: string; finished: boolean; rolled_back: boolean }[] = exists[0].present
    ? (
        await client.query(
          `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
             FROM _prisma_migrations`,
        )
      ).rows
    : [];
  const finished = new Set(rows.filter((r) => r.finished && !r.rolled_back).map((r) => r.migration_name));
  const failed = rows.filter((r) => !r.finished && !r.rolled_back).map((r) => r.migration_name);
  return {
    applied: local.filter((m) => finished.has(m)),
    pending: local.filter((m) => !finished.has(m)),
    failed,
    unknown: [...finished].filter((m) => !local.includes(m)).sort(),
  };
}
