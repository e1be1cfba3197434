/**
 * Fresh, migrated, uniquely named databases for integration tests, on the server of DATABASE_URL when it is set and
 * on the embedded PostgreSQL otherwise.
 *
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(); });
 *   afterAll(async () => { await db.drop(); });
 *
 * Speed: the migrations are applied once per server and migration set, into a template database
 * (`mlpq_tpl_<hash of prisma/migrations>`); each test database is then a `CREATE DATABASE ... TEMPLATE` copy
 * (tens of ms) instead of a Prisma CLI run (seconds). Databases of killed test runs (`mlpq_test_*` older than six
 * hours) and templates of other migration sets are dropped when a template is first needed.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "./client";
import { dropDatabaseIfExists, resolveServerUrl, withDatabase, type DatabaseEnv } from "./database-url";
import { localMigrations, migrateDatabase } from "./migrate";
import { projectPath } from "./project-root";

export interface TestDatabase {
  /** The database's name (`mlpq_test_<base36 time>_<random>`). */
  name: string;
  url: string;
  /** A client for this database (disconnected by drop()). */
  prisma: PrismaClient;
  /** Disconnects `prisma` and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Environment to resolve the server from (process.env by default). */
  env?: DatabaseEnv;
  /** Connection pool size of `prisma` (default 4). */
  poolMax?: number;
}

export const TEST_DATABASE_PREFIX = "mlpq_test_";
const TEMPLATE_PREFIX = "mlpq_tpl_";
const TEMPLATE_LOCK_KEY = 0x4d4c5054; // "MLPT"
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

const templates = new Map<string, Promise<string>>();

/** A fresh database with every migration applied. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = await resolveServerUrl({ env: options.env });
  const name = uniqueTestDatabaseName();
  await withClient(serverUrl, async (admin) => {
    for (let attempt = 0; ; attempt++) {
      const template = await templateFor(serverUrl);
      try {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 50) throw error;
        if (code === "3D000") templates.delete(serverUrl); // the template was dropped meanwhile: rebuild
        else if (code !== "55006") throw error; // 55006: the template is briefly in use (being renamed): retry
        await sleep(50 + attempt * 20);
      }
    }
  });

  const url = withDatabase(serverUrl, name);
  const prisma = createPrismaClient(url, { poolMax: options.poolMax ?? 4 });
  let dropped: Promise<void> | undefined;
  return {
    name,
    url,
    prisma,
    drop: () =>
      (dropped ??= (async () => {
        await prisma.$disconnect();
        await dropDatabaseIfExists(serverUrl, name);
      })()),
  };
}

/** A new unique name with the prefix that the stale-database sweep recognises. */
export function uniqueTestDatabaseName(): string {
  return `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

/** Identifies the migration set: a hash over the names and contents of prisma/migrations/<name>/migration.sql. */
export function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const name of localMigrations()) {
    hash.update(`${name}\n`);
    hash.update(readFileSync(projectPath("prisma", "migrations", name, "migration.sql")));
  }
  return hash.digest("hex");
}

function templateFor(serverUrl: string): Promise<string> {
  let template = templates.get(serverUrl);
  if (!template) {
    template = ensureTemplate(serverUrl).catch((error) => {
      templates.delete(serverUrl);
      throw error;
    });
    templates.set(serverUrl, template);
  }
  return template;
}

/** Builds the template under an advisory lock (test files run in parallel processes), publishing it by rename. */
async function ensureTemplate(serverUrl: string): Promise<string> {
  const template = `${TEMPLATE_PREFIX}${migrationsHash().slice(0, 16)}`;
  return withClient(serverUrl, async (admin) => {
    if (await databaseExists(admin, template)) return template;
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    try {
      if (await databaseExists(admin, template)) return template;
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(building)} TEMPLATE template0`);
      await migrateDatabase(withDatabase(serverUrl, building));
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(building)} RENAME TO ${admin.escapeIdentifier(template)}`);
      await dropStaleDatabases(admin, template);
      return template;
    } finally {
      await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => {});
    }
  });
}

async function dropStaleDatabases(admin: pg.Client, currentTemplate: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2`,
    [`${TEST_DATABASE_PREFIX.replace(/_/g, "\\_")}%`, `${TEMPLATE_PREFIX.replace(/_/g, "\\_")}%`],
  );
  for (const { datname } of rows) {
    let stale: boolean;
    if (datname.startsWith(TEMPLATE_PREFIX)) {
      stale = datname !== currentTemplate && !datname.endsWith("_building");
    } else {
      const createdAt = parseInt(datname.slice(TEST_DATABASE_PREFIX.length).split("_")[0] ?? "", 36);
      stale = Number.isFinite(createdAt) && Date.now() - createdAt > STALE_AFTER_MS;
    }
    // Best effort: a database in use by a concurrent run is left alone.
    if (stale) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)}`).catch(() => {});
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  return ((await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount ?? 0) > 0;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
