/**
 * The governance registry in PostgreSQL: seeding it from a genesis file and loading it (config + members).
 *
 * Members change only through the genesis today, so a loaded registry is cached per pool; seeding clears the cache.
 */
import type pg from "pg";
import { withTransaction } from "../db/transaction";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { AppError } from "../../lib/errors";
import { toHex } from "../../lib/encoding/hex";
import { canonicalJson } from "../../lib/governance/message";
import type { Genesis, GovernanceParams, Member, Role } from "../../lib/governance/members";

export type Queryable = pg.Pool | pg.PoolClient;

export interface GovernanceRegistry {
  networkId: string;
  params: GovernanceParams;
  genesisHash: string;
  members: Map<string, Member>;
}

const cache = new WeakMap<pg.Pool, Promise<GovernanceRegistry>>();

export function genesisHash(genesis: Genesis): string {
  return toHex(sha3_256(new TextEncoder().encode(canonicalJson(genesis))));
}

/**
 * Stores `genesis` on a database without one; on a database with one, checks it is the same genesis (a node must not
 * silently switch to another member registry). Returns the stored registry.
 */
export async function seedGovernance(pool: pg.Pool, genesis: Genesis): Promise<GovernanceRegistry> {
  const hash = genesisHash(genesis);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [GOVERNANCE_LOCK_KEY]);
    const { rows } = await client.query<{ genesis_hash: string; network_id: string }>("SELECT genesis_hash, network_id FROM governance_config WHERE id = 1");
    if (rows.length > 0) {
      if (rows[0].genesis_hash !== hash) {
        throw new AppError("INVALID_GENESIS", `this database already holds governance genesis ${rows[0].genesis_hash} (network ${rows[0].network_id}); the genesis given hashes to ${hash}`);
      }
    } else {
      await client.query("INSERT INTO governance_config (id, network_id, params, genesis_hash) VALUES (1, $1, $2, $3)", [genesis.network_id, JSON.stringify(genesis.params), hash]);
      for (const m of genesis.members) {
        await client.query(
          "INSERT INTO governance_members (id, name, roles, voting_power, ed25519_key, ml_dsa_65_key) VALUES ($1, $2, $3, $4, $5, $6)",
          [m.id, m.name, m.roles, m.voting_power, m.keys.ed25519, m.keys.ml_dsa_65],
        );
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  cache.delete(pool);
  return loadGovernance(pool);
}

/** True once a genesis is stored. */
export async function hasGovernance(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM governance_config WHERE id = 1");
  return (rowCount ?? 0) > 0;
}

async function readRegistry(pool: pg.Pool): Promise<GovernanceRegistry> {
  const { rows: config } = await pool.query<{ network_id: string; params: GovernanceParams; genesis_hash: string }>("SELECT network_id, params, genesis_hash FROM governance_config WHERE id = 1");
  if (config.length === 0) throw new AppError("NO_GOVERNANCE", "governance is not set up on this node: no genesis has been loaded (MATHLEDGER_GOVERNANCE_GENESIS, or the devnet's demo genesis)");
  const { rows } = await pool.query<{ id: string; name: string; roles: Role[]; voting_power: number; ed25519_key: string; ml_dsa_65_key: string }>(
    "SELECT id, name, roles, voting_power, ed25519_key, ml_dsa_65_key FROM governance_members ORDER BY id",
  );
  const members = new Map<string, Member>();
  for (const r of rows) members.set(r.id, { id: r.id, name: r.name, roles: r.roles, voting_power: Number(r.voting_power), keys: { ed25519: r.ed25519_key, ml_dsa_65: r.ml_dsa_65_key } });
  return { networkId: config[0].network_id, params: config[0].params, genesisHash: config[0].genesis_hash, members };
}

/** The registry (cached per pool; a failed load is not cached). */
export function loadGovernance(pool: pg.Pool): Promise<GovernanceRegistry> {
  let entry = cache.get(pool);
  if (!entry) {
    entry = readRegistry(pool).catch((error) => {
      cache.delete(pool);
      throw error;
    });
    cache.set(pool, entry);
  }
  return entry;
}

/** Serialises governance writes across processes (advisory lock key "MLGV"): the audit chain needs one order. */
export const GOVERNANCE_LOCK_KEY = 0x4d4c4756;

/** Runs `fn` in a transaction holding the governance lock; rolls back (nothing stored) on any error. */
export async function inGovernanceTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, fn, { lockKey: GOVERNANCE_LOCK_KEY });
}
