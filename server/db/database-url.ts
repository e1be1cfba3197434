/**
 * Which database the project uses: DATABASE_URL when set, otherwise the embedded PostgreSQL of the project's data
 * directory (started on first use, found again by every later process), database `mathledger`.
 *
 * Environment:
 *   DATABASE_URL                  a PostgreSQL URL; its database is created when missing.
 *   MATHLEDGER_DATA_DIR           data directory (default <project>/.data; relative paths are taken from the project
 *                                 root so that every process agrees); the cluster lives in <dir>/postgres.
 *   MATHLEDGER_EMBEDDED_PG_PORT   port of the embedded server on 127.0.0.1 (default 54329).
 */
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgresConfig } from "./embedded-postgres";
import { projectRoot } from "./project-root";

export const DEFAULT_EMBEDDED_PG_PORT = 54329;
export const DEFAULT_DATABASE_NAME = "mathledger";

/** The environment variables this module reads (process.env by default). */
export interface DatabaseEnv {
  [name: string]: string | undefined;
  DATABASE_URL?: string;
  MATHLEDGER_DATA_DIR?: string;
  MATHLEDGER_EMBEDDED_PG_PORT?: string;
  MATHLEDGER_APP_DATABASE_URL?: string;
}

export interface ResolvedDatabase {
  url: string;
  /** Set when the database is the embedded server. `started` tells whether this call started it. */
  embedded: { dataDir: string; clusterDir: string; port: number; started: boolean; elapsedMs: number } | null;
}

export interface ResolveOptions {
  env?: DatabaseEnv;
  /** Progress messages (starting the embedded server, creating the database). Silent by default. */
  log?: (message: string) => void;
}

/** The data directory and port of the embedded server, from the environment. */
export function embeddedPostgresConfig(env: DatabaseEnv = process.env): EmbeddedPostgresConfig {
  const dataDir = path.resolve(projectRoot(), env.MATHLEDGER_DATA_DIR || ".data");
  const rawPort = env.MATHLEDGER_EMBEDDED_PG_PORT;
  const port = rawPort ? Number(rawPort) : DEFAULT_EMBEDDED_PG_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`MATHLEDGER_EMBEDDED_PG_PORT must be a port number (1-65535), got "${rawPort}"`);
  }
  return { dataDir, port };
}

/**
 * The URL of a PostgreSQL server that can host fresh databases: DATABASE_URL as given, or the embedded server's
 * maintenance database `postgres` (starting the server if needed).
 */
export async function resolveServerUrl(options: ResolveOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const server = await startEmbeddedPostgres({ ...embeddedPostgresConfig(env), log: options.log });
  return server.url("postgres");
}

/** Resolves the project's database (see the module comment), creating it when missing. */
export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const env = options.env ?? process.env;
  if (env.DATABASE_URL) {
    await ensureDatabaseOf(env.DATABASE_URL, options.log);
    return { url: env.DATABASE_URL, embedded: null };
  }
  const config = embeddedPostgresConfig(env);
  const server = await startEmbeddedPostgres({ ...config, log: options.log });
  await createDatabaseIfMissing(server.url("postgres"), DEFAULT_DATABASE_NAME, options.log);
  return {
    url: server.url(DEFAULT_DATABASE_NAME),
    embedded: { dataDir: config.dataDir, clusterDir: server.clusterDir, port: server.port, started: server.started, elapsedMs: server.elapsedMs },
  };
}

/** The URL of the project's database (see resolveDatabase). */
export async function resolveDatabaseUrl(options: ResolveOptions = {}): Promise<string> {
  return (await resolveDatabase(options)).url;
}

/** Creates database `name` on the server of `serverUrl` unless it exists; safe when several processes race. */
export async function createDatabaseIfMissing(
  serverUrl: string,
  name: string,
  log?: (message: string) => void,
): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return;
    log?.(`Creating database ${name}`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error) {
    // 42P04 duplicate_database, 23505 unique_violation: another process created it first.
    const code = (error as { code?: string }).code;
    if (code !== "42P04" && code !== "23505") throw error;
  } finally {
    await client.end();
  }
}

/**
 * Drops database `name` on the server of `serverUrl`, closing its connections first (PostgreSQL 13+), and its
 * least-privilege role (`<name>_app`, see app-role.ts), which only held privileges inside it.
 */
export async function dropDatabaseIfExists(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(`${name.slice(0, 59)}_app`)}`).catch(() => undefined);
  } finally {
    await client.end();
  }
}

/** `url` with its database replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database name of a PostgreSQL URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** `url` with any password masked, for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

/** DATABASE_URL may name a database that does not exist yet (a fresh CI server): create it then. */
async function ensureDatabaseOf(url: string, log?: (message: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") {
      throw new Error(`Cannot connect to DATABASE_URL (${redactDatabaseUrl(url)}): ${(error as Error).message}`, { cause: error });
    }
    await createDatabaseIfMissing(withDatabase(url, "postgres"), databaseName(url), log);
    return;
  } finally {
    await client.end().catch(() => {});
  }
}
