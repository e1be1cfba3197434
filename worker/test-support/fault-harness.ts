/**
 * Test support for the fault tests (*.faults.test.ts, `npm run test:faults`): the node's processes started the way an
 * operator starts them (the worker, `next start`, the CLI), a private PostgreSQL cluster that a test may stop and
 * start without disturbing anyone else's server, and the chain checks that say whether a fault lost, doubled or forked
 * anything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { validateChain } from "../../lib/consensus/validate-chain";
import { sealBlock } from "../../lib/consensus/seal-block";
import { makeEpoch, type Epoch } from "../../lib/consensus/epochs";
import type { Block } from "../../lib/consensus/block";
import { SHA256_ID, SHA3_256_ID } from "../../lib/crypto/hash-algorithms";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { canonicalBlockPages } from "../../server/chain/canonical-blocks";
import { loadEpochRegistry } from "../../server/chain/epoch-registry";
import { createDatabaseIfMissing } from "../../server/db/database-url";
import { startEmbeddedPostgres, stopEmbeddedPostgres } from "../../server/db/embedded-postgres";
import { projectRoot } from "../../server/db/project-root";

export const ROOT = projectRoot();

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** Everything it printed (stdout and stderr), line by line. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves with the first output line matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs `node --import tsx <script> args` in the project root: one process (no tsx wrapper) so a signal reaches it. */
export function startNodeProcess(script: string, args: string[], env: Record<string, string>, label: string): NodeProcess {
  return track(spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }), label);
}

/** The worker (worker/main.ts) on the database of `env.DATABASE_URL`. */
export function startWorker(env: Record<string, string>, label = "worker"): NodeProcess {
  return startNodeProcess("worker/main.ts", [], env, label);
}

/** `next start` of the existing build on `port`; in its own process group (next-server is a child). */
export function startWeb(port: number, env: Record<string, string>): NodeProcess {
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const tracked = track(child, "web");
  tracked.kill = (signal) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* gone */
    }
  };
  return tracked;
}

function track(child: ChildProcess, label: string): NodeProcess {
  const output: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      output.push(line);
      if (process.env.FAULTS_VERBOSE) console.log(`[${label}] ${line}`);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    pid: child.pid!,
    output,
    exited,
    waitForOutput(pattern, timeoutMs = 60_000) {
      const seen = output.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label}: no output matching ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-30).join("\n")}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(({ code, signal }) => reject(new Error(`${label} exited (${signal ?? code}) before printing ${pattern}; output:\n${output.slice(-30).join("\n")}`)));
      });
    },
    kill(signal) {
      try {
        child.kill(signal);
      } catch {
        /* gone */
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A private PostgreSQL cluster (the embedded binaries the product ships), which a test may stop and start

export interface PrivateCluster {
  dataDir: string;
  port: number;
  url(database: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateCluster(port: number): Promise<PrivateCluster> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "mathledger-faults-pg-"));
  // As root the server runs as the OS user postgres, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  let server = await startEmbeddedPostgres({ dataDir, port });
  return {
    dataDir,
    port: server.port,
    url: (database) => server.url(database),
    async start() {
      server = await startEmbeddedPostgres({ dataDir, port });
    },
    async stop() {
      await stopEmbeddedPostgres(dataDir);
    },
    async destroy() {
      await stopEmbeddedPostgres(dataDir).catch(() => false);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createDatabase(cluster: PrivateCluster, name: string): Promise<string> {
  await createDatabaseIfMissing(cluster.url("postgres"), name);
  return cluster.url(name);
}

// ---------------------------------------------------------------------------------------------------------------
// What a fault must not do to the chain

export interface ChainCheck {
  tip: number;
  blocks: number;
  canonical: number;
  nonCanonical: number;
  /** Heights in 0..tip with no canonical block, and with more than one. */
  gaps: number[];
  doubled: number[];
  /** Canonical blocks the consensus core finds invalid (each against its stored predecessor). */
  invalid: number;
}

/** Reads the whole chain back and checks it: one canonical block per height from genesis to the tip, all valid. */
export async function checkChain(pool: pg.Pool): Promise<ChainCheck> {
  const { rows } = await pool.query<{ block_number: number; canonical: boolean }>("SELECT block_number, canonical FROM blocks ORDER BY block_number");
  const perHeight = new Map<number, number>();
  let canonical = 0;
  let tip = -1;
  for (const r of rows) {
    if (!r.canonical) continue;
    canonical++;
    perHeight.set(Number(r.block_number), (perHeight.get(Number(r.block_number)) ?? 0) + 1);
    tip = Math.max(tip, Number(r.block_number));
  }
  const gaps: number[] = [];
  const doubled: number[] = [];
  for (let n = 0; n <= tip; n++) {
    const count = perHeight.get(n) ?? 0;
    if (count === 0) gaps.push(n);
    if (count > 1) doubled.push(n);
  }
  const epochs = await loadEpochRegistry(pool);
  const suite = await loadWasmHashSuite();
  let invalid = 0;
  let prev = null;
  for await (const page of canonicalBlockPages(pool, 0, tip)) {
    const result = validateChain(page, { epochs, prev, suite });
    invalid += result.invalid.length;
    prev = page[page.length - 1];
  }
  return { tip, blocks: rows.length, canonical, nonCanonical: rows.length - canonical, gaps, doubled, invalid };
}

export async function tipOf(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number | null }>("SELECT max(block_number)::int AS n FROM blocks WHERE canonical");
  return rows[0].n ?? -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Import files

/** A registry crossing an epoch boundary early, for import files. */
export function importRegistry(t0: number): Epoch[] {
  return [makeEpoch(0, "v1-legacy", SHA256_ID, t0, null, 99), makeEpoch(100, "v2-dual-required", SHA3_256_ID, t0)];
}

/**
 * Writes a valid chain of `count` blocks (one short statement each, so sealing 100,000 takes seconds) as NDJSON, with
 * an export header carrying `epochs` when `header` is set.
 */
export async function writeChainFile(file: string, count: number, epochs: Epoch[], t0: number, header: boolean): Promise<void> {
  const suite = await loadWasmHashSuite();
  const out = createWriteStream(file);
  if (header) out.write(JSON.stringify({ mathledger_export: 1, registry: epochs, start_block: 0, end_block: count - 1, blocks: count, exported_at: new Date(t0 * 1000).toISOString() }) + "\n");
  let prev: Block | null = null;
  let chunk = "";
  for (let n = 0; n < count; n++) {
    prev = sealBlock({ statements: [`${n} + 0 = ${n}`], epochs, prev, timestamp: t0 + n, suite });
    chunk += JSON.stringify(prev) + "\n";
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}
