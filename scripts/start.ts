/**
 * `npm start`: the whole product on one machine.
 *
 *  1. resolves the database: DATABASE_URL, or the embedded PostgreSQL in the data directory (started if needed),
 *     and applies migrations;
 *  2. makes sure a node token exists for POST /api/v1/blocks, and a governance genesis (the devnet's demo one, whose
 *     key files and passphrase it prints, when MATHLEDGER_GOVERNANCE_GENESIS is unset);
 *  3. builds the web app when there is no build or the sources are newer than it;
 *  4. runs the web server (next start, PORT, default 3000) and the worker (devnet producer, import resumption) as
 *     child processes, restarting the worker if it crashes;
 *  5. on Ctrl-C / SIGTERM stops both, and the embedded PostgreSQL if this process started it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readConfig } from "../server/config";
import { loadRadarAlertConfig } from "../server/drift/radar-config-file";
import { loadPeersConfig } from "../server/relay/peers-file";
import { resolveDatabase, redactDatabaseUrl } from "../server/db/database-url";
import { prepareDatabase } from "../server/db/prepare-database";
import { stopEmbeddedPostgres } from "../server/db/embedded-postgres";
import { projectPath, projectRoot } from "../server/db/project-root";
import { buildWebApp, webBuildIsStale } from "./web/web-build";
import { dataDir, ensureNodeToken } from "../server/node-token";
import { createPgPool } from "../server/db/pg-pool";
import { ensureGovernanceGenesis } from "../server/governance/genesis-setup";

const log = (message: string) => console.log(`[start] ${message}`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // Each child leads its own process group so that stopping it also stops what it spawned (next-server).
  return spawn(command, args, { cwd: projectRoot(), env, stdio: "inherit", detached: true });
}

function stopGroup(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Loads the governance genesis (or makes the devnet's demo one) and says where the demo keys are. */
async function announceGovernance(url: string, devnet: boolean): Promise<void> {
  const pool = createPgPool(url, 1);
  try {
    const setup = await ensureGovernanceGenesis(pool, { dataDir: dataDir(), demo: devnet });
    if (setup.source === "none") log("governance: no genesis (set MATHLEDGER_GOVERNANCE_GENESIS to enable the governance portal)");
    else log(`governance: network ${setup.networkId} (genesis from ${setup.source})`);
    if (setup.demo) log(`governance demo keys: ${setup.demo.keysDir}/<member>.key   passphrase: ${setup.demo.passphrase}`);
  } finally {
    await pool.end();
  }
}

/** Set once the embedded PostgreSQL is started by this process, so every exit path can stop it. */
let startedEmbeddedDir: string | null = null;

async function main(): Promise<void> {
  const config = readConfig();
  // A bad MATHLEDGER_RADAR_CONFIG stops start-up here, naming the key (the worker reads it again).
  loadRadarAlertConfig();
  // A bad MATHLEDGER_PEERS file too (the worker reads it again and runs the relay).
  loadPeersConfig();
  const resolved = await resolveDatabase({ log });
  if (resolved.embedded?.started) startedEmbeddedDir = resolved.embedded.dataDir;
  await prepareDatabase(resolved.url, { log });
  log(`database: ${redactDatabaseUrl(resolved.url)}`);
  if (resolved.embedded) {
    log(`data directory: ${resolved.embedded.dataDir} (password, node token)`);
    log(`embedded PostgreSQL cluster: ${resolved.embedded.clusterDir}`);
  }
  const token = ensureNodeToken();
  log(`node token for POST /api/v1/blocks: ${token.source}`);
  await announceGovernance(resolved.url, config.MATHLEDGER_DEVNET === "on");

  const bin = (name: string) => projectPath("node_modules", ".bin", name);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: resolved.url, NEXT_TELEMETRY_DISABLED: "1", MATHLEDGER_DATA_DIR: dataDir() };

  if (webBuildIsStale()) {
    log("building the web app (next build) ...");
    await buildWebApp(env);
  }

  let stopping = false;
  const web = run(bin("next"), ["start", "-p", String(config.PORT)], env);
  let worker: ChildProcess | undefined;
  let restarts = 0;
  const startWorker = () => {
    worker = run(bin("tsx"), ["worker/main.ts"], env);
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      restarts++;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(restarts, 5));
      log(`worker exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(() => !stopping && startWorker(), delay);
    });
  };
  startWorker();
  log(`portal: http://localhost:${config.PORT}   CLI: npx mathledger-cli node status`);

  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping`);
    stopGroup(worker);
    stopGroup(web);
    await new Promise((r) => setTimeout(r, 1500));
    stopGroup(worker, "SIGKILL");
    stopGroup(web, "SIGKILL");
    if (resolved.embedded?.started) {
      await stopEmbeddedPostgres(resolved.embedded.dataDir).catch(() => undefined);
      log("embedded PostgreSQL stopped");
    }
    process.exit(exitCode);
  };
  web.on("exit", (code, signal) => void shutdown(`web server exited (${signal ?? code})`, 1));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
}

main().catch(async (error) => {
  console.error(`[start] cannot start: ${(error as Error).message}`);
  // Do not leave a database behind that nobody will stop (e.g. when the build failed).
  if (startedEmbeddedDir) await stopEmbeddedPostgres(startedEmbeddedDir).catch(() => undefined);
  process.exit(1);
});
