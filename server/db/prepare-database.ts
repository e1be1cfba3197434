/**
 * Making a database ready for the product: the one step every entry point (web server, worker, CLI, `npm start`)
 * runs before its first query.
 *
 *  1. applies the migrations, each with its record in one transaction (migrate.ts), so a kill at any moment of a
 *     first start leaves a database the next start opens;
 *  2. seeds the default epoch registry (the devnet's, as the worker always did) when the database has none, so a
 *     fresh database works for every entry point alone: `mathledger-cli import` needs no worker to have run first.
 *     An import whose file carries its own registry replaces this default while the chain is still empty.
 *
 * Both steps run under the migration advisory lock, so processes starting together do them once.
 */
import { ensureEpochRegistry, type SeedOptions } from "../chain/epoch-registry";
import { readConfig } from "../config";
import { connect, migrateLocked, MIGRATION_LOCK_KEY, type MigrateResult } from "./migrate";

export interface PrepareOptions {
  log?: (message: string) => void;
  /** The default registry's parameters; from the environment (MATHLEDGER_DUAL_ACTIVATION_BLOCK) and the clock. */
  seed?: SeedOptions;
}

export interface PrepareResult extends MigrateResult {
  /** True when this call stored the default epoch registry. */
  seededRegistry: boolean;
}

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
    return { ...migrated, seededRegistry, elapsedMs: Math.round(performance.now() - t0) };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

function defaultSeed(): SeedOptions {
  return { genesisTimestamp: Math.floor(Date.now() / 1000), dualActivationBlock: readConfig().MATHLEDGER_DUAL_ACTIVATION_BLOCK };
}
