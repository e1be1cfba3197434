/**
 * A PostgreSQL outage under the whole running product (issue 10 §3): `npm start` (scripts/start.ts: the embedded
 * PostgreSQL in a private data directory, the web server, the worker with a fast devnet) and a CLI import into a
 * second database of the same cluster. The cluster is stopped for OUTAGE_MS and started again (the shared server
 * on 5432 is never touched):
 *
 *  - during the outage, pages, the JSON APIs, tRPC and the push API answer 503 with a message saying the database is
 *    unreachable, each within 2 s (no hang, no 500);
 *  - once PostgreSQL is back, the web server answers 200 again, the worker seals blocks again, and the import moves
 *    again, each within 5 s, without being restarted;
 *  - afterwards the devnet chain has one canonical block per height from genesis to the tip, no other block, all
 *    valid; the import finishes with every block stored once.
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPgPool } from "../server/db/pg-pool";
import { createDatabaseIfMissing } from "../server/db/database-url";
import { startEmbeddedPostgres, stopEmbeddedPostgres } from "../server/db/embedded-postgres";
import { sealBlock } from "../lib/consensus/seal-block";
import { makeEpoch } from "../lib/consensus/epochs";
import { checkChain, importRegistry, sleep, startNodeProcess, tipOf, waitFor, writeChainFile, ROOT, type NodeProcess } from "./test-support/fault-harness";

const OUTAGE_MS = Number(process.env.FAULTS_OUTAGE_MS ?? 20_000);
const ANSWER_LIMIT_MS = 2_000;
const RECONNECT_LIMIT_MS = 5_000;
const IMPORT_BLOCKS = 5_000;
const TOKEN = "outage-test-token-0123456789abcdef";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let dataDir: string;
let pgPort: number;
let webPort: number;
let stack: NodeProcess | undefined;
let importer: { exited: Promise<number | null>; stderr: () => string } | undefined;
let nodePool: pg.Pool | undefined;
let importPool: pg.Pool | undefined;
let importUrl: string;
const base = () => `http://127.0.0.1:${webPort}`;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "mathledger-outage-"));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as the OS user postgres, which must enter it
  [pgPort, webPort] = await Promise.all([freePort(), freePort()]);
  const t0 = 1_780_000_000;
  await writeChainFile(path.join(dataDir, "import.ndjson"), IMPORT_BLOCKS, importRegistry(t0), t0, true);
  // `npm start` with no DATABASE_URL: it starts the embedded PostgreSQL of the data directory (builds the web app if
  // stale), then the web server and the worker, which reach the database through the DATABASE_URL it hands them.
  stack = startNodeProcess("scripts/start.ts", [], {
    DATABASE_URL: "",
    PORT: String(webPort),
    MATHLEDGER_DATA_DIR: dataDir,
    MATHLEDGER_EMBEDDED_PG_PORT: String(pgPort),
    MATHLEDGER_DEVNET_INTERVAL: "0.25",
    MATHLEDGER_NODE_TOKEN: TOKEN,
  }, "npm start");
  await waitFor("the portal to report healthy", async () => (await fetch(`${base()}/api/health`)).status === 200, 600_000, 250);
  const server = await startEmbeddedPostgres({ dataDir, port: pgPort });
  nodePool = createPgPool(server.url("mathledger"));
  await createDatabaseIfMissing(server.url("postgres"), "import_target");
  importUrl = server.url("import_target");
}, 660_000);

afterAll(async () => {
  if (importer) await Promise.race([importer.exited, sleep(5_000)]);
  await nodePool?.end().catch(() => undefined);
  await importPool?.end().catch(() => undefined);
  if (stack) {
    stack.kill("SIGTERM");
    await Promise.race([stack.exited, sleep(15_000)]);
  }
  await stopEmbeddedPostgres(dataDir).catch(() => false);
  await rm(dataDir, { recursive: true, force: true });
});

interface Probe {
  name: string;
  status: number;
  ms: number;
  body: string;
}

async function probe(name: string, url: string, init?: RequestInit): Promise<Probe> {
  const t0 = Date.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    return { name, status: response.status, ms: Date.now() - t0, body };
  } catch (error) {
    return { name, status: 0, ms: Date.now() - t0, body: String(error) };
  }
}

function probes(block: unknown): Promise<Probe[]> {
  const push = { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(block) };
  return Promise.all([
    probe("page /", `${base()}/`),
    probe("page /blocks", `${base()}/blocks`),
    probe("page /blocks/1", `${base()}/blocks/1`),
    probe("page /epochs", `${base()}/epochs`),
    probe("GET /api/health", `${base()}/api/health`),
    probe("GET /api/v1/status", `${base()}/api/v1/status`),
    probe("tRPC chain.status", `${base()}/api/trpc/chain.status`),
    probe("POST /api/v1/blocks", `${base()}/api/v1/blocks`, push),
  ]);
}

describe("the real web server (next start) and a client that never finishes its body", () => {
  it("cuts it off with 408 after 10 s", async () => {
    const body = JSON.stringify({ block_number: 0, statements: ["1 = 1"] });
    const socket = net.connect(webPort, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => (received += d));
    const closedOrAnswered = new Promise<void>((resolve) => {
      socket.on("close", () => resolve());
      socket.on("data", () => /\r\n\r\n[\s\S]*\}\s*$/.test(received) && resolve());
    });
    const started = Date.now();
    socket.write(
      `POST /api/v1/blocks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await Promise.race([closedOrAnswered, sleep(30_000)]);
    const elapsed = Date.now() - started;
    socket.destroy();
    console.log(`[408] next start answered a stalled upload after ${elapsed} ms: ${received.split("\r\n")[0]}`);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toMatch(/REQUEST_TIMEOUT/);
    expect(elapsed).toBeGreaterThanOrEqual(9_900);
    expect(elapsed).toBeLessThan(30_000);
  }, 60_000);
});

describe("PostgreSQL stopped for 20 s under the running node and an import", () => {
  it("answers 503 within 2 s meanwhile, reconnects everything within 5 s after, and loses, doubles or forks nothing", async () => {
    // The import (a file written by `export`: header with its registry, then the chain), slowed by tiny batches.
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "mathledger-cli.mjs"), "import", "--file", path.join(dataDir, "import.ndjson"), "--batch-size", "10"], {
      env: { ...process.env, DATABASE_URL: importUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", () => undefined);
    importer = { exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))), stderr: () => stderr };
    importPool = createPgPool(importUrl);
    const cursor = async () => (await importPool!.query<{ n: number }>("SELECT max(processed_lines)::int AS n FROM import_jobs")).rows[0].n ?? 0;
    await waitFor("the import to commit some batches", async () => (await cursor()) >= 200, 120_000);
    await waitFor("the devnet to seal a few blocks", async () => (await tipOf(nodePool!)) >= 5, 60_000);

    const tipBefore = await tipOf(nodePool!);
    const cursorBefore = await cursor();
    const pushBlock = sealBlock({ statements: ["1 = 1"], epochs: [makeEpoch(0, "v1-legacy", 0, 0)], timestamp: 1 });

    // ---- the outage
    await stopEmbeddedPostgres(dataDir);
    const downAt = Date.now();
    const during: Probe[] = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      during.push(...(await probes(pushBlock)));
      await sleep(500);
    }
    const upStarted = Date.now();
    await startEmbeddedPostgres({ dataDir, port: pgPort });
    const upAt = Date.now();

    // ---- recovery, each measured from the moment PostgreSQL accepts connections again
    const since = (t: number) => t - upAt;
    const [apiBack, pageBack, workerBack, importBack] = await Promise.all([
      waitFor("the API to answer 200", async () => (await fetch(`${base()}/api/v1/status`)).status === 200 && Date.now(), 30_000, 100),
      waitFor("the dashboard to answer 200", async () => (await fetch(`${base()}/`)).status === 200 && Date.now(), 30_000, 100),
      waitFor("the worker to seal a block", async () => (await tipOf(nodePool!)) > tipBefore && Date.now(), 30_000, 100),
      waitFor("the import to move", async () => (await cursor()) > cursorBefore && Date.now(), 30_000, 100),
    ]);

    const importExit = await importer.exited;
    const nodeChain = await checkChain(nodePool!);
    const importChain = await checkChain(importPool);
    await sleep(1000);
    const output = stack!.output.join("\n");

    const worst = new Map<string, Probe>();
    for (const p of during) if (!worst.has(p.name) || p.ms > worst.get(p.name)!.ms) worst.set(p.name, p);
    const statuses = [...new Set(during.map((p) => p.status))];
    console.log(
      `[outage] PostgreSQL down ${((upStarted - downAt) / 1000).toFixed(1)} s (restart took ${upAt - upStarted} ms); ${during.length} requests during it, statuses ${JSON.stringify(statuses)}, ` +
        `slowest answers ${[...worst.values()].map((p) => `${p.name} ${p.ms} ms`).join(", ")}; back after: API ${since(apiBack)} ms, dashboard ${since(pageBack)} ms, ` +
        `worker ${since(workerBack)} ms, import ${since(importBack)} ms; devnet chain ${JSON.stringify(nodeChain)}; import exit ${importExit}, chain ${JSON.stringify({ ...importChain, gaps: importChain.gaps.length })}`,
    );

    for (const p of during) {
      expect(p.status, `${p.name}: ${p.body.slice(0, 300)}`).toBe(503);
      expect(p.ms, `${p.name} took ${p.ms} ms`).toBeLessThan(ANSWER_LIMIT_MS);
      expect(p.body, p.name).toMatch(/database is unreachable|Database unreachable/i);
    }
    expect(during.length).toBeGreaterThanOrEqual(8 * 5);
    expect(since(apiBack)).toBeLessThan(RECONNECT_LIMIT_MS);
    expect(since(pageBack)).toBeLessThan(RECONNECT_LIMIT_MS);
    expect(since(workerBack)).toBeLessThan(RECONNECT_LIMIT_MS);
    expect(since(importBack)).toBeLessThan(RECONNECT_LIMIT_MS);

    expect(nodeChain.gaps).toEqual([]);
    expect(nodeChain.doubled).toEqual([]);
    expect(nodeChain.nonCanonical).toBe(0);
    expect(nodeChain.invalid).toBe(0);
    expect(nodeChain.canonical).toBe(nodeChain.tip + 1);

    expect(importExit, importer.stderr()).toBe(0);
    expect(importer.stderr()).toMatch(/the database is unreachable .*waiting for it to come back/);
    expect(importer.stderr()).toMatch(/the database is back after .*resuming from the last committed batch/);
    expect(importChain).toEqual({ tip: IMPORT_BLOCKS - 1, blocks: IMPORT_BLOCKS, canonical: IMPORT_BLOCKS, nonCanonical: 0, gaps: [], doubled: [], invalid: 0 });

    // The worker noticed the outage once and the recovery once, and was never restarted.
    expect(output).toMatch(/database unreachable \(.*\); retrying until it is back/);
    expect(output).toMatch(/database reachable again after/);
    expect(output).not.toMatch(/worker exited/);
  }, 300_000);
});
