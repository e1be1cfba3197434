/**
 * Applying the migrations in prisma/migrations to a database, the way the web server, the worker and the CLI all
 * do at start-up (through prepareDatabase in prepare-database.ts).
 *
 * Crash safety is the point of this module. Each migration runs in ONE PostgreSQL transaction together with its row in
 * `_prisma_migrations` (PostgreSQL DDL is transactional), so a process killed at any moment leaves the migration either
 * applied and recorded, or neither. `prisma migrate deploy` records a migration in a separate step after running it,
 * which once left a database whose tables existed while its record said "started, never finished": every later start
 * then refused to open it (Prisma's P3009). The rows written here are exactly Prisma's (same table, checksum =
 * SHA-256 of migration.sql), so `prisma migrate status` and `prisma migrate resolve` keep working on these databases.
 *
 * A half-recorded migration left by an older version (or by `prisma migrate deploy` itself) is recovered on the next
 * start: its SQL is replayed in a transaction. If the replay succeeds, its effects were absent (the earlier run rolled
 * back whole) and the migration is now applied and recorded. If the replay fails because its objects already exist and
 * every table and index it creates is present, the earlier run committed whole and only the record is completed. In
 * any other state the error names the migration, what was found, and the `prisma migrate resolve` command that fixes it.
 *
 * Concurrent callers on one database are serialised by a session advisory lock of migrations' own; a killed holder's
 * connection closes and PostgreSQL releases the lock.
 *
 * Migrations must therefore be transactional: no BEGIN/COMMIT of their own and no CREATE INDEX CONCURRENTLY
 * (migrations.test.ts checks every file).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { redactDatabaseUrl } from "./database-url";
import { projectPath } from "./project-root";

/** pg_advisory_lock key held while checking and applying migrations ("MLMG" in ASCII); ingest has its own. */
export const MIGRATION_LOCK_KEY = 0x4d4c4d47;

export interface MigrationState {
  /** Local migrations recorded as finished in the database. */
  applied: string[];
  /** Local migrations not yet applied. */
  pending: string[];
  /** Migrations that started and neither finished nor were rolled back (Prisma's P3009 state). */
  failed: string[];
  /** Finished migrations the database has but this checkout does not (the database is newer than the code). */
  unknown: string[];
}

export interface MigrateResult {
  /** Migrations this call applied (empty when the database was up to date). */
  applied: string[];
  /** Half-recorded migrations this call found and completed (see the module comment). */
  recovered: string[];
  elapsedMs: number;
}

export interface MigrateOptions {
  log?: (message: string) => void;
}

/** Names of the migrations in prisma/migrations, in order. */
export function localMigrations(): string[] {
  const dir = projectPath("prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(`${dir}/${e.name}/migration.sql`))
    .map((e) => e.name)
    .sort();
}

/** The SQL of a local migration. */
export function migrationSql(name: string): string {
  return readFileSync(projectPath("prisma", "migrations", name, "migration.sql"), "utf8");
}

/** Prisma's checksum of a migration script: SHA-256 of its bytes, lower-case hex. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
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
 * Applies pending migrations to the database at `url`, each in one transaction with its record; recovers
 * half-recorded ones. Idempotent, and a few milliseconds when there is nothing to do.
 */
export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const t0 = performance.now();
  const client = await connect(url);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    return await migrateLocked(client, url, options, t0);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/**
 * The body of migrateDatabase on a connection that already holds MIGRATION_LOCK_KEY (prepare-database.ts seeds the
 * registry under the same lock).
 */
export async function migrateLocked(client: pg.Client, url: string, options: MigrateOptions, t0 = performance.now()): Promise<MigrateResult> {
  const before = await readState(client);
  if (before.pending.length === 0 && before.failed.length === 0) {
    return { applied: [], recovered: [], elapsedMs: Math.round(performance.now() - t0) };
  }
  await ensureMigrationsTable(client);
  const recovered: string[] = [];
  for (const name of before.failed) {
    await recoverUnfinished(client, name, url);
    recovered.push(name);
    options.log?.(`Recovered migration ${name}: it had run but was not recorded as finished; it is now complete`);
  }
  const state = recovered.length > 0 ? await readState(client) : before;
  if (state.pending.length > 0) {
    options.log?.(`Applying ${state.pending.length} migration(s) to ${redactDatabaseUrl(url)}`);
  }
  for (const name of state.pending) await applyMigration(client, name, url);
  return { applied: state.pending, recovered, elapsedMs: Math.round(performance.now() - t0) };
}

/** Runs one migration and records it as finished, in a single transaction. */
async function applyMigration(client: pg.Client, name: string, url: string): Promise<void> {
  const sql = migrationSql(name);
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [randomUUID(), migrationChecksum(sql), name],
    );
    // No parameters: the simple query protocol runs the whole multi-statement script.
    await client.query(sql);
    await client.query(
      `UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1
        WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new Error(
      `Migration ${name} failed on ${redactDatabaseUrl(url)} and was rolled back (nothing of it was kept): ${(error as Error).message}`,
    );
  }
}

/** SQLSTATEs that mean "this object is already there / already gone": the script ran before. */
const ALREADY_APPLIED_CODES = new Set(["42P07", "42710", "42P06", "42701", "42723", "42704", "42P16"]);

/**
 * A migration recorded as started but never finished (see the module comment). The replay decides which way it went.
 */
async function recoverUnfinished(client: pg.Client, name: string, url: string): Promise<void> {
  const unresolvable = (found: string) =>
    new Error(
      `Cannot open the database ${redactDatabaseUrl(url)}: migration ${name} is recorded as started but not finished, ` +
        `and ${found}. Inspect the schema, then run \`npx prisma migrate resolve --applied ${name}\` if its changes are ` +
        `all present, or \`npx prisma migrate resolve --rolled-back ${name}\` if none are (with DATABASE_URL set to ` +
        `this database), and start again.`,
    );
  if (!localMigrations().includes(name)) throw unresolvable("this checkout has no such migration");
  const sql = migrationSql(name);
  await client.query("BEGIN");
  try {
    await client.query(sql);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const code = (error as { code?: string }).code ?? "";
    if (!ALREADY_APPLIED_CODES.has(code)) {
      throw unresolvable(`replaying it fails with "${(error as Error).message}" (SQLSTATE ${code || "none"})`);
    }
    const missing = await missingCreatedRelations(client, sql);
    if (missing.length > 0) {
      throw unresolvable(`some of what it creates exists while ${missing.join(", ")} does not`);
    }
    await markFinished(client, name, sql);
    return;
  }
  // The replay applied cleanly: the earlier run had rolled back whole. Keep this run and record it.
  try {
    await client.query(
      `UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1, checksum = $2,
              logs = 'recovered by mathledger: replayed after an unfinished run'
        WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [name, migrationChecksum(sql)],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function markFinished(client: pg.Client, name: string, sql: string): Promise<void> {
  await client.query(
    `UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1, checksum = $2,
            logs = 'recovered by mathledger: its changes were found committed'
      WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
    [name, migrationChecksum(sql)],
  );
}

/** Tables and indexes a script creates (CREATE TABLE / CREATE [UNIQUE] INDEX "name") that the database lacks. */
async function missingCreatedRelations(client: pg.Client, sql: string): Promise<string[]> {
  const names = [...sql.matchAll(/CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+(?:IF\s+NOT\s+EXISTS\s+)?"([^"]+)"/gi)].map((m) => m[1]);
  const missing: string[] = [];
  for (const name of names) {
    const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [`"${name}"`]);
    if (!rows[0].present) missing.push(name);
  }
  return missing;
}

/** Prisma's own bookkeeping table, created exactly as `prisma migrate deploy` creates it. */
async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                  VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum            VARCHAR(64) NOT NULL,
    finished_at         TIMESTAMPTZ,
    migration_name      VARCHAR(255) NOT NULL,
    logs                TEXT,
    rolled_back_at      TIMESTAMPTZ,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count INTEGER NOT NULL DEFAULT 0
  )`);
}

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
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
  const failed = [...new Set(rows.filter((r) => !r.finished && !r.rolled_back).map((r) => r.migration_name))].filter(
    (m) => !finished.has(m),
  );
  return {
    applied: local.filter((m) => finished.has(m)),
    pending: local.filter((m) => !finished.has(m) && !failed.includes(m)),
    failed,
    unknown: [...finished].filter((m) => !local.includes(m)).sort(),
  };
}
