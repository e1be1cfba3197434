/**
 * A plain pg Pool on the project database, for the paths where Prisma's per-row overhead matters (bulk ingest with
 * INSERT ... SELECT FROM unnest, advisory locks held across transactions). One per process, like the Prisma client.
 */
import pg from "pg";
import { resolveDatabase, type ResolveOptions } from "./database-url";
import { prepareDatabase } from "./prepare-database";

// int8 (bigint) comes back as a string by default; on this pool it becomes a number, since block numbers,
// timestamps and row ids all stay below 2^53. Set per pool, not globally: Prisma's adapter shares the pg module and
// must keep exact bigints.
const INT8_OID = 20;
const poolTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

interface ProcessPool {
  pool: pg.Pool;
  /** The URL the database was resolved and prepared through (the owner's: what the operator configured). */
  ownerUrl: string;
}

const globalForPool = globalThis as typeof globalThis & { __mathledgerPgPool?: Promise<ProcessPool> };

/** The process's pg pool on the migrated project database. */
export async function getPgPool(options: ResolveOptions = {}): Promise<pg.Pool> {
  return (await processPool(options)).pool;
}

/** The URL the process's database was resolved through (DATABASE_URL or the embedded superuser's), for messages. */
export async function getPgPoolOwnerUrl(options: ResolveOptions = {}): Promise<string> {
  return (await processPool(options)).ownerUrl;
}

function processPool(options: ResolveOptions): Promise<ProcessPool> {
  // Resolved and migrated directly (not through client.ts), so a process that only needs pg does not pay for loading
  // the Prisma client (about 0.45 s per CLI call).
  globalForPool.__mathledgerPgPool ??= resolveDatabase(options)
    .then(async ({ url }) => {
      // Prepared as the owner; the pool works through the least-privilege role (server/db/app-role.ts).
      const { appUrl } = await prepareDatabase(url, { log: options.log, env: options.env });
      return { pool: createPgPool(appUrl, { statementTimeoutMs: PROCESS_STATEMENT_TIMEOUT_MS }), ownerUrl: url };
    })
    .catch((error) => {
      globalForPool.__mathledgerPgPool = undefined;
      throw error;
    });
  return globalForPool.__mathledgerPgPool;
}

/**
 * Connecting gives up after this long: a DATABASE_URL naming an unreachable host, or a server that accepts TCP but
 * does not answer (frozen, overloaded), must fail in seconds, not after the OS's TCP timeout, so that a page can
 * answer 503 quickly. A stopped server refuses at once anyway.
 */
export const CONNECT_TIMEOUT_MS = 3_000;
/**
 * The process pool's server-side statement timeout: no request or worker tick can hang on one statement forever.
 * Generous, because an import batch's INSERTs and a 1000-block push are single statements that take seconds on a
 * loaded machine, never a minute.
 */
export const PROCESS_STATEMENT_TIMEOUT_MS = 60_000;

export interface PgPoolOptions {
  /** Maximum connections (default 5). */
  max?: number;
  /** Server-side statement_timeout in ms (default: none). */
  statementTimeoutMs?: number;
}

/** A new pool for `url` (tests use this with a test database). */
export function createPgPool(url: string, options: PgPoolOptions | number = {}): pg.Pool {
  const { max = 5, statementTimeoutMs } = typeof options === "number" ? { max: options } : options;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: poolTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A server that vanishes without closing the socket (host down, cable pulled) is noticed by TCP keepalive.
    keepAlive: true,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
  });
  // An idle client that loses its connection (PostgreSQL restarted) must not crash the process: the pool drops it
  // and opens a new connection on the next query, which is how every process reconnects by itself after an outage.
  pool.on("error", () => undefined);
  // A client checked out of the pool (an import's advisory-lock session, a transaction between two statements) has no
  // listener of the pool's: losing its connection while it waits would emit an unhandled 'error' and kill the
  // process. With this one the loss surfaces as the next query's error instead (an outage, handled by the caller),
  // and the pool discards the client when it is released.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/** Closes the process's pool (clean shutdown). */
export async function closePgPool(): Promise<void> {
  const pending = globalForPool.__mathledgerPgPool;
  globalForPool.__mathledgerPgPool = undefined;
  if (pending) await (await pending).pool.end();
}
