/**
 * The Prisma client, one per process: the Rust-free client generated into server/db/generated (by `prisma generate`,
 * run on npm install) over @prisma/adapter-pg and a pg Pool.
 *
 * `getDatabase()` is how the web server, the worker and the CLI get at the database: it resolves the URL
 * (DATABASE_URL or the embedded PostgreSQL, see database-url.ts), applies pending migrations once, and returns the
 * cached client. Deliberately no `import "server-only"`: the worker and the CLI load this outside Next.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { resolveDatabase, type ResolveOptions } from "./database-url";
import { Prisma, PrismaClient } from "./generated/client";
import { prepareDatabase } from "./prepare-database";

export { Prisma, PrismaClient };

export interface PrismaClientOptions {
  /** Maximum connections in the pg pool (default 10). */
  poolMax?: number;
}

/** A new client for `url`. Call `$disconnect()` when done; prefer getDatabase() in application code. */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: options.poolMax ?? 10 });
  return new PrismaClient({ adapter });
}

interface DatabaseCache {
  url?: string;
  client?: PrismaClient;
  ready?: Promise<{ url: string; client: PrismaClient }>;
}

// Kept on globalThis so that Next's dev-mode module reloading reuses one pool instead of leaking one per reload.
const globalForDb = globalThis as typeof globalThis & { __mathledgerDb?: DatabaseCache };
const cache: DatabaseCache = (globalForDb.__mathledgerDb ??= {});

/**
 * The process's client for the project database, migrated. The first call resolves and migrates; later calls
 * return the same client. A failed first attempt is not cached, so a later call retries.
 */
export async function getDatabase(options: ResolveOptions = {}): Promise<PrismaClient> {
  return (await ready(options)).client;
}

/** The URL of the project database, resolved and migrated as by getDatabase() (for raw pg access, e.g. COPY). */
export async function getDatabaseUrl(options: ResolveOptions = {}): Promise<string> {
  return (await ready(options)).url;
}

/** Disconnects the process's client (for clean shutdown of the worker and the CLI). */
export async function disconnectDatabase(): Promise<void> {
  const client = cache.client;
  cache.client = undefined;
  cache.url = undefined;
  cache.ready = undefined;
  await client?.$disconnect();
}

function ready(options: ResolveOptions) {
  cache.ready ??= (async () => {
    const { url: ownerUrl } = await resolveDatabase(options);
    // Prepared as the owner; the client works through the least-privilege role (server/db/app-role.ts).
    const { appUrl: url } = await prepareDatabase(ownerUrl, { log: options.log, env: options.env });
    const client = createPrismaClient(url);
    cache.url = url;
    cache.client = client;
    return { url, client };
  })().catch((error) => {
    cache.ready = undefined;
    throw error;
  });
  return cache.ready;
}
