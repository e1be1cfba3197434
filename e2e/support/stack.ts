/**
 * The full product started for the browser tests, as a user starts it: `npm start` (scripts/start.ts: database,
 * migrations, build when stale, web server and worker) on a fresh database, a free port and a fast devnet.
 *
 * Database: with DATABASE_URL set, a new uniquely named database on that server (dropped afterwards); without it, the
 * embedded PostgreSQL in a temporary data directory on a free port (stopped and deleted afterwards). Nothing is
 * shared with a developer's own `npm start` (its data directory, its port 3000, the embedded default port 54329).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

import pg from "pg";

import { freePort } from "../../server/http/free-port";

export { freePort };

/** Seconds between devnet blocks in the tests: fast enough to watch blocks arrive and to pass the activation. */
export const E2E_DEVNET_INTERVAL = "0.5";
/** Where the test registry activates the dual (v2-dual-required, SHA3-256) epoch: ~10 s after the first block. */
export const E2E_DUAL_ACTIVATION_BLOCK = 20;
/**
 * Governance parameters for a stack that runs a proposal to its end (StackOptions.governanceParams): voting closes
 * 40 s after review consensus (the demo's 600 s would make the rehearsal wait ten minutes), and an approved
 * activation needs 20 blocks of lead (10 s of devnet) instead of 100.
 */
export const E2E_FAST_GOVERNANCE_PARAMS = { voting_period_seconds: 40, activation_lead_blocks: 20, attestation_period_seconds: 3600 };
/** Cold start may include `next build` on a busy 2-core machine. */
const START_TIMEOUT_MS = 10 * 60_000;

export interface RunningStack {
  baseUrl: string;
  /** npm start's pid (the web server and the worker are its descendants). */
  pid: number;
  /** The environment that reaches the same database (for the import helper). */
  databaseEnv: Record<string, string>;
  /** The data directory `npm start` was given. */
  dataDir: string;
  /** What `npm start` printed so far (its banner names the data directory and the cluster). */
  output(): string;
  /** The product's combined output (npm start, web server, worker), for the secret-leak test. */
  logFile: string;
  stop(): Promise<void>;
}

export function projectRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}


async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * `url` with a random password when the server accepts it (a trust-auth server, like CI's, never asks for one), so
 * that the secret-leak test (e2e/security.spec.ts) has a database password to look for in pages, scripts and logs;
 * `url` unchanged when the server checks passwords (then it already carries the real one, or none is needed).
 */
async function withTestPassword(url: string): Promise<string> {
  const u = new URL(url);
  if (u.password) return url;
  u.password = `e2e-db-pw-${randomBytes(12).toString("hex")}`;
  try {
    await withAdmin(u.toString(), (c) => c.query("SELECT 1"));
    return u.toString();
  } catch {
    return url;
  }
}

/** Every live descendant of `pid` (children in their own process groups included), from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (ppid) follows the command name, which is parenthesised and may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === current) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

async function waitUntilGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = left.filter(alive);
  }
  return left;
}

function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export interface StackOptions {
  /** "auto" (default): a database on DATABASE_URL's server when set, else embedded; "embedded": always embedded. */
  database?: "auto" | "embedded";
  /** Keep the temporary directory holding the data directory at mode 0700, as a clone under /root would be. */
  privateDataDir?: boolean;
  /** Environment variables applied last (the validate-api benchmark turns the devnet off with them). */
  env?: Record<string, string>;
  /** The demo genesis's parameters (default: the product's demo values); needs the devnet on. */
  governanceParams?: typeof E2E_FAST_GOVERNANCE_PARAMS;
}

/** Starts the product; resolves once GET /api/health answers 200 (database reachable, worker beating). */
export async function startStack(log: (message: string) => void = console.log, options: StackOptions = {}): Promise<RunningStack> {
  const root = projectRoot();
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "mlpq-e2e-"));
  // mkdtemp makes it 0700. Opened up unless the test wants a private directory: as root the embedded PostgreSQL runs
  // as the user "postgres", and npm start must then put the cluster elsewhere by itself.
  if (!options.privateDataDir) chmodSync(tempDir, 0o711);
  const dataDir = path.join(tempDir, "data");
  mkdirSync(dataDir);
  const logFile = path.join(tempDir, "server.log");
  const port = await freePort();
  const useServer = Boolean(process.env.DATABASE_URL) && options.database !== "embedded";

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    PORT: String(port),
    MATHLEDGER_DATA_DIR: dataDir,
    MATHLEDGER_DEVNET: "on",
    MATHLEDGER_DEVNET_INTERVAL: E2E_DEVNET_INTERVAL,
    MATHLEDGER_DUAL_ACTIVATION_BLOCK: String(E2E_DUAL_ACTIVATION_BLOCK),
    // Drift events stay open until an operator acts (radar.spec.ts acknowledges, silences and resolves them).
    MATHLEDGER_RADAR_RESOLVE_AFTER: "100000",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  Object.assign(env, options.env ?? {});
  delete env.MATHLEDGER_NODE_TOKEN;
  if (!useServer) delete env.DATABASE_URL;

  let dropDatabase: (() => Promise<void>) | null = null;
  const databaseEnv: Record<string, string> = { MATHLEDGER_DATA_DIR: dataDir };
  if (useServer) {
    const serverUrl = process.env.DATABASE_URL!;
    const name = `mlpq_e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    env.DATABASE_URL = await withTestPassword(withDatabase(serverUrl, name));
    databaseEnv.DATABASE_URL = env.DATABASE_URL;
    dropDatabase = () =>
      withAdmin(serverUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(`${name}_app`)}`); // its least-privilege role
      });
    log(`[e2e] fresh database ${name} on the server of DATABASE_URL`);
  } else {
    const pgPort = await freePort();
    env.MATHLEDGER_EMBEDDED_PG_PORT = String(pgPort);
    databaseEnv.MATHLEDGER_EMBEDDED_PG_PORT = String(pgPort);
    log(`[e2e] fresh embedded PostgreSQL in ${dataDir} on port ${pgPort}`);
  }

  if (options.governanceParams) {
    // The demo genesis as npm start would write it (members, key files, passphrase), with other parameters: a first
    // start that finds these files in <data dir>/devnet-keys seeds them (server/governance/genesis-setup.ts).
    const { writeDemoGenesis } = await import("../../server/governance/genesis-setup");
    await writeDemoGenesis(path.join(dataDir, "devnet-keys"), options.governanceParams);
  }

  const out = openSync(logFile, "a");
  const child: ChildProcess = spawn("npm", ["start"], { cwd: root, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const pid = child.pid!;
  let exited: string | null = null;
  child.on("exit", (code, sig) => (exited = `exit ${sig ?? code}`));
  const baseUrl = `http://127.0.0.1:${port}`;
  log(`[e2e] npm start (pid ${pid}) on ${baseUrl}; log: ${logFile}`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Everything npm start runs: the web server and the worker lead their own process groups, so collect them all.
    const tree = [pid, ...descendants(pid)];
    signal(-pid, "SIGTERM"); // scripts/start.ts stops its children and the embedded PostgreSQL it started
    let left = await waitUntilGone(tree, 20_000);
    if (left.length) {
      log(`[e2e] force-killing ${left.length} process(es) that ignored SIGTERM`);
      for (const p of left) signal(p, "SIGKILL");
      left = await waitUntilGone(left, 5_000);
    }
    if (!useServer) {
      // If start.ts was killed before it could stop the embedded server, stop it here; remove a relocated cluster.
      const { embeddedClusterDir, stopEmbeddedPostgres } = await import("../../server/db/embedded-postgres");
      const clusterDir = await embeddedClusterDir(dataDir);
      if (existsSync(path.join(clusterDir, "postmaster.pid"))) {
        await stopEmbeddedPostgres(dataDir).catch((e: Error) => log(`[e2e] could not stop the embedded PostgreSQL: ${e.message}`));
      }
      if (!clusterDir.startsWith(tempDir)) rmSync(path.dirname(clusterDir), { recursive: true, force: true });
    }
    if (dropDatabase) await dropDatabase().catch((e: Error) => log(`[e2e] could not drop the test database: ${e.message}`));
    try {
      mkdirSync(path.join(root, "test-results"), { recursive: true });
      copyFileSync(logFile, path.join(root, "test-results", "e2e-server.log"));
    } catch {
      /* best effort */
    }
    rmSync(tempDir, { recursive: true, force: true });
    log("[e2e] stack stopped and cleaned up (server log kept in test-results/e2e-server.log)");
  };

  try {
    const started = Date.now();
    let lastReport = started;
    for (;;) {
      if (exited) throw new Error(`npm start ended (${exited}) before the portal was healthy:\n${logTail(logFile)}`);
      if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`the portal was not healthy after ${START_TIMEOUT_MS / 1000} s:\n${logTail(logFile)}`);
      try {
        const res = await fetch(`${baseUrl}/api/health`);
        if (res.status === 200) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        const last = logTail(logFile, 1).trim();
        log(`[e2e] waiting for the portal (${Math.round((Date.now() - started) / 1000)} s)${last ? `: ${last.slice(0, 120)}` : ""}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`[e2e] portal healthy after ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pid, databaseEnv, dataDir, logFile, output: () => logTail(logFile, 1000), stop };
}
