/**
 * Repeated kills and graceful stops of the worker (issue 10 §4, §5), on real PostgreSQL databases, with the worker
 * run as an operator runs it (a separate process):
 *
 *  - during devnet production: the worker is SIGKILLed at a random moment while it holds the producer lease and seals
 *    blocks, and restarted, FAULTS_KILLS_PER_PHASE times (default 10); the next worker takes the lease over once the
 *    dead one's expires. Afterwards every height from genesis to the tip holds exactly one canonical block, there is
 *    no other block (no fork), and the consensus core finds the whole chain valid;
 *  - during an import: the same number of SIGKILLs while the worker imports an NDJSON job; after each kill the stored
 *    blocks are exactly the job's committed lines (the cursor moves with the rows), and the final run completes the
 *    job with every block stored once;
 *  - SIGTERM, during production and during an import: the process exits 0 within 10 s, the batch in flight committed
 *    whole (stored blocks = committed lines), the import stays resumable, the lease is released so the next worker
 *    produces at once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { createPgPool } from "../server/db/pg-pool";
import { replaceEpochRegistry } from "../server/chain/epoch-registry";
import { checkImportFile, startOrResumeImport } from "../server/ingest/import-file";
import { checkChain, importRegistry, sleep, startWorker, tipOf, waitFor, writeChainFile, type NodeProcess } from "./test-support/fault-harness";

const KILLS_PER_PHASE = Number(process.env.FAULTS_KILLS_PER_PHASE ?? 10);
const STOP_LIMIT_MS = 10_000;
const IMPORT_BLOCKS = 60_000;

const dbs: TestDatabase[] = [];
const pools: pg.Pool[] = [];
const running = new Set<NodeProcess>();
let dir: string;

async function database(): Promise<{ db: TestDatabase; pool: pg.Pool }> {
  const db = await createTestDatabase();
  dbs.push(db);
  const pool = createPgPool(db.url);
  pools.push(pool);
  return { db, pool };
}

function worker(env: Record<string, string>): NodeProcess {
  const w = startWorker(env);
  running.add(w);
  void w.exited.then(() => running.delete(w));
  return w;
}

/** Sends `signal` and waits for the exit; returns how long it took. */
async function stop(w: NodeProcess, signal: NodeJS.Signals): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
  const t0 = Date.now();
  w.kill(signal);
  const exit = await w.exited;
  return { ms: exit.at - t0, code: exit.code, signal: exit.signal };
}

const random = (min: number, max: number) => min + Math.random() * (max - min);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mathledger-kills-"));
});
afterAll(async () => {
  for (const w of running) w.kill("SIGKILL");
  await Promise.all([...running].map((w) => w.exited));
  for (const p of pools) await p.end();
  for (const db of dbs) await db.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the worker killed during devnet production", () => {
  it(`loses, doubles and forks nothing over ${KILLS_PER_PHASE} SIGKILLs; the lease passes to each next worker; SIGTERM stops it within 10 s`, async () => {
    const { db, pool } = await database();
    const env = { DATABASE_URL: db.url, MATHLEDGER_DEVNET: "on", MATHLEDGER_DEVNET_INTERVAL: "0.1" };
    const holderOf = async (w: NodeProcess) =>
      (await pool.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'devnet-producer' AND expires_at > now()")).rows[0]?.holder.includes(`:${w.pid}:`);
    const handovers: number[] = [];
    let killedAt = Date.now();
    let kills = 0;
    for (let i = 0; i < KILLS_PER_PHASE; i++) {
      const w = worker(env);
      await waitFor(`worker ${i} to take the producer lease`, () => holderOf(w), 60_000);
      if (i > 0) handovers.push(Date.now() - killedAt);
      const tip = await tipOf(pool);
      await waitFor(`worker ${i} to seal a block`, async () => (await tipOf(pool)) > tip, 30_000);
      await sleep(random(0, 1500));
      killedAt = Date.now();
      const exit = await stop(w, "SIGKILL");
      expect(exit.signal).toBe("SIGKILL");
      kills++;
    }

    // A worker stopped with SIGTERM gives the lease up: the next one produces at once, not after the lease expires.
    const last = worker(env);
    await waitFor("the last worker to take the lease", () => holderOf(last), 60_000);
    handovers.push(Date.now() - killedAt);
    await sleep(random(200, 1500));
    const term = await stop(last, "SIGTERM");
    expect(term.code, last.output.slice(-10).join("\n")).toBe(0);
    expect(term.ms).toBeLessThan(STOP_LIMIT_MS);
    expect((await pool.query("SELECT 1 FROM leases WHERE name = 'devnet-producer'")).rowCount).toBe(0);
    const next = worker(env);
    const tipAtStart = await tipOf(pool);
    await next.waitForOutput(/worker .* started/);
    const startedAt = Date.now();
    await waitFor("the next worker to produce", async () => (await tipOf(pool)) > tipAtStart, 30_000);
    const takeoverMs = Date.now() - startedAt;
    const term2 = await stop(next, "SIGTERM");
    expect(term2.code).toBe(0);

    const chain = await checkChain(pool);
    console.log(
      `[kills/devnet] ${kills} SIGKILLs; lease handovers after a kill ${handovers.slice(0, -1).map((ms) => (ms / 1000).toFixed(1)).join(", ")} s; ` +
        `SIGTERM stops in ${term.ms} and ${term2.ms} ms; after a SIGTERM the next worker produced ${takeoverMs} ms after starting; chain ${JSON.stringify(chain)}`,
    );
    expect(kills).toBe(KILLS_PER_PHASE);
    expect(chain.gaps).toEqual([]);
    expect(chain.doubled).toEqual([]);
    expect(chain.nonCanonical).toBe(0);
    expect(chain.invalid).toBe(0);
    expect(chain.canonical).toBe(chain.tip + 1);
    expect(chain.tip).toBeGreaterThanOrEqual(KILLS_PER_PHASE);
    // Killed workers' heartbeats stay behind (they could not remove them); stopped ones removed theirs.
    expect(takeoverMs).toBeLessThan(5_000);
  }, 900_000);
});

describe("the worker killed during an import", () => {
  it(`resumes the job after each of ${KILLS_PER_PHASE} SIGKILLs with nothing lost or doubled; SIGTERM pauses it after a whole batch`, async () => {
    const { pool, db } = await database();
    const t0 = 1_770_000_000;
    const epochs = importRegistry(t0);
    await replaceEpochRegistry(pool, epochs);
    const file = path.join(dir, "import.ndjson");
    await writeChainFile(file, IMPORT_BLOCKS, epochs, t0, false);
    const { job } = await startOrResumeImport(pool, await checkImportFile(pool, file));
    const env = { DATABASE_URL: db.url, MATHLEDGER_DEVNET: "off" };
    const cursor = async () => (await pool.query<{ processed_lines: number; status: string }>("SELECT processed_lines, status FROM import_jobs WHERE id = $1", [job.id])).rows[0];
    const stored = async () => Number((await pool.query("SELECT count(*) FROM blocks")).rows[0].count);

    let kills = 0;
    const cursors: number[] = [];
    for (let cycle = 0; kills < KILLS_PER_PHASE && cycle < 3 * KILLS_PER_PHASE; cycle++) {
      const before = (await cursor()).processed_lines;
      const w = worker(env);
      await waitFor(`worker to advance the import (cycle ${cycle})`, async () => (await cursor()).processed_lines > before, 60_000);
      // Short enough that the kills land all over the file, not after it: the import must outlast them and a SIGTERM.
      await sleep(random(0, 500));
      await stop(w, "SIGKILL");
      const after = await cursor();
      expect(after.status).toBe("running");
      // One block per line: the committed lines are exactly the stored blocks, whatever the kill interrupted.
      expect(await stored()).toBe(after.processed_lines);
      cursors.push(after.processed_lines);
      kills++;
    }
    expect(kills, "the import finished before every kill landed: make IMPORT_BLOCKS larger").toBe(KILLS_PER_PHASE);

    // SIGTERM mid-import: the batch in flight commits whole, the job stays running, the process exits 0 within 10 s.
    const before = (await cursor()).processed_lines;
    const w = worker(env);
    await waitFor("the worker to advance the import", async () => (await cursor()).processed_lines > before, 60_000);
    await sleep(random(0, 300));
    const term = await stop(w, "SIGTERM");
    const paused = await cursor();
    expect(term.code, w.output.slice(-10).join("\n")).toBe(0);
    expect(term.ms).toBeLessThan(STOP_LIMIT_MS);
    expect(paused.status).toBe("running");
    expect(await stored()).toBe(paused.processed_lines);
    expect(w.output.join("\n")).toMatch(/paused for shutdown/);

    const final = worker(env);
    await waitFor("the import to finish", async () => (await cursor()).status === "done", 300_000, 200);
    await stop(final, "SIGTERM");
    const done = await cursor();
    const chain = await checkChain(pool);
    console.log(
      `[kills/import] ${kills} SIGKILLs at committed lines ${cursors.join(", ")}; SIGTERM stopped in ${term.ms} ms at line ${paused.processed_lines}; ` +
        `job ${done.status} at line ${done.processed_lines}; chain ${JSON.stringify(chain)}`,
    );
    expect(done.processed_lines).toBe(IMPORT_BLOCKS);
    expect(chain).toEqual({ tip: IMPORT_BLOCKS - 1, blocks: IMPORT_BLOCKS, canonical: IMPORT_BLOCKS, nonCanonical: 0, gaps: [], doubled: [], invalid: 0 });
    expect(Number((await pool.query("SELECT count(DISTINCT content_id) FROM blocks")).rows[0].count)).toBe(IMPORT_BLOCKS);
  }, 900_000);
});
