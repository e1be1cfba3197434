/**
 * The Prisma CLI against the project's database: DATABASE_URL, or the embedded PostgreSQL (started if needed).
 *
 *   npx tsx scripts/db/prisma.ts migrate status
 *   npx tsx scripts/db/prisma.ts migrate deploy
 *
 * Plain `npx prisma ...` also works when DATABASE_URL is set, but stays alive ~10 s after finishing (see
 * server/db/prisma-cli-preload.cjs).
 */
import { resolveDatabaseUrl } from "../../server/db/database-url";
import { runPrismaCli } from "../../server/db/prisma-cli";

const url = await resolveDatabaseUrl({ log: (m) => console.error(m) });
const { code } = await runPrismaCli(process.argv.slice(2), { databaseUrl: url, inherit: true });
process.exit(code);
