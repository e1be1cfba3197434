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
      return { pool: createPgPool(appUrl), ownerUrl: url };
    })
    .catch((error) => {
      globalForPool.__mathledgerPgPool = undefined;
      throw error;
    });
  return globalForPool.__mathledgerPgPool;
}

/** A new pool for `url` (tests use this with a test database). */
export function createPgPool(url: string, max = 5): pg.Pool {
  // A DATABASE_URL naming an unreachable host must fail in seconds, not after the OS's TCP timeout.
  const pool = new pg.Pool({ connectionString: url, max, types: poolTypes, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its connection (server restart) must not crash the process.
  pool.on("error", () => undefined);
  return pool;
}

/** Closes the process's pool (clean shutdown). */
export async function closePgPool(): Promise<void> {
  const pending = globalForPool.__mathledgerPgPool;
  globalForPool.__mathledgerPgPool = undefined;
  if (pending) await (await pending).pool.end();
}
