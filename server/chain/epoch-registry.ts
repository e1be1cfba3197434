/**
 * The epoch registry as stored in the `epochs` table: loading it, seeding the devnet default on a fresh database,
 * and registering a new epoch through the core's rules (registerEpoch), atomically.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { registerEpoch, validateEpochRegistry, type Epoch } from "../../lib/consensus/epochs";
import { finalizedHeight, DEFAULT_FORK_CHOICE_PARAMS } from "../../lib/consensus/fork-choice";
import { defaultDevnetRegistry } from "../../lib/devnet/default-registry";
import { epochFromRow, type EpochRow } from "./block-rows";

type Queryable = pg.Pool | pg.PoolClient;

const EPOCH_COLUMNS = "start_block, end_block, algorithm_id, algorithm_name, rule_version, activation_timestamp, governance_hash";
/** Serialises registry changes across processes (advisory lock key "MLEP"). */
const REGISTRY_LOCK_KEY = 0x4d4c4550;

export async function loadEpochRegistry(db: Queryable): Promise<Epoch[]> {
  const { rows } = await db.query<EpochRow>(`SELECT ${EPOCH_COLUMNS} FROM epochs ORDER BY start_block`);
  return rows.map(epochFromRow);
}

async function writeRegistry(client: pg.PoolClient, epochs: Epoch[]): Promise<void> {
  validateEpochRegistry(epochs);
  await client.query("DELETE FROM epochs");
  for (const e of epochs) {
    await client.query(
      `INSERT INTO epochs (${EPOCH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.start_block, e.end_block, e.algorithm_id, e.algorithm_name, e.rule_version, Math.round(e.activation_timestamp), e.governance_hash],
    );
  }
}

async function inRegistryTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [REGISTRY_LOCK_KEY]);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface SeedOptions {
  genesisTimestamp: number;
  dualActivationBlock?: number;
}

/** On an empty `epochs` table, stores the devnet default registry. Returns the registry in force either way. */
export async function ensureEpochRegistry(pool: pg.Pool, options: SeedOptions): Promise<Epoch[]> {
  return inRegistryTransaction(pool, async (client) => {
    const current = await loadEpochRegistry(client);
    if (current.length > 0) return current;
    const seeded = defaultDevnetRegistry(options.genesisTimestamp, options.dualActivationBlock);
    await writeRegistry(client, seeded);
    return seeded;
  });
}

/** Replaces the registry (e.g. a devnet configured from a file); refused if invalid. */
export async function replaceEpochRegistry(pool: pg.Pool, epochs: Epoch[]): Promise<void> {
  await inRegistryTransaction(pool, (client) => writeRegistry(client, epochs));
}

/** The canonical tip's block number, or -1 on an empty chain. */
export async function canonicalTipNumber(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number | null }>("SELECT max(block_number) AS n FROM blocks WHERE canonical");
  return rows[0].n === null ? -1 : Number(rows[0].n);
}

/**
 * Registers a new epoch (governance activation or emergency rollback): the open epoch is closed before it, and the
 * core refuses an activation at or below the finalized height. Returns the new registry.
 */
export async function registerEpochInDatabase(pool: pg.Pool, epoch: Epoch, finalityDepth = DEFAULT_FORK_CHOICE_PARAMS.finalityDepth): Promise<Epoch[]> {
  return inRegistryTransaction(pool, (client) => registerEpochInTransaction(client, epoch, finalityDepth));
}

/**
 * registerEpochInDatabase inside a transaction the caller already opened on `client` (governance registers an
 * approved proposal's epoch in the same transaction that records the decision, so both happen or neither does).
 * Takes the registry's advisory lock for the rest of that transaction.
 */
export async function registerEpochInTransaction(client: pg.PoolClient, epoch: Epoch, finalityDepth = DEFAULT_FORK_CHOICE_PARAMS.finalityDepth): Promise<Epoch[]> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [REGISTRY_LOCK_KEY]);
  const current = await loadEpochRegistry(client);
  if (current.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "there is no epoch registry to extend");
  const tip = await canonicalTipNumber(client);
  const finalized = finalizedHeight(tip, { ...DEFAULT_FORK_CHOICE_PARAMS, finalityDepth });
  const next = registerEpoch(current, epoch, { finalizedHeight: finalized < 0 ? null : finalized });
  await writeRegistry(client, next);
  return next;
}
