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

type Queryable = pg.Pool | pg.ClientBase;

const EPOCH_COLUMNS = "start_block, end_block, algorithm_id, algorithm_name, rule_version, activation_timestamp, governance_hash";
/** Serialises registry changes across processes (advisory lock key "MLEP"). */
const REGISTRY_LOCK_KEY = 0x4d4c4550;

export async function loadEpochRegistry(db: Queryable): Promise<Epoch[]> {
  const { rows } = await db.query<EpochRow>(`SELECT ${EPOCH_COLUMNS} FROM epochs ORDER BY start_block`);
  return rows.map(epochFromRow);
}

async function writeRegistry(client: pg.ClientBase, epochs: Epoch[]): Promise<void> {
  validateEpochRegistry(epochs);
  await client.query("DELETE FROM epochs");
  for (const e of epochs) {
    await client.query(
      `INSERT INTO epochs (${EPOCH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.start_block, e.end_block, e.algorithm_id, e.algorithm_name, e.rule_version, Math.round(e.activation_timestamp), e.governance_hash],
    );
  }
}

/** Runs `fn` in a transaction holding the registry lock, on a client of `db` (a pool) or on `db` itself. */
async function inRegistryTransaction<T>(db: pg.Pool | pg.ClientBase, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const pooled = "totalCount" in db ? await (db as pg.Pool).connect() : null;
  const client: pg.ClientBase = pooled ?? (db as pg.ClientBase);
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
    pooled?.release();
  }
}

export interface SeedOptions {
  genesisTimestamp: number;
  dualActivationBlock?: number;
}

/**
 * On an empty `epochs` table, stores the devnet default registry. Returns the registry in force either way.
 * `db` is a pool, or a connected client outside any transaction.
 */
export async function ensureEpochRegistry(db: pg.Pool | pg.ClientBase, options: SeedOptions): Promise<Epoch[]> {
  return inRegistryTransaction(db, async (client) => {
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
export async function registerEpochInTransaction(client: pg.ClientBase, epoch: Epoch, finalityDepth = DEFAULT_FORK_CHOICE_PARAMS.finalityDepth): Promise<Epoch[]> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [REGISTRY_LOCK_KEY]);
  const current = await loadEpochRegistry(client);
  if (current.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "there is no epoch registry to extend");
  const tip = await canonicalTipNumber(client);
  const finalized = finalizedHeight(tip, { ...DEFAULT_FORK_CHOICE_PARAMS, finalityDepth });
  const next = registerEpoch(current, epoch, { finalizedHeight: finalized < 0 ? null : finalized });
  await writeRegistry(client, next);
  return next;
}

/**
 * Makes `epochs` (the registry carried by an export file) the registry in force before its blocks are imported.
 * On a database with no blocks yet it is written, replacing any registry seeded by default (a fresh node has only
 * that); on a database holding blocks it must equal the stored one, since blocks already judged under one registry
 * cannot be re-judged under another: AppError("REGISTRY_MISMATCH") otherwise. Returns what happened.
 */
export async function adoptImportedRegistry(pool: pg.Pool, epochs: Epoch[]): Promise<"adopted" | "same"> {
  return inRegistryTransaction(pool, async (client) => {
    // No block may be stored between the emptiness check and the commit (an ingest would judge it by the old one).
    await client.query("LOCK TABLE blocks IN SHARE MODE");
    const current = await loadEpochRegistry(client);
    if (registryKey(current) === registryKey(epochs)) return "same";
    const { rowCount } = await client.query("SELECT 1 FROM blocks LIMIT 1");
    if (rowCount) {
      throw new AppError(
        "REGISTRY_MISMATCH",
        `the file's epoch registry differs from this node's, which already holds blocks; import it into a fresh database ` +
          `(file: ${describeRegistry(epochs)}; node: ${describeRegistry(current)})`,
      );
    }
    await writeRegistry(client, epochs);
    return "adopted";
  });
}

/** Compared by value, field by field (as stored: whole seconds), whatever the key order of the parsed JSON. */
function registryKey(epochs: Epoch[]): string {
  return JSON.stringify(
    epochs.map((e) => [e.start_block, e.end_block, e.algorithm_id, e.algorithm_name, e.rule_version, Math.round(e.activation_timestamp), e.governance_hash]),
  );
}

function describeRegistry(epochs: Epoch[]): string {
  return epochs.length === 0 ? "none" : epochs.map((e) => `${e.start_block}:${e.rule_version}/${e.algorithm_name}`).join(", ");
}
