/**
 * Prisma CLI configuration (Prisma 6.19), for the offline path described in ../shared/STACK.md:
 * `engine: "js"` with a driver adapter makes `migrate deploy` / `migrate status` / `migrate diff` use the WASM schema
 * engine shipped inside the `prisma` package, so the CLI never downloads a native engine.
 *
 * The CLI connects to DATABASE_URL, even for `migrate diff` between files (it asks the server for its version).
 * Without DATABASE_URL, run it as `npx tsx scripts/db/prisma.ts <args>`, which resolves the project's database (the
 * embedded PostgreSQL by default) first and also avoids the CLI's 10 s exit delay (see scripts/db/prisma-cli.ts).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// The CLI would otherwise try to download engines it does not use here; any existing file satisfies the check.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/dev/null";
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/dev/null";

/**
 * Workaround for prisma/orm#27403 (open upstream): through @prisma/adapter-pg, the WASM schema engine cannot
 * deserialize catalog columns of type `name` (OID 19) and `"char"` (OID 18). Both arrive as text on the wire, so
 * re-labelling them as `text` (OID 25) is lossless. Used only by the CLI's migration path, never by the app's client.
 */
class CatalogTextPool extends pg.Pool {
  // pg's overloads (callback and promise forms) make a typed override impractical; this only post-processes results.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as (...a: any[]) => any)(...args);
    if (result && typeof result.then === "function") {
      return result.then((res: pg.QueryResult) => {
        for (const field of res?.fields ?? []) {
          if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
        }
        return res;
      });
    }
    return result;
  }
}

function migrationPool(connectionString: string): pg.Pool {
  // allowExitOnIdle: the CLI never ends the pool; idle connections must not keep it alive.
  return new CatalogTextPool({ connectionString, max: 2, allowExitOnIdle: true });
}

/**
 * Two more fixes on the same path, both in adapter-pg 6.19:
 *  - `executeScript` (how migrate deploy applies a migration.sql) splits the script on every ";", so a semicolon in a
 *    comment, a string literal or a DO $$ ... $$ body breaks the migration. Here the script goes to PostgreSQL whole,
 *    as one simple-protocol query, which is what Prisma's native engine does (and makes each migration atomic).
 *  - the shadow database (`migrate diff --from-migrations`) is built from the external pool's options, where
 *    `connectionString` overrides the shadow `database`, so the migrations would be replayed (and then reset) in the
 *    MAIN database. Here the shadow database gets its own connection string.
 */
class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly connectionString: string) {
    super(migrationPool(connectionString), { disposeExternalPool: true });
  }

  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver() as pg.Pool;
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        // The adapter's own error conversion (to the DriverAdapterError the engine understands); it throws.
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const url = new URL(this.connectionString);
    url.pathname = `/${database}`;
    const shadow = await new MigrationAdapterFactory(url.toString()).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  }
}

/** Stands in when DATABASE_URL is unset: any attempt to reach the database fails with a message that says why. */
class UnconfiguredPool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(): any {
    return Promise.reject(missingUrl());
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connect(): any {
    return Promise.reject(missingUrl());
  }
}

function missingUrl(): Error {
  return new Error(
    "DATABASE_URL is not set. Set it, or run the CLI as `npx tsx scripts/db/prisma.ts <args>`, which resolves the project's database (the embedded PostgreSQL by default).",
  );
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  // Called by every schema-engine command; a missing DATABASE_URL is reported on first use, not here, and pg must
  // not fall back to its localhost defaults.
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    return connectionString
      ? new MigrationAdapterFactory(connectionString)
      : new PrismaPg(new UnconfiguredPool(), { disposeExternalPool: true });
  },
});
