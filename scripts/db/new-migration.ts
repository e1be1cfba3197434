/**
 * Writes the next migration after an edit of prisma/schema.prisma:
 * prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql with the SQL that takes a database from what the
 * existing migrations produce to the schema.
 *
 *   npx tsx scripts/db/new-migration.ts add_block_signer
 *   (review the SQL, then)  flock /tmp/mlpq-heavy.lock npx vitest run server/db
 *
 * How: `prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma --script`.
 * "The schema as of the last migration" is what replaying every migration into a temporary shadow database gives
 * (on DATABASE_URL's server, or the embedded PostgreSQL; prisma.config.ts gives the shadow database its own
 * connection and drops it afterwards), so hand edits to earlier migrations are accounted for and no schema snapshot
 * can drift. `prisma migrate dev` does not work offline here (shared/STACK.md).
 *
 * Hand edits are fine (a migration.sql is applied whole, as one multi-statement query, like Prisma's native
 * engine does): data backfills, DO blocks. Not inside a migration: CREATE INDEX CONCURRENTLY (it cannot run in the
 * implicit transaction), and features the schema cannot express (partial indexes, CHECK constraints), since the
 * migrations test then reports a difference from the schema.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveServerUrl } from "../../server/db/database-url";
import { localMigrations } from "../../server/db/migrate";
import { runPrismaCli } from "../../server/db/prisma-cli";
import { projectPath } from "../../server/db/project-root";

const rawName = process.argv[2];
if (!rawName) {
  console.error("usage: npx tsx scripts/db/new-migration.ts <name>   (e.g. add_block_signer)");
  process.exit(2);
}
const name = rawName.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");

const serverUrl = await resolveServerUrl({ log: (m) => console.error(m) });
const scratch = path.join(os.tmpdir(), `mlpq-migration-${process.pid}.sql`);
const res = await runPrismaCli(
  ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script", "-o", scratch],
  { databaseUrl: serverUrl },
);
if (res.code !== 0) {
  console.error(res.output.trim());
  process.exit(1);
}
const sql = await readFile(scratch, "utf8");
await rm(scratch, { force: true });
if (!sql.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("--"))) {
  console.log("prisma/schema.prisma matches the migrations: no migration written.");
  process.exit(0);
}

const dir = projectPath("prisma", "migrations", `${nextTimestamp()}_${name}`);
if (existsSync(dir)) throw new Error(`${dir} exists`);
await mkdir(dir);
await writeFile(path.join(dir, "migration.sql"), sql);
console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}:\n\n${sql}`);

/** UTC yyyymmddhhmmss, later than every existing migration so that the order stays right. */
function nextTimestamp(): string {
  let stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const last = localMigrations().at(-1)?.slice(0, 14);
  if (last && stamp <= last) stamp = String(BigInt(last) + 1n);
  return stamp;
}
