// A smoke run of the governance stage in --quick mode against an in-process tRPC server (the router the web server
// serves, behind node:http, on a fresh database holding the bench genesis): the result must be complete and
// well-formed, every vote stored once. No assertion here depends on how fast anything ran.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, evaluateAcceptance } from "../../lib/bench/acceptance";
import { metricValues, type StageResult } from "../../lib/bench/bench-result";
import { appRouter } from "../../server/api/root";
import { createTRPCContext } from "../../server/api/trpc";
import { ensureEpochRegistry } from "../../server/chain/epoch-registry";
import { closePgPool, createPgPool } from "../../server/db/pg-pool";
import { createTestDatabase } from "../../server/db/test-database";
import { seedGovernance } from "../../server/governance/governance-store";
import { createGovernanceStage, type StartBenchServer } from "./governance";

const startInProcess: StartBenchServer = async (genesis) => {
  const db = await createTestDatabase();
  const pool = createPgPool(db.url, 2);
  await ensureEpochRegistry(pool, { genesisTimestamp: Math.floor(Date.now() / 1000) - 100, dualActivationBlock: 200 });
  await seedGovernance(pool, genesis);
  await pool.end();
  const savedUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === "/icon.svg") return void res.writeHead(200, { "content-type": "image/svg+xml" }).end("<svg/>");
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createTRPCContext({ headers: request.headers }) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      await new Promise((r) => server.close(r));
      await closePgPool();
      process.env.DATABASE_URL = savedUrl;
      await db.drop();
    },
  };
};

describe("governanceStage --quick", () => {
  let result: StageResult;
  const run = async () => (result ??= await createGovernanceStage(startInProcess).run({ quick: true, progress: () => {} }));

  it("produces every metric the acceptance criteria read, so each is judged PASS or FAIL (never MISSING)", async () => {
    const verdicts = evaluateAcceptance({ governance: metricValues(await run()) });
    expect(verdicts.map((v) => v.criterion.id)).toEqual(ACCEPTANCE_CRITERIA.filter((c) => c.stage === "governance").map((c) => c.id));
    for (const v of verdicts) expect(["PASS", "FAIL"]).toContain(v.status);
  });

  it("stores every accepted vote exactly once (rows counted after the run)", async () => {
    const { metrics } = await run();
    // quick plan: 3 warm-up + 10 sequential + 50 voters × 2
    expect(metrics["governance.votes_accepted"].value).toBe(3 + 10 + 50 * 2);
    expect(metrics["governance.votes_stored"].value).toBe(metrics["governance.votes_accepted"].value);
    expect(metrics["governance.votes_not_stored_once"].value).toBe(0);
  });

  it("has finite metrics with units, sane latency summaries, and table rows that use declared columns", async () => {
    const { metrics, measurements, tables } = await run();
    for (const [key, m] of Object.entries(metrics)) {
      expect(Number.isFinite(m.value), key).toBe(true);
      expect(m.unit, key).not.toBe("");
    }
    expect(measurements.map((m) => m.id)).toEqual(["verify/hybrid", "verify/pool", "http/c1/cast_vote", "http/c1/static", "http/c50/cast_vote", "http/c50/static"]);
    for (const m of measurements) {
      expect(m.us.min).toBeGreaterThan(0);
      expect(m.us.median).toBeLessThanOrEqual(m.us.p95);
    }
    for (const t of tables) {
      const keys = new Set(t.columns.map((c) => c.key));
      for (const row of t.rows) for (const k of Object.keys(row)) expect(keys.has(k), k).toBe(true);
    }
  });
});
