/**
 * `mathledger-cli import` end to end (issue 3, "What must be shown"): the real bin/mathledger-cli.mjs against a fresh
 * PostgreSQL database.
 *
 *  - SIGKILL in the middle of an import, then the same command again: every block stored exactly once, the canonical
 *    chain complete, the job done, and the summary says where it resumed; verify-chain then checks the imported chain
 *    over several pages and an epoch boundary.
 *  - A job another process holds (the worker resumed it): the command follows it to the end.
 *  - Bad input (broken JSON, wrong types, an unknown algorithm, a block with no predecessor, a missing file, a
 *    directory, an empty file): exit 2, one line naming the problem and its line, and nothing written.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { makeEpoch, type Epoch } from "../lib/consensus/epochs";
import { sealBlock } from "../lib/consensus/seal-block";
import type { Block } from "../lib/consensus/block";
import { generateStatements } from "../lib/devnet/statement-generator";
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { createPgPool } from "../server/db/pg-pool";
import { replaceEpochRegistry } from "../server/chain/epoch-registry";
import { BIN, runBin, type BinResult } from "./test-support/run-bin";

const T0 = 1_750_000_000;
const EPOCHS: Epoch[] = [makeEpoch(0, "v1-legacy", 0, T0, null, 999), makeEpoch(1000, "v2-dual-required", 1, T0)];
/** Blocks in the killed import: enough for many batches, across the epoch boundary and several verify-chain pages. */
const N = 3000;
const BATCH = 20;

let db: TestDatabase;
let pool: pg.Pool;
let dir: string;
const chain: Block[] = [];
const file = (name: string) => path.join(dir, name);
const cli = (...args: string[]) => runBin(args, { env: { DATABASE_URL: db.url } });
const ndjson = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join("\n") + "\n";

async function count(sql: string): Promise<number> {
  return (await pool.query<{ n: number }>(sql)).rows[0].n;
}

/** What the database holds, to show that a refused import wrote nothing. */
async function snapshot() {
  return {
    blocks: await count("SELECT count(*)::int AS n FROM blocks"),
    statements: await count("SELECT count(*)::int AS n FROM statements"),
    jobs: await count("SELECT count(*)::int AS n FROM import_jobs"),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mathledger-import-"));
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await replaceEpochRegistry(pool, EPOCHS);
  const suite = await loadWasmHashSuite();
  let prev: Block | null = null;
  for (let n = 0; n < N + 3; n++) {
    prev = sealBlock({ statements: generateStatements({ seed: 11, blockNumber: n }), epochs: EPOCHS, prev, timestamp: T0 + 2 * n, suite });
    chain.push(prev);
  }
  await writeFile(file("chain.ndjson"), ndjson(chain.slice(0, N)));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("import killed with SIGKILL, then run again", () => {
  let killedAt: number;

  it("stores exactly the committed batches when killed: the cursor moves with the rows", async () => {
    const child = spawn(process.execPath, [BIN, "import", "--file", file("chain.ndjson"), "--batch-size", String(BATCH)], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Kill once a few batches are committed, well before the end.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query<{ processed_lines: number }>("SELECT processed_lines FROM import_jobs WHERE status = 'running'");
      if (rows[0] && rows[0].processed_lines >= 5 * BATCH) break;
      if (Date.now() > deadline) throw new Error("the import never got going");
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const { rows } = await pool.query<{ processed_lines: number; status: string }>("SELECT processed_lines, status FROM import_jobs");
    expect(rows).toHaveLength(1);
    killedAt = rows[0].processed_lines;
    expect(rows[0].status).toBe("running");
    expect(killedAt).toBeGreaterThanOrEqual(5 * BATCH);
    expect(killedAt).toBeLessThan(N);
    expect(killedAt % BATCH).toBe(0);
    // One block per line: the committed lines are exactly the stored blocks, the canonical heights 0..killedAt-1.
    expect(await count("SELECT count(*)::int AS n FROM blocks")).toBe(killedAt);
    expect(await count("SELECT count(*)::int AS n FROM blocks WHERE canonical AND block_number < " + killedAt)).toBe(killedAt);
  });

  it("resumes from the cursor: every block stored exactly once, heights 0..N-1 canonical, the job done", async () => {
    const result = await cli("import", "--file", file("chain.ndjson"), "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(""); // --json: no progress lines
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      file: file("chain.ndjson"),
      lines: N,
      blocks: N,
      resumed: true,
      resumed_from_line: killedAt,
      run_by: "this process",
      totals: { stored: N - killedAt, duplicates: 0, valid: N - killedAt, invalid: 0, reorgs: 0 },
      status: "done",
    });

    expect(await count("SELECT count(*)::int AS n FROM blocks")).toBe(N);
    expect(await count("SELECT count(DISTINCT content_id)::int AS n FROM blocks")).toBe(N);
    expect(await count("SELECT count(DISTINCT block_number)::int AS n FROM blocks WHERE canonical AND block_number BETWEEN 0 AND " + (N - 1))).toBe(N);
    expect(await count("SELECT count(*)::int AS n FROM blocks WHERE canonical")).toBe(N);
    expect(await count("SELECT count(*)::int AS n FROM blocks WHERE verdict <> 'VALID'")).toBe(0);
    const statements = chain.slice(0, N).reduce((sum, b) => sum + b.statements.length, 0);
    expect(await count("SELECT count(*)::int AS n FROM statements")).toBe(statements);
    const jobs = await pool.query<{ status: string; processed_lines: number }>("SELECT status, processed_lines FROM import_jobs");
    expect(jobs.rows).toEqual([{ status: "done", processed_lines: N }]);
  });

  it("leaves a chain that verify-chain finds VALID across pages and the epoch boundary", async () => {
    const result = await cli("verify-chain", "--start-block", "0", "--end-block", String(N - 1));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toBe(""); // not a terminal: no progress bar
    expect(result.stdout).toMatch(new RegExp(`^VALID: blocks 0-${N - 1} \\(${N} blocks; 2 epochs: v1-legacy 0-999, v2-dual-required 1000 onwards; from genesis\\)\n`));
  });

  it("imports the same file again as a new job that stores nothing (every block a duplicate), with a text summary", async () => {
    const result = await cli("import", "--file", file("chain.ndjson"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Imported chain\\.ndjson \\(job 2\\): ${N} blocks in ${N} lines, `));
    expect(result.stdout).toContain("\n  stored      0\n");
    expect(result.stdout).toContain(`\n  duplicates  ${N} (already stored, skipped)\n`);
    expect(result.stdout).toContain("\n  resumed     no, a new job");
    expect(await count("SELECT count(*)::int AS n FROM blocks")).toBe(N);
  });
});

describe("import of bad input", () => {
  const next = () => chain.slice(N, N + 3); // blocks that would extend the stored chain

  /** Exit 2, nothing on stdout, one line matching `pattern`, no stack, and the database unchanged. */
  async function expectRefused(args: string[], pattern: RegExp): Promise<void> {
    const before = await snapshot();
    const result: BinResult = await cli("import", ...args);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(/^mathledger-cli: /);
    expect(result.stderrLines[0]).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshot()).toEqual(before);
  }

  it("refuses a broken JSON line, naming it", async () => {
    const [a, b] = next();
    await writeFile(file("broken.ndjson"), ndjson([a, b]) + '{"block_number": 3002, "timestamp"\n');
    await expectRefused(["--file", file("broken.ndjson")], /broken\.ndjson: 1 bad line, nothing imported: line 3: not valid JSON/);
  });

  it("refuses wrong types, naming the line and the field", async () => {
    const [a, b] = next();
    await writeFile(file("types.ndjson"), ndjson([a, { ...b, block_number: "3001", statements: "x" }]));
    await expectRefused(["--file", file("types.ndjson")], /types\.ndjson: 1 bad line, nothing imported: line 2: .*block_number.*statements/);
  });

  it("refuses an unknown algorithm", async () => {
    const [a] = next();
    await writeFile(file("algorithm.ndjson"), ndjson([{ ...a, pq_algorithm: 7 }]));
    await expectRefused(["--file", file("algorithm.ndjson")], /line 1: pq_algorithm 0x07 is not a registered hash algorithm/);
  });

  it("lists several bad lines with their numbers, and counts the rest", async () => {
    const lines = ["{", "[]", "42", "null", "{}", "x", "true"];
    await writeFile(file("many.ndjson"), lines.join("\n") + "\n");
    await expectRefused(["--file", file("many.ndjson")], /many\.ndjson: 7 bad lines, nothing imported: line 1: .*; line 2: .*; line 5: .*; and 2 more$/);
  });

  it("refuses a block whose predecessor is neither stored nor earlier in the file", async () => {
    await writeFile(file("orphan.ndjson"), ndjson([chain[N + 2]]));
    await expectRefused(["--file", file("orphan.ndjson")], new RegExp(`line 1: block ${N + 2} has no predecessor`));
  });

  it("refuses a missing file, a directory, an empty file and a bad --batch-size", async () => {
    await mkdir(file("a-directory"), { recursive: true });
    await writeFile(file("empty.ndjson"), "\n\n");
    await expectRefused(["--file", file("absent.ndjson")], /import file .*absent\.ndjson: no such file$/);
    await expectRefused(["--file", file("a-directory")], /import file .*a-directory: a directory, not a file$/);
    await expectRefused(["--file", file("empty.ndjson")], /empty\.ndjson holds no blocks/);
    await expectRefused(["--file", file("chain.ndjson"), "--batch-size", "0"], /--batch-size must be 1-10000, got 0; see "mathledger-cli import --help"$/);
  });

  it("then imports the good blocks (exit 0), proving the refusals left nothing half-done", async () => {
    await writeFile(file("good.ndjson"), ndjson(next()));
    const result = await cli("import", "--file", file("good.ndjson"), "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ resumed: false, totals: { stored: 3, duplicates: 0, valid: 3 } });
    expect(await count("SELECT count(*)::int AS n FROM blocks WHERE canonical")).toBe(N + 3);
  });
});

describe("import of a file whose job another process is running", () => {
  /** The advisory-lock space of import jobs (IMPORT_LOCK_SPACE in server/ingest/import-file.ts, "MLJB"). */
  const IMPORT_LOCK_SPACE = 0x4d4c4a42;

  it("follows that process's job to the end instead of running it twice, and says who ran it", async () => {
    const name = file("followed.ndjson");
    await writeFile(name, ndjson(chain.slice(0, 3))); // placeable whatever the database holds: genesis onwards
    const sha = createHash("sha256").update(await readFile(name)).digest("hex");
    const { rows } = await pool.query<{ id: number }>(
      "INSERT INTO import_jobs (file_name, file_sha256, total_lines, status) VALUES ($1, $2, 3, 'running') RETURNING id",
      [name, sha],
    );
    const jobId = rows[0].id;
    const holder = await pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1, $2)", [IMPORT_LOCK_SPACE, jobId]);
      const run = cli("import", "--file", name, "--json");
      let finished = false;
      void run.then(() => (finished = true));
      // Wait until the command has tried the job's lock or is following the job (a connection's last query shows in
      // pg_stat_activity; the escaped patterns do not match this query's own text), then finish the job as its
      // holder would.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const tried = await pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
             AND (query LIKE '%pg\\_try\\_advisory\\_lock%' OR query LIKE '%FROM import\\_jobs WHERE id =%')`,
        );
        if (tried.rowCount || finished) break;
        if (Date.now() > deadline) throw new Error("the command never reached the job");
        await new Promise((r) => setTimeout(r, 50));
      }
      await pool.query("UPDATE import_jobs SET status = 'done', processed_lines = 3, finished_at = now() WHERE id = $1", [jobId]);
      await holder.query("SELECT pg_advisory_unlock($1, $2)", [IMPORT_LOCK_SPACE, jobId]);
      const result = await run;
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ job_id: jobId, resumed: true, resumed_from_line: 0, run_by: "another process", totals: null, status: "done" });
      expect(await count(`SELECT count(*)::int AS n FROM import_jobs WHERE file_sha256 = '${sha}'`)).toBe(1);
    } finally {
      holder.release();
    }
  });
});

describe("a resumed import whose file changed since its job checked it", () => {
  it("is refused before anything is read or written, and the job ends as failed with the reason", async () => {
    const target = file("changed.ndjson");
    await writeFile(target, ndjson(chain.slice(0, 3)));
    const checkedSha = createHash("sha256").update(await readFile(target)).digest("hex");
    const firstLineBytes = Buffer.byteLength(JSON.stringify(chain[0])) + 1;
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO import_jobs (file_name, file_sha256, total_lines, status, processed_lines, processed_bytes)
       VALUES ($1, $2, 3, 'running', 1, $3) RETURNING id`,
      [target, checkedSha, firstLineBytes],
    );
    // The file is replaced after one line was imported: the byte cursor no longer means anything.
    await writeFile(target, ndjson([chain[N], chain[N + 1], chain[N + 2]]));
    const before = await snapshot();
    const { runImportJob } = await import("../server/ingest/import-file");
    const error = await runImportJob(pool, rows[0].id, { suite: await loadWasmHashSuite() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INPUT_FILE" });
    expect((error as Error).message).toMatch(/changed since import job \d+ checked it .* not resuming at line 1/);
    const job = await pool.query<{ status: string; error: string }>("SELECT status, error FROM import_jobs WHERE id = $1", [rows[0].id]);
    expect(job.rows[0].status).toBe("failed");
    expect(job.rows[0].error).toContain("changed since");
    expect({ ...(await snapshot()), jobs: before.jobs }).toEqual(before);
  });
});
