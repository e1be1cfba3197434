/**
 * `mathledger-cli export` and `import` of its file (issue 10 §7), and a whole-database backup with pg_dump /
 * pg_restore (the README's procedure), against real PostgreSQL databases:
 *
 *  - export writes a header line with the registry, then the canonical chain, one block per line in height order;
 *  - import of that file into a fresh database (no registry) adopts the registry and rebuilds the same chain, which
 *    verify-chain finds VALID; a range export holds just that range;
 *  - refusals: an existing --out, a range past the tip, a header that is not first, a registry that differs from
 *    that of a node already holding blocks; each exit 2 with nothing written;
 *  - pg_dump -Fc / pg_restore round-trips the whole database (skipped, saying why, when no pg_dump matching the
 *    server's major version is installed).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { makeEpoch, type Epoch } from "../lib/consensus/epochs";
import { sealBlock } from "../lib/consensus/seal-block";
import type { Block } from "../lib/consensus/block";
import { generateStatements } from "../lib/devnet/statement-generator";
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { createPgPool } from "../server/db/pg-pool";
import { loadEpochRegistry, replaceEpochRegistry } from "../server/chain/epoch-registry";
import { ingestBlocks } from "../server/ingest/ingest-blocks";
import { dropDatabaseIfExists, resolveServerUrl, withDatabase } from "../server/db/database-url";
import { dropAppRole } from "../server/db/app-role";
import { runInProcess } from "./test-support/run-in-process";

const T0 = 1_760_000_000;
/** A registry unlike the devnet default, so adopting it (rather than seeding the default) is visible. */
const EPOCHS: Epoch[] = [
  makeEpoch(0, "v1-legacy", 0, T0, null, 49),
  makeEpoch(50, "v2-dual-required", 1, T0, null, 119),
  makeEpoch(120, "v3-pq-only", 2, T0, "0x" + "ab".repeat(32)),
];
const N = 1500;

let source: TestDatabase;
let sourcePool: pg.Pool;
const others: TestDatabase[] = [];
let dir: string;
const chain: Block[] = [];
const file = (name: string) => path.join(dir, name);
const cli = (url: string, ...args: string[]) => runInProcess(args, { env: { DATABASE_URL: url }, cwd: dir });

async function rowsOf(pool: pg.Pool) {
  const { rows } = await pool.query(
    "SELECT block_number, content_id, legacy_hash, canonical, verdict FROM blocks ORDER BY block_number, content_id",
  );
  return rows;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mathledger-export-"));
  source = await createTestDatabase();
  sourcePool = createPgPool(source.url);
  await replaceEpochRegistry(sourcePool, EPOCHS);
  const suite = await loadWasmHashSuite();
  let prev: Block | null = null;
  for (let n = 0; n < N; n++) {
    prev = sealBlock({ statements: generateStatements({ seed: 5, blockNumber: n }), epochs: EPOCHS, prev, timestamp: T0 + 2 * n, suite });
    chain.push(prev);
  }
  for (let i = 0; i < N; i += 500) await ingestBlocks(sourcePool, chain.slice(i, i + 500), { source: "import", suite, now: T0 + 2 * N });
});
afterAll(async () => {
  await sourcePool?.end();
  await source?.drop();
  for (const db of others) await db.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<{ db: TestDatabase; pool: pg.Pool }> {
  const db = await createTestDatabase();
  others.push(db);
  const pool = createPgPool(db.url);
  // Whatever preparing a database may seed by default, a node that has never run holds no blocks.
  return { db, pool };
}

describe("mathledger-cli export", () => {
  it("writes the registry in a header line, then every canonical block in height order", async () => {
    const r = await cli(source.url, "export", "--out", "chain.ndjson", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ start_block: 0, end_block: N - 1, blocks: N, epochs: 3, file: file("chain.ndjson") });
    const lines = (await readFile(file("chain.ndjson"), "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(N + 1);
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({ mathledger_export: 1, start_block: 0, end_block: N - 1, blocks: N });
    expect(header.registry).toEqual(EPOCHS);
    expect(lines.slice(1).map((l) => JSON.parse(l))).toEqual(chain);
    // Written to a temporary name and renamed: nothing else is left in the directory.
    expect(await readdir(dir)).toEqual(["chain.ndjson"]);
  });

  it("writes just the range asked for", async () => {
    const r = await cli(source.url, "export", "--start-block", "10", "--end-block", "19", "--out", "range.ndjson");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Exported 10 blocks \(heights 10-19\) and the epoch registry \(3 epochs\)/);
    const lines = (await readFile(file("range.ndjson"), "utf8")).trimEnd().split("\n");
    expect(JSON.parse(lines[0])).toMatchObject({ start_block: 10, end_block: 19, blocks: 10 });
    expect(lines.slice(1).map((l) => JSON.parse(l).block_number)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("refuses an existing file (unless --force), a range past the tip and an inverted range: exit 2", async () => {
    const exists = await cli(source.url, "export", "--out", "chain.ndjson");
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/chain\.ndjson exists; choose another name or add --force/);
    const past = await cli(source.url, "export", "--end-block", String(N + 5), "--out", "past.ndjson");
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(new RegExp(`no canonical block ${N + 5} \\(the tip is ${N - 1}\\)`));
    expect(existsSync(file("past.ndjson"))).toBe(false);
    const inverted = await cli(source.url, "export", "--start-block", "9", "--end-block", "3", "--out", "x.ndjson");
    expect(inverted.code).toBe(2);
    const forced = await cli(source.url, "export", "--end-block", "4", "--out", "range.ndjson", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readFile(file("range.ndjson"), "utf8")).trimEnd().split("\n")).toHaveLength(6);
  });
});

describe("mathledger-cli import of an export", () => {
  it("rebuilds the chain and its registry in a fresh database; verify-chain finds it VALID", async () => {
    const { db, pool } = await freshDatabase();
    try {
      const r = await cli(db.url, "import", "--file", "chain.ndjson", "--json");
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ blocks: N, lines: N + 1, registry: "adopted", status: "done", totals: { stored: N, valid: N } });
      expect(await loadEpochRegistry(pool)).toEqual(EPOCHS);
      expect(await rowsOf(pool)).toEqual(await rowsOf(sourcePool));
      const verify = await cli(db.url, "verify-chain", "--start-block", "0", "--end-block", String(N - 1));
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(new RegExp(`^VALID: blocks 0-${N - 1} \\(${N} blocks; 3 epochs`));
      // Importing the same file again: the registry is the same, every block a duplicate.
      const again = await cli(db.url, "import", "--file", "chain.ndjson", "--json");
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ registry: "same", totals: { stored: 0, duplicates: N } });
    } finally {
      await pool.end();
    }
  });

  it("refuses a registry that differs from that of a node holding blocks, and a header that is not first: exit 2, nothing written", async () => {
    const { db, pool } = await freshDatabase();
    try {
      const other = [makeEpoch(0, "v1-legacy", 0, T0)];
      await replaceEpochRegistry(pool, other);
      const suite = await loadWasmHashSuite();
      const genesis = sealBlock({ statements: ["0 = 0"], epochs: other, timestamp: T0, suite });
      await ingestBlocks(pool, [genesis], { source: "import", suite, now: T0 });
      const mismatch = await cli(db.url, "import", "--file", "chain.ndjson");
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toMatch(/REGISTRY_MISMATCH|epoch registry differs from this node's, which already holds blocks/);
      expect(await loadEpochRegistry(pool)).toEqual(other);

      const lines = (await readFile(file("chain.ndjson"), "utf8")).trimEnd().split("\n");
      await writeFile(file("late-header.ndjson"), [lines[1], lines[0], lines[2]].join("\n") + "\n");
      const late = await cli(db.url, "import", "--file", "late-header.ndjson");
      expect(late.code).toBe(2);
      expect(late.stderr).toMatch(/line 2: an export header \(mathledger_export\) may only be the first line/);
      await writeFile(file("bad-header.ndjson"), [JSON.stringify({ mathledger_export: 2, registry: [] }), lines[1]].join("\n") + "\n");
      const bad = await cli(db.url, "import", "--file", "bad-header.ndjson");
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/line 1: export header: format 2 is not supported/);
      expect(Number((await pool.query("SELECT count(*) FROM blocks")).rows[0].count)).toBe(1);
      expect(Number((await pool.query("SELECT count(*) FROM import_jobs")).rows[0].count)).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

const run = promisify(execFile);

/** A directory holding pg_dump and pg_restore of the server's major version (newer pg_dump writes SET commands an older server rejects). */
async function clientBinariesFor(serverMajor: number): Promise<string | null> {
  const candidates = [`/usr/lib/postgresql/${serverMajor}/bin`, ...(process.env.PATH ?? "").split(":")];
  for (const candidate of candidates) {
    const dump = path.join(candidate, "pg_dump");
    if (!existsSync(dump) || !existsSync(path.join(candidate, "pg_restore"))) continue;
    const { stdout } = await run(dump, ["--version"]).catch(() => ({ stdout: "" }));
    if (new RegExp(`\\b${serverMajor}\\.`).test(stdout)) return candidate;
  }
  return null;
}

describe("backup and restore of the whole database (pg_dump -Fc / pg_restore)", async () => {
  const admin = new pg.Client({ connectionString: await resolveServerUrl() });
  await admin.connect();
  const major = Math.floor(Number((await admin.query("SHOW server_version_num")).rows[0].server_version_num) / 10000);
  await admin.end();
  const bin = await clientBinariesFor(major);
  if (!bin) console.warn(`[skip] pg_dump/pg_restore ${major} not found (looked in /usr/lib/postgresql/${major}/bin and PATH): backup round trip not tested`);

  it.skipIf(!bin)("restores into an empty database a node that holds the same chain, registry and migrations", async () => {
    const dump = file("node.dump");
    await run(path.join(bin!, "pg_dump"), ["--format=custom", "--file", dump, "--dbname", source.url]);
    const serverUrl = await resolveServerUrl();
    const name = `${source.name}_restored`;
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE template0`);
    await client.end();
    const url = withDatabase(serverUrl, name);
    const pool = createPgPool(url);
    try {
      await run(path.join(bin!, "pg_restore"), ["--exit-on-error", "--no-owner", "--no-privileges", "--dbname", url, dump]);
      expect(await rowsOf(pool)).toEqual(await rowsOf(sourcePool));
      expect(await loadEpochRegistry(pool)).toEqual(EPOCHS);
      const migrations = "SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name";
      expect((await pool.query(migrations)).rows).toEqual((await sourcePool.query(migrations)).rows);
      const verify = await cli(url, "verify-chain", "--start-block", "0", "--end-block", String(N - 1));
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      await pool.end();
      await dropDatabaseIfExists(serverUrl, name);
      // The CLI prepared the restored database like any other, creating its least-privilege role: drop it too.
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await dropAppRole(admin, name).finally(() => admin.end());
    }
  });
});
