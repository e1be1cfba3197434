/**
 * The migrations in prisma/migrations produce exactly prisma/schema.prisma, through the same offline Prisma CLI path
 * the application uses (prisma.config.ts: WASM schema engine over @prisma/adapter-pg).
 *
 * Runs on the server of DATABASE_URL when set, otherwise on the embedded PostgreSQL.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, Prisma, type PrismaClient } from "./client";
import { createDatabaseIfMissing, dropDatabaseIfExists, resolveServerUrl, withDatabase } from "./database-url";
import { localMigrations, migrateDatabase, migrationState } from "./migrate";
import { runPrismaCli } from "./prisma-cli";
import { projectPath, projectRoot } from "./project-root";
import { uniqueTestDatabaseName } from "./test-database";

let serverUrl: string;
let name: string;
let url: string;

beforeAll(async () => {
  serverUrl = await resolveServerUrl();
  name = uniqueTestDatabaseName();
  await createDatabaseIfMissing(serverUrl, name);
  url = withDatabase(serverUrl, name);
});

afterAll(async () => {
  if (name) await dropDatabaseIfExists(serverUrl, name);
});

describe("migrateDatabase", () => {
  it("applies every migration to an empty database", async () => {
    expect((await migrationState(url)).pending).toEqual(localMigrations());
    const result = await migrateDatabase(url);
    expect(result.applied).toEqual(localMigrations());
    expect(await migrationState(url)).toEqual({ applied: localMigrations(), pending: [], failed: [], unknown: [] });
  });

  it("is idempotent once applied: nothing applied", async () => {
    const result = await migrateDatabase(url);
    expect(result.applied).toEqual([]);
  });

  it("serialises concurrent callers: each migration is applied once", async () => {
    const other = uniqueTestDatabaseName();
    await createDatabaseIfMissing(serverUrl, other);
    const otherUrl = withDatabase(serverUrl, other);
    try {
      const results = await Promise.all([migrateDatabase(otherUrl), migrateDatabase(otherUrl)]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, localMigrations().length]);
    } finally {
      await dropDatabaseIfExists(serverUrl, other);
    }
  });
});

describe("prisma/migrations against prisma/schema.prisma", () => {
  it("prisma migrate status reports the migrated database up to date", async () => {
    const res = await runPrismaCli(["migrate", "status"], { databaseUrl: url });
    expect(res.output).toContain("Database schema is up to date");
    expect(res.code).toBe(0);
  });

  it("replaying the migrations gives exactly the schema (migrate diff --from-migrations is empty)", async () => {
    const res = await runPrismaCli(
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"],
      { databaseUrl: url },
    );
    expect(res.output).toContain("No difference detected");
    expect(res.code).toBe(0);
  });

  it("the same check fails on a schema change that no migration carries", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-schema-"));
    try {
      const schema = await readFile(projectPath("prisma", "schema.prisma"), "utf8");
      const changed = schema.replace(/(model Lease \{\n)/, "$1  note String?\n");
      expect(changed).not.toBe(schema);
      await writeFile(path.join(dir, "schema.prisma"), changed);
      const res = await runPrismaCli(
        ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", path.join(dir, "schema.prisma"), "--exit-code"],
        { databaseUrl: url },
      );
      expect(res.code).toBe(2);
      expect(res.output).toMatch(/leases/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("prisma.config.ts applies a migration.sql whole, as PostgreSQL reads it (semicolons in comments and strings, DO blocks)", async () => {
    // A scratch copy of the project's Prisma setup with one extra migration; adapter-pg alone would split on ";".
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-semicolons-"));
    const other = uniqueTestDatabaseName();
    await createDatabaseIfMissing(serverUrl, other);
    try {
      await cp(projectPath("prisma"), path.join(dir, "prisma"), { recursive: true });
      await cp(projectPath("prisma.config.ts"), path.join(dir, "prisma.config.ts"));
      await cp(projectPath("package.json"), path.join(dir, "package.json"));
      await symlink(path.join(projectRoot(), "node_modules"), path.join(dir, "node_modules"));
      const extra = path.join(dir, "prisma", "migrations", "99999999999999_semicolons");
      await mkdir(extra);
      await writeFile(
        path.join(extra, "migration.sql"),
        `-- a comment; with a semicolon\nDO $$ BEGIN PERFORM 1; END $$;\nCREATE TABLE "semi" ("a" TEXT DEFAULT 'x;y');\n`,
      );
      const res = await runPrismaCli(["migrate", "deploy"], { databaseUrl: withDatabase(serverUrl, other), cwd: dir });
      expect(res.code, res.output).toBe(0);
      const client = new pg.Client({ connectionString: withDatabase(serverUrl, other) });
      await client.connect();
      const { rows } = await client.query(`INSERT INTO semi DEFAULT VALUES RETURNING a`);
      await client.end();
      expect(rows[0].a).toBe("x;y");
    } finally {
      await rm(dir, { recursive: true, force: true });
      await dropDatabaseIfExists(serverUrl, other);
    }
  });

  it("prisma/migrations/migration_lock.toml names postgresql", async () => {
    expect(await readFile(projectPath("prisma", "migrations", "migration_lock.toml"), "utf8")).toMatch(
      /provider = "postgresql"/,
    );
  });
});

describe("the migrated database through the generated client", () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(url, { poolMax: 2 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  const block = (contentId: string) => ({
    contentId,
    blockNumber: 7,
    timestamp: 1_700_000_000n,
    prevHash: `0x${"00".repeat(32)}`,
    merkleRoot: `0x${"11".repeat(32)}`,
    legacyHash: `0x${"22".repeat(32)}`,
    statementCount: 2,
    canonical: true,
    verdict: "INVALID",
    source: "import",
    rawJson: { number: 7, statements: ["a", "b"] },
  });

  it("stores a block with its statements and violations, and deleting it cascades", async () => {
    const created = await prisma.block.create({
      data: {
        ...block("0xc1"),
        statements: { create: [{ position: 0, text: "a" }, { position: 1, text: "b" }] },
        violations: { create: [{ code: "MERKLE_ROOT_MISMATCH", severity: "error", message: "root differs" }] },
      },
      include: { statements: { orderBy: { position: "asc" } }, violations: true },
    });
    expect(typeof created.id).toBe("bigint");
    expect(created.statements.map((s) => s.text)).toEqual(["a", "b"]);
    expect(created.violations[0].code).toBe("MERKLE_ROOT_MISMATCH");
    expect(created.rawJson).toEqual({ number: 7, statements: ["a", "b"] });
    expect(created.receivedAt).toBeInstanceOf(Date);

    await prisma.block.delete({ where: { id: created.id } });
    expect(await prisma.statement.count({ where: { blockId: created.id } })).toBe(0);
    expect(await prisma.violation.count({ where: { blockId: created.id } })).toBe(0);
  });

  it("rejects a second block with the same contentId (P2002), which makes ingest idempotent", async () => {
    await prisma.block.create({ data: block("0xc2") });
    const error = await prisma.block.create({ data: block("0xc2") }).catch((e) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(error.code).toBe("P2002");
  });

  it("rejects two statements at the same position of a block", async () => {
    const { id } = await prisma.block.create({ data: block("0xc3") });
    await expect(
      prisma.statement.createMany({ data: [{ blockId: id, position: 0, text: "x" }, { blockId: id, position: 0, text: "y" }] }),
    ).rejects.toThrow();
  });
});
