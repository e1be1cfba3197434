/**
 * Least privilege (issue 6 §4): after a database is prepared, the processes work through `<database>_app`, which can
 * read and write the application's tables but cannot change the schema or the migrations' bookkeeping.
 * Runs on the server of DATABASE_URL when set, otherwise on the embedded PostgreSQL (both make the owner a superuser).
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRoleName } from "./app-role";
import { createDatabaseIfMissing, dropDatabaseIfExists, resolveServerUrl, withDatabase } from "./database-url";
import { prepareDatabase } from "./prepare-database";
import { uniqueTestDatabaseName } from "./test-database";

let serverUrl: string;
let name: string;
let ownerUrl: string;
let dataDir: string;
const seed = { genesisTimestamp: 1_790_000_000, dualActivationBlock: 50 };

beforeAll(async () => {
  serverUrl = await resolveServerUrl();
  name = uniqueTestDatabaseName();
  await createDatabaseIfMissing(serverUrl, name);
  ownerUrl = withDatabase(serverUrl, name);
  dataDir = await mkdtemp(path.join(os.tmpdir(), "mlpq-app-role-"));
});

afterAll(async () => {
  if (name) await dropDatabaseIfExists(serverUrl, name);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function asApp<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sqlState = (promise: Promise<unknown>) => promise.then(() => "ok", (e: { code?: string }) => e.code ?? "error");

describe("prepareDatabase's least-privilege role", () => {
  let appUrl: string;

  it("creates <database>_app with a random password kept 0600 in the data directory", async () => {
    const result = await prepareDatabase(ownerUrl, { seed, env: { MATHLEDGER_DATA_DIR: dataDir } });
    expect(result.appRole).toBe("created-role");
    appUrl = result.appUrl;
    const url = new URL(appUrl);
    expect(decodeURIComponent(url.username)).toBe(appRoleName(name));
    const file = path.join(dataDir, "db-roles", `${appRoleName(name)}.password`);
    expect((await readFile(file, "utf8")).trim()).toBe(url.password);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("can read and write the application's tables", async () => {
    await asApp(appUrl, async (c) => {
      expect((await c.query("SELECT current_user AS u")).rows[0].u).toBe(appRoleName(name));
      expect((await c.query("SELECT count(*)::int AS n FROM epochs")).rows[0].n).toBe(2);
      await c.query("INSERT INTO leases (name, holder, expires_at) VALUES ('t', 'x', now())");
      await c.query("UPDATE leases SET holder = 'y' WHERE name = 't'");
      await c.query("DELETE FROM leases WHERE name = 't'");
    });
  });

  it("cannot change the schema or the migrations' records (42501 insufficient_privilege)", async () => {
    await asApp(appUrl, async (c) => {
      expect(await sqlState(c.query("CREATE TABLE evil (x int)"))).toBe("42501");
      expect(await sqlState(c.query("DROP TABLE blocks"))).toBe("42501");
      expect(await sqlState(c.query("ALTER TABLE blocks ADD COLUMN evil int"))).toBe("42501");
      expect(await sqlState(c.query("TRUNCATE blocks"))).toBe("42501");
      expect(await sqlState(c.query("DELETE FROM _prisma_migrations"))).toBe("42501");
      expect(await sqlState(c.query("CREATE ROLE evil"))).toBe("42501");
    });
  });

  it("a later preparation keeps the role and its password", async () => {
    const again = await prepareDatabase(ownerUrl, { seed, env: { MATHLEDGER_DATA_DIR: dataDir } });
    expect(again.appUrl).toBe(appUrl);
  });

  it("MATHLEDGER_APP_DATABASE_URL names the role to work through instead", async () => {
    const result = await prepareDatabase(ownerUrl, { seed, env: { MATHLEDGER_DATA_DIR: dataDir, MATHLEDGER_APP_DATABASE_URL: appUrl } });
    expect(result).toMatchObject({ appRole: "configured", appUrl });
  });
});
