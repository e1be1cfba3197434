import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { resolveServerUrl } from "./database-url";
import { localMigrations, migrationState } from "./migrate";
import { createTestDatabase, TEST_DATABASE_PREFIX, type TestDatabase } from "./test-database";

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: await resolveServerUrl() });
  await admin.connect();
  try {
    return ((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount ?? 0) > 0;
  } finally {
    await admin.end();
  }
}

describe("createTestDatabase", () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(created.map((db) => db.drop()));
  });

  it("gives a fresh, uniquely named database with every migration applied", async () => {
    const db = await createTestDatabase();
    created.push(db);
    expect(db.name.startsWith(TEST_DATABASE_PREFIX)).toBe(true);
    expect(await migrationState(db.url)).toEqual({ applied: localMigrations(), pending: [], failed: [], unknown: [] });
    expect(await db.prisma.block.count()).toBe(0);
  });

  it("gives isolated databases, several at once", async () => {
    const dbs = await Promise.all([1, 2, 3, 4].map(() => createTestDatabase()));
    created.push(...dbs);
    expect(new Set(dbs.map((d) => d.name)).size).toBe(4);
    await dbs[0].prisma.lease.create({ data: { name: "devnet-producer", holder: "w1", expiresAt: new Date() } });
    expect(await dbs[0].prisma.lease.count()).toBe(1);
    expect(await dbs[1].prisma.lease.count()).toBe(0);
  });

  it("makes further databases as copies of the migrated template", async () => {
    await createTestDatabase().then((db) => created.push(db));
    const db = await createTestDatabase();
    created.push(db);
    expect(await db.prisma.block.count()).toBe(0);
  });

  it("drop() removes the database and can be called twice", async () => {
    const db = await createTestDatabase();
    await db.prisma.lease.deleteMany();
    await db.drop();
    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
  });
});
