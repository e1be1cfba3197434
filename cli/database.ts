/**
 * How the online commands reach the chain: the worker's own pg pool (server/db/pg-pool.ts), so the CLI uses the
 * database the node uses. With DATABASE_URL set, that database; without it, the embedded PostgreSQL of the data
 * directory (MATHLEDGER_DATA_DIR, default <project>/.data) that `npm start` runs, started here if it is not running
 * (as `npm start` would). Pending migrations are applied first, as every process of the node does. The pool is
 * closed after the command.
 *
 * A database that cannot be reached is the operator's environment, not a bug in the CLI: it becomes
 * AppError("DATABASE_UNAVAILABLE"), exit 2, one line naming the database (password masked) and the reason.
 */
import type pg from "pg";
import { AppError, isAppError } from "../lib/errors";
import { canonicalTipNumber } from "../server/chain/epoch-registry";
import type { CommandContext } from "./command";

export interface ChainDatabase {
  pool: pg.Pool;
  /** The database's URL with the password masked, for output. */
  url: string;
}

/** Opens the node's database for one command; its pool is closed when the command ends. */
export async function openChainDatabase(context: CommandContext): Promise<ChainDatabase> {
  const env = context.env;
  const options = { env, log: (message: string) => context.stderr.write(`mathledger-cli: ${message}\n`) };
  // Loaded here, not at the top: pg costs the offline commands start-up time they do not need.
  const [{ getPgPool, getPgPoolOwnerUrl, closePgPool }, { embeddedPostgresConfig, redactDatabaseUrl }] = await Promise.all([
    import("../server/db/pg-pool"),
    import("../server/db/database-url"),
  ]);
  context.defer(closePgPool);
  try {
    const pool = await getPgPool(options);
    return { pool, url: redactDatabaseUrl(await getPgPoolOwnerUrl(options)) };
  } catch (error) {
    const target = env.DATABASE_URL ? `DATABASE_URL ${redactDatabaseUrl(env.DATABASE_URL)}` : embeddedTarget(() => embeddedPostgresConfig(env).dataDir);
    const hint = env.DATABASE_URL ? "; check DATABASE_URL, or unset it to use the embedded PostgreSQL of `npm start`" : "";
    throw new AppError("DATABASE_UNAVAILABLE", `cannot open the database (${target}): ${firstLine(error)}${hint}`);
  }
}

/**
 * Opens the database and runs `fn` with it. A connection lost or refused while `fn` runs is reported as
 * DATABASE_UNAVAILABLE too; every other error passes through unchanged.
 */
export async function withChainDatabase<T>(context: CommandContext, fn: (db: ChainDatabase) => Promise<T>): Promise<T> {
  const db = await openChainDatabase(context);
  try {
    return await fn(db);
  } catch (error) {
    if (isAppError(error)) throw error;
    const reason = await unavailableReason(error);
    if (reason) throw new AppError("DATABASE_UNAVAILABLE", `the database ${db.url} is unreachable (${reason}): ${firstLine(error)}`);
    throw error;
  }
}

/** The error for a height with no canonical block: exit 2, naming the tip so the operator can pick a height. */
export async function noCanonicalBlock(pool: pg.Pool, blockNumber: number): Promise<AppError> {
  const tip = await canonicalTipNumber(pool);
  return new AppError("BLOCK_NOT_FOUND", `no canonical block ${blockNumber} (${tip < 0 ? "the chain is empty" : `the tip is ${tip}`})`);
}

/**
 * Why `error` means the database cannot be reached, or null. The classification is the web layer's (the same
 * failures answer 503 there), loaded only on this error path.
 */
async function unavailableReason(error: unknown): Promise<string | null> {
  const { databaseUnavailableReason } = await import("../server/db/database-errors");
  return databaseUnavailableReason(error);
}

function embeddedTarget(dataDir: () => string): string {
  try {
    return `the embedded PostgreSQL in ${dataDir()}`;
  } catch {
    return "the embedded PostgreSQL";
  }
}

/** The first line of an error's message, without a repeated "Cannot connect to ..." prefix naming the URL again. */
function firstLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
  return message.replace(/^Cannot connect to (DATABASE_URL )?\([^)]*\):\s*|^Cannot connect to \S+:\s*/, "") || "unknown error";
}
