/**
 * Least privilege (issue 6 §4): the web server, the worker and the CLI do their work through a PostgreSQL role that can
 * read and write the application's tables but cannot change the schema; only the preparation step (migrations, run by
 * prepare-database.ts) uses the owner's connection, the one DATABASE_URL (or the embedded superuser) gives.
 *
 * The role is `<database>_app` (one per database, since roles are cluster-wide and several nodes or test runs may
 * share a server). Its password is random, kept in `<data dir>/db-roles/<role>.password` (0600) beside the node token;
 * a missing file (another data directory, a restored backup) gets a new password. Grants are re-applied on every
 * preparation, so tables added by later migrations are covered, and default privileges cover tables the owner
 * creates later on.
 *
 * Fallback: when the owner may not create roles (a managed DATABASE_URL with a plain user), the processes keep the
 * owner's connection and the start-up says so once; the README tells how to create the role by hand and hand its URL
 * to the product in MATHLEDGER_APP_DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { databaseName } from "./database-url";

export interface AppRole {
  /** The URL the processes use for their work: the owner's URL with the app role's name and password. */
  url: string;
  role: string;
}

/** The app role's name for a database: `<database>_app`, cut to PostgreSQL's 63-byte identifier limit. */
export function appRoleName(database: string): string {
  return `${database.slice(0, 59)}_app`;
}

/**
 * Creates or refreshes the app role of the database `ownerUrl` names and grants it DML on the application's tables.
 * Returns null when the connected user may not manage roles (the caller then keeps the owner's URL).
 * `client` is connected as the owner, outside a transaction, and holds the migration lock.
 */
export async function ensureAppRole(client: pg.ClientBase, ownerUrl: string, dataDir: string): Promise<AppRole | null> {
  const { rows: me } = await client.query<{ can: boolean; name: string }>(
    "SELECT (rolsuper OR rolcreaterole) AS can, rolname AS name FROM pg_roles WHERE rolname = current_user",
  );
  if (!me[0]?.can) return null;
  const database = databaseName(ownerUrl);
  const role = appRoleName(database);
  if (role === me[0].name) return null;
  const ident = client.escapeIdentifier(role);
  const passwordFile = path.join(dataDir, "db-roles", `${role}.password`);
  let password = readPassword(passwordFile);

  await client.query("BEGIN");
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (!rowCount || !password) {
      password = randomBytes(24).toString("hex");
      const verb = rowCount ? "ALTER" : "CREATE";
      // Passwords cannot be bound as parameters in DDL; this one is hex, so quoting is exact.
      await client.query(`${verb} ROLE ${ident} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '${password}'`);
      await fsp.mkdir(path.dirname(passwordFile), { recursive: true, mode: 0o700 });
      await fsp.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    }
    const db = client.escapeIdentifier(database);
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${ident}`);
    await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await client.query(`REVOKE CREATE ON SCHEMA public FROM ${ident}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${ident}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ident}`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${ident}`);
    // The migrations' bookkeeping is the owner's: the app may read it, never write it.
    await client.query(`REVOKE INSERT, UPDATE, DELETE ON TABLE _prisma_migrations FROM ${ident}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${ident}`);
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${ident}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(role);
  url.password = password;
  return { url: url.toString(), role };
}

/** Drops the app role of `database` (test and e2e clean-up, after the database itself is dropped). */
export async function dropAppRole(client: pg.ClientBase, database: string): Promise<void> {
  await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(appRoleName(database))}`);
}

function readPassword(file: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8").trim();
  return /^[0-9a-f]{48}$/.test(text) ? text : null;
}
