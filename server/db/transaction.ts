/**
 * One transaction on a client of `pool`: BEGIN (with `begin`'s options), an optional transaction-scoped advisory lock,
 * `fn`, COMMIT; any error rolls back whole and is rethrown. The client is always released.
 */
import type pg from "pg";

export interface TransactionOptions {
  /** The BEGIN statement (default "BEGIN"), e.g. "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY". */
  begin?: string;
  /** pg_advisory_xact_lock key held for the rest of the transaction. */
  lockKey?: number;
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  try {
    const begin = options.begin ?? "BEGIN";
    if (options.lockKey === undefined) await client.query(begin);
    else {
      // One round trip for both (a simple-protocol query may hold several statements; the key is an integer we own).
      if (!Number.isSafeInteger(options.lockKey)) throw new RangeError(`an advisory lock key must be an integer, got ${options.lockKey}`);
      await client.query(`${begin}; SELECT pg_advisory_xact_lock(${options.lockKey})`);
    }
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
