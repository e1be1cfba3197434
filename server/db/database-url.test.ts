/**
 * Resolving the database: DATABASE_URL when set, otherwise a real embedded PostgreSQL in the data directory.
 * The embedded tests use a temporary data directory and a free port, and stop their server afterwards.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../http/free-port";
import {
  DEFAULT_EMBEDDED_PG_PORT,
  databaseName,
  dropDatabaseIfExists,
  embeddedPostgresConfig,
  redactDatabaseUrl,
  resolveDatabase,
  resolveServerUrl,
  withDatabase,
} from "./database-url";
import { runningEmbeddedPostgresPort, stopEmbeddedPostgres } from "./embedded-postgres";
import { projectRoot } from "./project-root";
import { uniqueTestDatabaseName } from "./test-database";


async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embeddedPostgresConfig", () => {
  it("defaults to <project>/.data on port 54329", () => {
    expect(embeddedPostgresConfig({})).toEqual({ dataDir: path.join(projectRoot(), ".data"), port: 54329 });
    expect(DEFAULT_EMBEDDED_PG_PORT).toBe(54329);
  });

  it("takes a relative MATHLEDGER_DATA_DIR from the project root, so every process agrees whatever its cwd", () => {
    expect(embeddedPostgresConfig({ MATHLEDGER_DATA_DIR: "var/x" }).dataDir).toBe(path.join(projectRoot(), "var/x"));
    expect(embeddedPostgresConfig({ MATHLEDGER_DATA_DIR: "/srv/ml" }).dataDir).toBe("/srv/ml");
  });

  it("rejects a port that is not 1-65535", () => {
    for (const bad of ["0", "65536", "abc", "54.3"]) {
      expect(() => embeddedPostgresConfig({ MATHLEDGER_EMBEDDED_PG_PORT: bad })).toThrow(/MATHLEDGER_EMBEDDED_PG_PORT/);
    }
  });
});

describe("resolveDatabase without DATABASE_URL (the embedded PostgreSQL)", () => {
  let dataDir: string;
  let port: number;
  const env = () => ({ MATHLEDGER_DATA_DIR: dataDir, MATHLEDGER_EMBEDDED_PG_PORT: String(port) });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "mlpq-embedded-"));
    port = await freePort();
  });

  afterAll(async () => {
    if (!dataDir) return;
    await stopEmbeddedPostgres(dataDir).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  it("initialises and starts a real PostgreSQL in <dataDir>/postgres and creates the database mathledger", async () => {
    const resolved = await resolveDatabase({ env: env() });
    expect(resolved.embedded).toMatchObject({ dataDir, port, started: true });
    expect(new URL(resolved.url).host).toBe(`127.0.0.1:${port}`);
    expect(databaseName(resolved.url)).toBe("mathledger");
    expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
    const [row] = await query(resolved.url, "SELECT version() AS v, current_database() AS db");
    expect(row.v).toMatch(/^PostgreSQL \d+/);
    expect(row.db).toBe("mathledger");
  });

  it("requires the generated password (no trust authentication)", async () => {
    const resolved = await resolveDatabase({ env: env() });
    const noPassword = new URL(resolved.url);
    noPassword.password = "";
    await expect(query(noPassword.toString(), "SELECT 1")).rejects.toThrow();
  });

  it("finds the running server on a later call instead of starting a second one", async () => {
    const first = await resolveDatabase({ env: env() });
    const again = await resolveDatabase({ env: env() });
    expect(again.url).toBe(first.url);
    expect(again.embedded?.started).toBe(false);
  });

  it("keeps the running server's port even when a later process asks for another", async () => {
    const other = await resolveDatabase({ env: { ...env(), MATHLEDGER_EMBEDDED_PG_PORT: String(port + 1) } });
    expect(other.embedded).toMatchObject({ port, started: false });
  });

  it("starts again after a crash that left a stale postmaster.pid", async () => {
    const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
    const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
    process.kill(pid, "SIGKILL");
    for (let i = 0; i < 100 && (await runningEmbeddedPostgresPort(dataDir)) !== null; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(existsSync(pidFile)).toBe(true);
    const resolved = await resolveDatabase({ env: env() });
    expect(resolved.embedded?.started).toBe(true);
    const [row] = await query(resolved.url, "SELECT current_database() AS db");
    expect(row.db).toBe("mathledger");
  });

  it("starts once when several callers race on a fresh data directory", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mlpq-embedded-race-"));
    const racePort = await freePort();
    try {
      const e = { MATHLEDGER_DATA_DIR: dir, MATHLEDGER_EMBEDDED_PG_PORT: String(racePort) };
      const results = await Promise.all([1, 2, 3].map(() => resolveDatabase({ env: e })));
      expect(results.filter((r) => r.embedded?.started)).toHaveLength(1);
      expect(new Set(results.map((r) => r.url)).size).toBe(1);
    } finally {
      await stopEmbeddedPostgres(dir).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stopEmbeddedPostgres stops the server, and reports false when none runs", async () => {
    expect(await stopEmbeddedPostgres(dataDir)).toBe(true);
    expect(await runningEmbeddedPostgresPort(dataDir)).toBeNull();
    expect(await stopEmbeddedPostgres(dataDir)).toBe(false);
  });
});

describe("resolveDatabase with DATABASE_URL", () => {
  it("uses it as given, creating its database when missing", async () => {
    const serverUrl = await resolveServerUrl();
    const name = uniqueTestDatabaseName();
    const url = withDatabase(serverUrl, name);
    try {
      const resolved = await resolveDatabase({ env: { DATABASE_URL: url } });
      expect(resolved).toEqual({ url, embedded: null });
      const [row] = await query(url, "SELECT current_database() AS db");
      expect(row.db).toBe(name);
    } finally {
      await dropDatabaseIfExists(serverUrl, name);
    }
  });
});

describe("redactDatabaseUrl", () => {
  it("masks the password and keeps the rest", () => {
    expect(redactDatabaseUrl("postgresql://postgres:s3cret@127.0.0.1:54329/mathledger")).toBe(
      "postgresql://postgres:***@127.0.0.1:54329/mathledger",
    );
    expect(redactDatabaseUrl("postgresql://postgres@127.0.0.1:5432/test")).toBe("postgresql://postgres@127.0.0.1:5432/test");
  });
});
