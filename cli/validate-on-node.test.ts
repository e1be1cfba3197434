/**
 * `validate-block --file --server URL` against a real node route: POST /api/v1/validate's handler served on a
 * loopback port over a real PostgreSQL holding the fixture chain. Verdicts and exit codes as the offline form, the
 * node's registry and stored predecessor by default, --epochs and --prev-file sent inline, and the failures (bad URL,
 * unreachable node, refused request, not a node) as input errors.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";

import { singleEpochRegistry } from "../lib/consensus/test-chains";
import { FIXTURE_CHAIN } from "../lib/consensus/violation-fixtures";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { closePgPool, createPgPool } from "../server/db/pg-pool";
import { seedFixtureChain, tableCounts } from "../server/validation/test-support";
import { runInProcess } from "./test-support/run-in-process";

let db: TestDatabase;
let pool: pg.Pool;
let server: Server;
let url: string;
let dir: string;
const saved = { DATABASE_URL: process.env.DATABASE_URL, MATHLEDGER_MAX_PUSH_BYTES: process.env.MATHLEDGER_MAX_PUSH_BYTES };

/** Serves `handler` (a fetch-style route handler) over node:http on a free loopback port. */
function serve(handler: (request: Request) => Promise<Response>): Promise<Server> {
  const s = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

const write = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
};

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await seedFixtureChain(pool);
  process.env.DATABASE_URL = db.url;
  process.env.MATHLEDGER_MAX_PUSH_BYTES = "4096";
  await closePgPool();
  const { POST } = await import("../app/api/v1/validate/route");
  server = await serve(POST);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-validate-cli-"));
});
afterAll(async () => {
  server?.close();
  await closePgPool();
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("validate-block --server", () => {
  it("prints the node's verdict against its stored predecessor, and where the node stores the block (exit 0)", async () => {
    const before = await tableCounts(pool);
    const r = await runInProcess(["validate-block", "--file", write("b12.json", FIXTURE_CHAIN[12]), "--server", url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VALID: block 12 \(epoch from block 10: v2-dual-required, SHA3-256; links checked\)/);
    expect(r.stdout).toContain(`validated by ${url}/api/v1/validate (registry: the node's; predecessor: canonical block 11 of this node; merkle-wasm)`);
    expect(r.stdout).toContain("stored by the node: block 12, canonical, VALID (/blocks/12)");
    expect(await tableCounts(pool)).toEqual(before);
  });

  it("exits 1 with every violation for a tampered block, and --json carries the node's extra facts", async () => {
    const file = write("bad.json", { ...FIXTURE_CHAIN[12], merkle_root: "0x" + "00".repeat(32) });
    const text = await runInProcess(["validate-block", "--file", file, "--server", `${url}/`]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^INVALID: block 12, 1 violation/);
    expect(text.stdout).toContain("CRITICAL LEGACY_MERKLE_ROOT_MISMATCH field merkle_root");
    expect(text.stdout).toContain("not stored by the node");
    const json = await runInProcess(["validate-block", "--file", file, "--server", url, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: "INVALID", stored: null, server: { registry: "node", predecessor: "store" } });
  });

  it("sends --epochs and --prev-file inline", async () => {
    const r = await runInProcess([
      "validate-block", "--file", write("b3.json", FIXTURE_CHAIN[3]), "--server", url,
      "--epochs", write("v2.json", singleEpochRegistry("v2-dual-required")), "--prev-file", write("b1.json", FIXTURE_CHAIN[1]), "--json",
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.server).toMatchObject({ registry: "inline", predecessor: "inline" });
    expect(out.violations.map((v: { code: string }) => v.code)).toEqual(expect.arrayContaining(["MISSING_PQ_FIELD", "BLOCK_NUMBER_DISCONTINUITY"]));
  });

  it("reports a bad URL, an unreachable node, a refusal and a non-node as input errors (exit 2)", async () => {
    const file = write("b5.json", FIXTURE_CHAIN[5]);
    const closed = await serve(async () => new Response(""));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const cases: Array<[string[], RegExp]> = [
      [["--server", "ftp://127.0.0.1/"], /--server must be an http:\/\/ or https:\/\/ URL, got "ftp:\/\/127\.0\.0\.1\/"/],
      [["--server", "not a url"], /--server must be a URL/],
      [["--server", `http://127.0.0.1:${closedPort}`], new RegExp(`cannot reach the node at http://127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\)`)],
      [["--server", url, "--epochs", write("gap.json", [{ ...singleEpochRegistry("v1-legacy")[0], start_block: 3 }])], /epochs file .*: the first epoch must start at block 0/],
      [["--block-number", "3", "--server", url], /--server goes with --file/],
    ];
    for (const [flags, message] of cases) {
      const r = await runInProcess(["validate-block", ...(flags.includes("--block-number") ? [] : ["--file", file]), ...flags]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const big = write("big.json", { ...FIXTURE_CHAIN[5], statements: ["x".repeat(5000)] });
    const refused = await runInProcess(["validate-block", "--file", big, "--server", url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the node at http:\/\/127\.0\.0\.1:\d+ refused the request \(413 PAYLOAD_TOO_LARGE\): request body of \d+ bytes exceeds the limit of 4096 bytes/);
    const other = await serve(async () => new Response("<html>hello</html>", { status: 200 }));
    const notNode = await runInProcess(["validate-block", "--file", file, "--server", `http://127.0.0.1:${(other.address() as AddressInfo).port}`]);
    other.close();
    expect(notNode.code).toBe(2);
    expect(notNode.stderr).toMatch(/not JSON: is it a MathLedger node\?/);
  });
});
