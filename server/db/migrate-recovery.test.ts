/**
 * Migrations cannot be left half-recorded (issue 10 §1), and a database that an older start left half-recorded is
 * recovered by the next start. Runs on the server of DATABASE_URL when set, otherwise on the embedded PostgreSQL.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { createDatabaseIfMissing, dropDatabaseIfExists, resolveServerUrl, withDatabase } from "./database-url";
import { localMigrations, migrateDatabase, migrationChecksum, migrationSql, migrationState } from "./migrate";
import { prepareDatabase } from "./prepare-database";
import { runPrismaCli } from "./prisma-cli";
import { uniqueTestDatabaseName } from "./test-database";

const created: string[] = [];
let serverUrl: string | undefined;

async function freshDatabase(): Promise<string> {
  serverUrl ??= await resolveServerUrl();
  const name = uniqueTestDatabaseName();
  await createDatabaseIfMissing(serverUrl, name);
  created.push(name);
  return withDatabase(serverUrl, name);
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  while (created.length > 0) await dropDatabaseIfExists(serverUrl!, created.pop()!);
});

const FIRST = localMigrations()[0];

describe("migration files", () => {
  it.each(localMigrations())("%s is transactional (no BEGIN/COMMIT of its own, no CONCURRENTLY)", (name) => {
    const sql = migrationSql(name).replace(/--[^\n]*/g, "");
    expect(sql).not.toMatch(/\b(BEGIN\s*;|COMMIT\b|ROLLBACK\b|CONCURRENTLY\b)/i);
  });
});

describe("migrateDatabase", () => {
  it("records each migration exactly as Prisma does: prisma migrate status agrees", async () => {
    const url = await freshDatabase();
    await migrateDatabase(url);
    const rows = await withClient(url, (c) =>
      c.query<{ migration_name: string; checksum: string; steps: number }>(
        "SELECT migration_name, checksum, applied_steps_count AS steps FROM _prisma_migrations ORDER BY migration_name",
      ),
    );
    expect(rows.rows).toEqual(localMigrations().map((m) => ({ migration_name: m, checksum: migrationChecksum(migrationSql(m)), steps: 1 })));
    const status = await runPrismaCli(["migrate", "status"], { databaseUrl: url });
    expect(status.output).toContain("Database schema is up to date");
  });

  it("a migration whose SQL fails leaves neither its effects nor its record", async () => {
    const url = await freshDatabase();
    // A table the first migration creates already exists: its CREATE fails, and the transaction takes all with it.
    await withClient(url, (c) => c.query(`CREATE TABLE "blocks" (x int)`));
    await expect(migrateDatabase(url)).rejects.toThrow(new RegExp(`Migration ${FIRST} failed .* rolled back`));
    await withClient(url, async (c) => {
      const { rows } = await c.query("SELECT count(*)::int AS n FROM _prisma_migrations");
      expect(rows[0].n).toBe(0);
      expect((await c.query("SELECT to_regclass('statements') AS t")).rows[0].t).toBeNull();
    });
  });
});

describe("recovering a half-recorded migration (record started, finished_at NULL)", () => {
  /** The state `prisma migrate deploy` leaves when killed between running a migration and recording it. */
  async function halfRecorded(url: string, applied: boolean): Promise<void> {
    await withClient(url, async (c) => {
      await c.query(`CREATE TABLE _prisma_migrations (
        id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
        migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
        started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
      await c.query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('x', $1, $2)", [
        migrationChecksum(migrationSql(FIRST)),
        FIRST,
      ]);
      if (applied) await c.query(migrationSql(FIRST));
    });
    expect((await migrationState(url)).failed).toEqual([FIRST]);
  }

  it("completes the record when the migration's changes were committed, and says so", async () => {
    const url = await freshDatabase();
    await halfRecorded(url, true);
    const messages: string[] = [];
    const result = await migrateDatabase(url, { log: (m) => messages.push(m) });
    expect(result.recovered).toEqual([FIRST]);
    expect(result.applied).toEqual(localMigrations().slice(1));
    expect(messages.join("\n")).toContain(`Recovered migration ${FIRST}`);
    expect(await migrationState(url)).toEqual({ applied: localMigrations(), pending: [], failed: [], unknown: [] });
  });

  it("replays the migration when its changes were rolled back", async () => {
    const url = await freshDatabase();
    await halfRecorded(url, false);
    const result = await migrateDatabase(url);
    expect(result.recovered).toEqual([FIRST]);
    expect(await migrationState(url)).toEqual({ applied: localMigrations(), pending: [], failed: [], unknown: [] });
    const status = await runPrismaCli(["migrate", "status"], { databaseUrl: url });
    expect(status.output).toContain("Database schema is up to date");
  });

  it("refuses a partial state with the migration, what was found and the command that fixes it", async () => {
    const url = await freshDatabase();
    await halfRecorded(url, true);
    await withClient(url, (c) => c.query(`DROP TABLE "statements"`));
    const error = await migrateDatabase(url).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`migration ${FIRST} is recorded as started but not finished`);
    expect((error as Error).message).toContain("statements does not");
    expect((error as Error).message).toContain(`npx prisma migrate resolve --applied ${FIRST}`);
  });
});

describe("prepareDatabase", () => {
  it("migrates and seeds the default registry once, even when processes race", async () => {
    const url = await freshDatabase();
    const seed = { genesisTimestamp: 1_790_000_000, dualActivationBlock: 50 };
    const results = await Promise.all([prepareDatabase(url, { seed }), prepareDatabase(url, { seed }), prepareDatabase(url, { seed })]);
    expect(results.filter((r) => r.seededRegistry)).toHaveLength(1);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, localMigrations().length]);
    const pool = new pg.Pool({ connectionString: url });
    try {
      const epochs = await loadEpochRegistry(pool);
      expect(epochs.map((e) => e.start_block)).toEqual([0, 50]);
    } finally {
      await pool.end();
    }
    expect((await prepareDatabase(url, { seed })).seededRegistry).toBe(false);
  });
});
