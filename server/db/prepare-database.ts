/**
 * Making a database ready for the product: the one step every entry point (web server, worker, CLI, `npm start`)
 * runs before its first query.
 *
 *  1. applies the migrations, each with its record in one transaction (migrate.ts), so a kill at any moment of a
 *     first start leaves a database the next start opens;
 *  2. seeds the default epoch registry (the devnet's, as the worker always did) when the database has none, so a
 *     fresh database works for every entry point alone: `mathledger-cli import` needs no worker to have run first.
 *     An import whose file carries its own registry replaces this default while the chain is still empty;
 *  3. makes sure the least-privilege app role exists and holds its grants (app-role.ts), and returns the URL the
 *     process then works through: that role's, MATHLEDGER_APP_DATABASE_URL when set, or the owner's as a fallback.
 *
 * All of it runs as the owner under the migration advisory lock, so processes starting together do it once.
 */
import { ensureEpochRegistry, type SeedOptions } from "../chain/epoch-registry";
import { readConfig } from "../config";
import { ensureAppRole } from "./app-role";
import { embeddedPostgresConfig, redactDatabaseUrl, type DatabaseEnv } from "./database-url";
import { connect, migrateLocked, MIGRATION_LOCK_KEY, type MigrateResult } from "./migrate";

export interface PrepareOptions {
  log?: (message: string) => void;
  /** The default registry's parameters; from the environment (MATHLEDGER_DUAL_ACTIVATION_BLOCK) and the clock. */
  seed?: SeedOptions;
  /** Where the data directory is, and MATHLEDGER_APP_DATABASE_URL (process.env by default). */
  env?: DatabaseEnv;
}

export interface PrepareResult extends MigrateResult {
  /** True when this call stored the default epoch registry. */
  seededRegistry: boolean;
  /** The URL to do the process's work through (the least-privilege role's when there is one). */
  appUrl: string;
  /** How appUrl was chosen. */
  appRole: "created-role" | "configured" | "owner-fallback";
}

const warnedFallback = new Set<string>();

/** Migrates the database at `url` and seeds its epoch registry when it has none. Idempotent. */
export async function prepareDatabase(url: string, options: PrepareOptions = {}): Promise<PrepareResult> {
  const t0 = performance.now();
  const seed = options.seed ?? defaultSeed();
  const client = await connect(url);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const migrated = await migrateLocked(client, url, { log: options.log }, t0);
    const { rows } = await client.query<{ empty: boolean }>("SELECT NOT EXISTS (SELECT 1 FROM epochs) AS empty");
    let seededRegistry = false;
    if (rows[0].empty) {
      await ensureEpochRegistry(client, seed);
      seededRegistry = true;
      options.log?.("Seeded the default epoch registry");
    }
    const env = options.env ?? process.env;
    let appUrl = url;
    let appRole: PrepareResult["appRole"] = "owner-fallback";
    if (env.MATHLEDGER_APP_DATABASE_URL) {
      appUrl = env.MATHLEDGER_APP_DATABASE_URL;
      appRole = "configured";
    } else {
      const role = await ensureAppRole(client, url, embeddedPostgresConfig(env).dataDir).catch((error: Error) => {
        options.log?.(`Could not set up the least-privilege database role: ${error.message}`);
        return null;
      });
      if (role) {
        appUrl = role.url;
        appRole = "created-role";
      } else if (!warnedFallback.has(url)) {
        warnedFallback.add(url);
        options.log?.(
          `The database user of ${redactDatabaseUrl(url)} cannot create roles: working with its own privileges ` +
            `(see README, "Database roles", to give the product a role that cannot change the schema).`,
        );
      }
    }
    return { ...migrated, seededRegistry, appUrl, appRole, elapsedMs: Math.round(performance.now() - t0) };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

function defaultSeed(): SeedOptions {
  return { genesisTimestamp: Math.floor(Date.now() / 1000), dualActivationBlock: readConfig().MATHLEDGER_DUAL_ACTIVATION_BLOCK };
}
