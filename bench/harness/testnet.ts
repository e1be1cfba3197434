/**
 * The local testnet: N real nodes (the built Next web server and the worker, each node on its own database), peers
 * wired by a peer graph through delay proxies, links shaped for real where the process may (testnet-links.ts) and on
 * loopback otherwise. Used by the network stage (bench/stages/network.ts).
 *
 * One testnet = one chain: node 1 produces (devnet on), the others receive by relay (devnet off). Its databases are
 * `mlpq_tn_<run>_<i>` on the server of DATABASE_URL (or the embedded PostgreSQL), seeded with one epoch registry
 * (the same genesis time and dual activation block on every node) before any node starts, and dropped by stop().
 *
 * Database access from inside a namespace: the nodes reach PostgreSQL through a Unix socket, never over their shaped
 * link (a node's queries must not compete with its relay traffic, nor be delayed by the tbf queues). That is the
 * server's own socket when it has one, else a socket this process forwards to the server's TCP port.
 *
 * Clean-up: stop() ends every process group, closes the proxies, drops the databases and removes the namespaces; the
 * caller makes sure it runs on failure and on Ctrl-C (the stage does); namespaces a killed run left are swept by the
 * next run (sweepStaleTestnets).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildTestnetGraph, peersOf, type TestnetGraph } from "../../lib/netsim/testnet-model";
import { createDatabaseIfMissing, dropDatabaseIfExists, resolveServerUrl, withDatabase } from "../../server/db/database-url";
import { prepareDatabase } from "../../server/db/prepare-database";
import { projectPath, projectRoot } from "../../server/db/project-root";
import { freePort } from "../../server/http/free-port";
import { startDelayProxy, type DelayProxy } from "./delay-proxy";
import { createShapedNetwork, inNamespace, linkShapingUnavailableReason, sweepStaleTestnets, type ShapedNetwork } from "./testnet-links";

export type LinkMode = "namespaces" | "loopback";

export interface TestnetOptions {
  nodes: number;
  /** Seed of the peer graph and the link latencies. */
  seed: number;
  latency: { minMs: number; maxMs: number };
  /** Shaped per node (namespaces) or per link direction (loopback), bit/s. */
  uploadBps: number;
  downloadBps: number;
  /** Seconds between the producer's blocks. */
  intervalSeconds: number;
  /** Where the registry schedules the dual (v2-dual-required) epoch. */
  dualActivationBlock: number;
  /** "auto": namespaces when possible, else loopback. */
  mode: "auto" | LinkMode;
  /** A label for database names ("legacy", "dual"). */
  label: string;
  log(message: string): void;
}

export interface TestnetNode {
  index: number;
  id: string;
  /** Where the bench reaches the node's web server (the bridge address in namespace mode). */
  baseUrl: string;
  /** The node's database as the bench process reaches it. */
  databaseUrl: string;
  token: string;
}

export interface RunningTestnet {
  mode: LinkMode;
  /** Why namespaces were not used (null when they were). */
  fallbackReason: string | null;
  graph: TestnetGraph;
  nodes: TestnetNode[];
  /** Directed link proxies: bytes forwarded (requests) and back (responses). */
  linkBytes(): { from: number; to: number; forward: number; backward: number }[];
  /** Starts the producer's worker (node 1, devnet on): blocks begin. */
  startProducing(): Promise<void>;
  /** Stops the producer's worker: no new block. */
  stopProducing(): Promise<void>;
  /** The tail of node i's log (web server and worker), for error messages. */
  logTail(index: number, lines?: number): string;
  stop(): Promise<void>;
}

const WEB_PORT_IN_NAMESPACE = 3000;
const DATABASE_PREFIX = "mlpq_tn_";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Drops testnet databases (`mlpq_tn_<pid>_...`) whose bench process is gone and that nobody is connected to: what a
 * run killed with SIGKILL left behind.
 */
async function sweepStaleDatabases(serverUrl: string, log: (m: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE datname LIKE 'mlpq\\_tn\\_%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    for (const { datname } of rows) {
      const pid = Number(/^mlpq_tn_(\d+)_/.exec(datname)?.[1]);
      if (!Number.isInteger(pid) || processAlive(pid)) continue;
      await dropDatabaseIfExists(serverUrl, datname);
      log(`dropped ${datname}, left by a testnet run that no longer exists`);
    }
  } catch (error) {
    log(`could not sweep stale testnet databases: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
const HEALTH_TIMEOUT_MS = 120_000;

interface Child {
  name: string;
  process: ChildProcess;
  exited: string | null;
}

function spawnGroup(name: string, command: string, args: string[], env: Record<string, string>, logFile: string): Child {
  const out = openSync(logFile, "a");
  const child = spawn(command, args, { cwd: projectRoot(), env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const entry: Child = { name, process: child, exited: null };
  child.on("exit", (code, signal) => (entry.exited = `${signal ?? code}`));
  child.on("error", (error) => (entry.exited = error.message));
  return entry;
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.exited !== null || !child.process.pid) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    /* gone */
  }
}

async function stopChildren(children: Child[], graceMs: number): Promise<void> {
  for (const c of children) signalGroup(c, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (children.some((c) => c.exited === null) && Date.now() < deadline) await sleep(100);
  for (const c of children) signalGroup(c, "SIGKILL");
  const hard = Date.now() + 3000;
  while (children.some((c) => c.exited === null) && Date.now() < hard) await sleep(50);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** The server's own Unix socket directory for a TCP URL on this machine, when it has one. */
function serverSocketDir(serverUrl: string): string | null {
  const u = new URL(serverUrl);
  if (u.searchParams.get("host")?.startsWith("/")) return u.searchParams.get("host");
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname)) return null;
  const port = u.port || "5432";
  for (const dir of ["/var/run/postgresql", "/run/postgresql", "/tmp"]) if (existsSync(path.join(dir, `.s.PGSQL.${port}`))) return dir;
  return null;
}

/** A Unix socket (in `dir`, named as PostgreSQL names its own) that forwards to the server's TCP port. */
function startSocketForwarder(dir: string, serverUrl: string): Promise<net.Server> {
  const u = new URL(serverUrl);
  const port = Number(u.port || "5432");
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ""), port });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path.join(dir, `.s.PGSQL.${port}`), () => resolve(server));
  });
}

/** `url` reached through the Unix socket in `dir` (node-postgres reads `?host=/dir`). */
function viaSocket(url: string, dir: string): string {
  const u = new URL(url);
  u.hostname = "localhost";
  u.searchParams.set("host", dir);
  return u.toString();
}

async function waitHealthy(node: TestnetNode, children: Child[], logFile: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const dead = children.find((c) => c.exited !== null);
    if (dead) throw new Error(`${node.id}: ${dead.name} exited (${dead.exited}) before the node was healthy:\n${tail(logFile, 30)}`);
    if (Date.now() - t0 > HEALTH_TIMEOUT_MS) throw new Error(`${node.id} was not healthy after ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail(logFile, 30)}`);
    try {
      const res = await fetch(`${node.baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(300);
  }
}

/** Starts a testnet; on any failure everything started so far is stopped and removed before the error is thrown. */
export async function startTestnet(options: TestnetOptions): Promise<RunningTestnet> {
  const { log } = options;
  const graph = buildTestnetGraph(options.nodes, options.seed, options.latency);
  const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "mlpq-testnet-"));
  // Data directories hold the node token and the app role's password: the nodes run as root here, but keep it private.
  const serverUrl = await resolveServerUrl({ log });
  await sweepStaleDatabases(serverUrl, log);
  const names = Array.from({ length: options.nodes }, (_, i) => `${DATABASE_PREFIX}${process.pid}_${run}_${options.label}_${i + 1}`.slice(0, 55));
  const children: Child[][] = Array.from({ length: options.nodes }, () => []);
  const proxies: { from: number; to: number; proxy: DelayProxy }[] = [];
  let network: ShapedNetwork | null = null;
  let forwarder: net.Server | null = null;
  let stopped = false;
  const logFiles = names.map((_, i) => path.join(tempDir, `node-${i + 1}.log`));

  // Ctrl-C, SIGTERM and a plain exit must not leave nodes, namespaces or databases behind: on a signal the whole
  // clean-up runs, then the process exits as the signal would have made it; on exit (an uncaught error) what can be
  // done synchronously is (processes killed, namespaces removed); a database left behind then is dropped by the next
  // run (sweepStaleDatabases: its name carries this process's id).
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the testnet`);
    void stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  const onExit = () => {
    for (const c of children.flat()) signalGroup(c, "SIGKILL");
    network?.remove();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", onExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", onExit);
    await stopChildren(children.flat(), 8000);
    await Promise.all(proxies.map((p) => p.proxy.close().catch(() => undefined)));
    if (forwarder) await new Promise<void>((r) => forwarder!.close(() => r()));
    network?.remove();
    for (const name of names) await dropDatabaseIfExists(serverUrl, name).catch((e: Error) => log(`could not drop ${name}: ${e.message}`));
    rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    let mode: LinkMode = options.mode === "loopback" ? "loopback" : "namespaces";
    let fallbackReason: string | null = options.mode === "loopback" ? "loopback requested" : null;
    if (mode === "namespaces") {
      sweepStaleTestnets(log);
      const reason = linkShapingUnavailableReason();
      if (reason !== null) {
        if (options.mode === "namespaces") throw new Error(`network namespaces requested but unavailable: ${reason}`);
        mode = "loopback";
        fallbackReason = reason;
      }
    }
    log(mode === "namespaces" ? "links: network namespaces + veth + tc tbf (bandwidth), delay proxies (latency)" : `links: loopback, latency and bandwidth in the delay proxies (${fallbackReason})`);

    // Databases: created, migrated and seeded with one registry (same genesis time everywhere) before any node runs.
    const genesisTimestamp = Math.floor(Date.now() / 1000);
    const nodeDirs = names.map((_, i) => path.join(tempDir, `node-${i + 1}`));
    for (const [i, name] of names.entries()) {
      mkdirSync(nodeDirs[i], { recursive: true, mode: 0o700 });
      await createDatabaseIfMissing(serverUrl, name);
      await prepareDatabase(withDatabase(serverUrl, name), { seed: { genesisTimestamp, dualActivationBlock: options.dualActivationBlock }, env: { MATHLEDGER_DATA_DIR: nodeDirs[i] } });
    }

    let nodeDbUrl = (i: number) => withDatabase(serverUrl, names[i]);
    if (mode === "namespaces") {
      network = createShapedNetwork({ nodeCount: options.nodes, uploadBps: options.uploadBps, downloadBps: options.downloadBps });
      let socketDir = serverSocketDir(serverUrl);
      if (socketDir === null) {
        socketDir = path.join(tempDir, "pg-socket");
        mkdirSync(socketDir);
        forwarder = await startSocketForwarder(socketDir, serverUrl);
      }
      const dir = socketDir;
      nodeDbUrl = (i: number) => viaSocket(withDatabase(serverUrl, names[i]), dir);
    }

    const tokens = names.map(() => randomBytes(24).toString("hex"));
    const webPorts = mode === "namespaces" ? names.map(() => WEB_PORT_IN_NAMESPACE) : await Promise.all(names.map(() => freePort()));
    const nodes: TestnetNode[] = names.map((name, i) => ({
      index: i,
      id: `node-${i + 1}`,
      baseUrl: `http://${mode === "namespaces" ? network!.nodes[i].address : "127.0.0.1"}:${webPorts[i]}`,
      databaseUrl: withDatabase(serverUrl, name),
      token: tokens[i],
    }));

    // One proxy per direction of each link: node i's relay reaches peer j only through proxy (i → j).
    const proxyHost = mode === "namespaces" ? network!.bridgeAddress : "127.0.0.1";
    for (let i = 0; i < options.nodes; i++) {
      for (const { peer, latencyMs } of peersOf(graph, i)) {
        const target = new URL(nodes[peer].baseUrl);
        const proxy = await startDelayProxy({
          listenHost: proxyHost,
          targetHost: target.hostname,
          targetPort: Number(target.port),
          delayMs: latencyMs,
          // On loopback nothing else shapes the link: the proxy caps each direction at the slower end's rate.
          rateBps: mode === "loopback" ? Math.min(options.uploadBps, options.downloadBps) : null,
        });
        proxies.push({ from: i, to: peer, proxy });
      }
    }

    const peersFiles = nodes.map((node, i) => {
      const file = path.join(nodeDirs[i], "peers.json");
      const peers = proxies.filter((p) => p.from === i).map((p) => ({ id: nodes[p.to].id, url: `http://${p.proxy.host}:${p.proxy.port}`, token: nodes[p.to].token }));
      writeFileSync(file, JSON.stringify({ peers }, null, 2) + "\n", { mode: 0o600 });
      return file;
    });

    const envFor = (i: number, devnet: "on" | "off"): Record<string, string> => {
      // The bench's own MATHLEDGER_* settings are not the nodes': each node gets exactly its own.
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("MATHLEDGER_")) env[k] = v;
      return {
        ...env,
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(webPorts[i]),
        DATABASE_URL: nodeDbUrl(i),
        MATHLEDGER_DATA_DIR: nodeDirs[i],
        MATHLEDGER_NODE_ID: nodes[i].id,
        MATHLEDGER_NODE_TOKEN: nodes[i].token,
        MATHLEDGER_PEERS: peersFiles[i],
        MATHLEDGER_DEVNET: devnet,
        MATHLEDGER_DEVNET_INTERVAL: String(options.intervalSeconds),
        MATHLEDGER_DEVNET_SEED: "1",
        MATHLEDGER_DUAL_ACTIVATION_BLOCK: String(options.dualActivationBlock),
        // No simulated peer reports and no drift radar: neither is on the relay's path, and on 2 cores shared by N
        // nodes their work would only add noise to the propagation times.
        MATHLEDGER_DEVNET_PEERS: "0",
        MATHLEDGER_RADAR: "off",
        // Every peer pushing to a node presents that node's token, so the push limit is shared by all its peers; at
        // one block a second with 2-3 peers the default (600/60) would hold, but not for larger --nodes or faster
        // blocks. Ten times the default keeps the limit on, out of the way.
        MATHLEDGER_RATE_LIMIT_PUSH: "6000/60",
      };
    };
    const ns = (i: number) => (mode === "namespaces" ? network!.nodes[i].namespace : null);
    const startWeb = (i: number) => {
      const cmd = inNamespace(ns(i), projectPath("node_modules", ".bin", "next"), ["start", "-p", String(webPorts[i]), "-H", mode === "namespaces" ? "0.0.0.0" : "127.0.0.1"]);
      children[i].push(spawnGroup("web server", cmd.command, cmd.args, envFor(i, i === 0 ? "on" : "off"), logFiles[i]));
    };
    const startWorker = (i: number, devnet: "on" | "off") => {
      const cmd = inNamespace(ns(i), projectPath("node_modules", ".bin", "tsx"), ["worker/main.ts"]);
      const child = spawnGroup("worker", cmd.command, cmd.args, envFor(i, devnet), logFiles[i]);
      children[i].push(child);
      return child;
    };

    // Receivers first, all healthy, then the producer's web server; its worker (blocks) starts on startProducing().
    // Two at a time: ten Node processes starting at once on 2 cores would each take many times longer.
    log(`starting ${options.nodes} nodes (web server + worker each; ${graph.links.length} links)`);
    for (let i = 1; i < options.nodes; i += 2) {
      const batch = [i, i + 1].filter((j) => j < options.nodes);
      for (const j of batch) {
        startWeb(j);
        startWorker(j, "off");
      }
      await Promise.all(batch.map((j) => waitHealthy(nodes[j], children[j], logFiles[j])));
    }
    startWeb(0);
    // /api/health wants a worker heartbeat: the producer's own worker is the one that produces, so health is checked
    // on its web server's status endpoint instead until then.
    await waitListening(nodes[0], children[0], logFiles[0]);
    let producer: Child | null = null;

    return {
      mode,
      fallbackReason,
      graph,
      nodes,
      linkBytes: () => proxies.map((p) => ({ from: p.from, to: p.to, ...p.proxy.bytes() })),
      startProducing: async () => {
        producer = startWorker(0, "on");
        await waitHealthy(nodes[0], children[0], logFiles[0]);
      },
      stopProducing: async () => {
        if (producer) await stopChildren([producer], 8000);
      },
      logTail: (i, lines = 30) => tail(logFiles[i], lines),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitListening(node: TestnetNode, children: Child[], logFile: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const dead = children.find((c) => c.exited !== null);
    if (dead) throw new Error(`${node.id}: ${dead.name} exited (${dead.exited}):\n${tail(logFile, 30)}`);
    if (Date.now() - t0 > HEALTH_TIMEOUT_MS) throw new Error(`${node.id}'s web server did not answer after ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail(logFile, 30)}`);
    try {
      const res = await fetch(`${node.baseUrl}/api/v1/status`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await sleep(300);
  }
}

/** A pg pool per node, for the bench's own reads (arrival times); closed by the caller. */
export function nodePools(testnet: RunningTestnet): pg.Pool[] {
  return testnet.nodes.map((n) => {
    const pool = new pg.Pool({ connectionString: n.databaseUrl, max: 1 });
    pool.on("error", () => undefined);
    return pool;
  });
}
