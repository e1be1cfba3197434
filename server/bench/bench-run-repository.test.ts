/**
 * bench_runs against a real PostgreSQL: store, list, get and compare stored runs, the proposal summary, and the
 * bench's choice of database (server/bench/bench-database.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleDocument } from "../../lib/bench/test-documents";
import { isAppError } from "../../lib/errors";
import { createPgPool } from "../db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { openBenchDatabase } from "./bench-database";
import { getBenchRun, insertBenchRun, listBenchRuns } from "./bench-run-repository";
import { compareRuns, getRunView, runBenchmarkResults } from "./bench-service";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const older = sampleDocument({ started_at: "2026-12-01T09:00:00.000Z", finished_at: "2026-12-01T09:00:04.000Z" });
const newer = sampleDocument({
  started_at: "2026-12-02T09:00:00.000Z",
  finished_at: "2026-12-02T09:00:04.000Z",
  quick: false,
  metrics: { ...older.metrics, "hash-wasm.sha256.64.mb_per_s": { value: 140, unit: "MB/s", description: "sha256 64 B" } },
  acceptance: older.acceptance.map((a) => ({ ...a, status: "PASS" as const })),
});
const other = sampleDocument({ stage: "consensus", title: "Consensus", started_at: "2026-12-02T09:00:05.000Z", acceptance: [] });

describe("insertBenchRun / listBenchRuns / getBenchRun", () => {
  const ids: Record<string, string> = {};

  it("stores one row per stage result, the stages of one invocation sharing a run id", async () => {
    ids.older = (await insertBenchRun(pool, "run-1", older)).id;
    const second = await insertBenchRun(pool, "run-2", newer);
    const third = await insertBenchRun(pool, "run-2", other);
    expect(second.inserted && third.inserted).toBe(true);
    ids.newer = second.id;
    ids.other = third.id;
    const { rows } = await pool.query("SELECT run_id, stage, passed FROM bench_runs ORDER BY id");
    expect(rows).toEqual([
      { run_id: "run-1", stage: "micro", passed: false },
      { run_id: "run-2", stage: "micro", passed: true },
      { run_id: "run-2", stage: "consensus", passed: true },
    ]);
  });

  it("stores a result once: the same stage and start time again returns the stored row", async () => {
    expect(await insertBenchRun(pool, "run-3", older)).toEqual({ id: ids.older, inserted: false });
    expect((await pool.query("SELECT count(*)::int AS n FROM bench_runs")).rows[0].n).toBe(3);
  });

  it("lists newest first, with counts and machine facts; filters by stage; limits", async () => {
    const all = await listBenchRuns(pool);
    expect(all.map((r) => r.id)).toEqual([ids.other, ids.newer, ids.older]);
    expect(all[2]).toMatchObject({
      stage: "micro",
      quick: true,
      passed: false,
      startedAt: "2026-12-01T09:00:00.000Z",
      counts: { pass: 1, fail: 1, notPassed: 1, total: 2 },
      cpuCount: 2,
      loadAverageStart: 1.5,
      loadAverageEnd: 2,
      gitCommit: "0123456789abcdef",
    });
    expect((await listBenchRuns(pool, { stage: "micro" })).map((r) => r.id)).toEqual([ids.newer, ids.older]);
    expect(await listBenchRuns(pool, { limit: 1 })).toHaveLength(1);
    expect(await listBenchRuns(pool, { stage: "nope" })).toEqual([]);
  });

  it("returns the whole document as stored, and null for an unknown or malformed id", async () => {
    const run = await getBenchRun(pool, ids.newer);
    expect(run?.document).toEqual(newer);
    expect(await getBenchRun(pool, "999999")).toBeNull();
    expect(await getBenchRun(pool, "1; DROP TABLE bench_runs")).toBeNull();
    expect(await getBenchRun(pool, "0")).toBeNull();
  });

  it("getRunView adds the charts the document has data for; an unknown run is NOT_FOUND", async () => {
    const view = await getRunView(pool, ids.newer);
    expect(view.charts.map((c) => c.id)).toEqual(["hash-throughput"]);
    await expect(getRunView(pool, "999999")).rejects.toSatisfy((e) => isAppError(e, "NOT_FOUND"));
  });

  it("compareRuns: two runs of one stage metric by metric with the ratio b / a; different stages refuse", async () => {
    const c = await compareRuns(pool, ids.older, ids.newer);
    expect(c.a.id).toBe(ids.older);
    expect(c.b.id).toBe(ids.newer);
    expect(c.metrics.find((m) => m.key === "hash-wasm.sha256.64.mb_per_s")).toMatchObject({ a: 70, b: 140, ratio: 2 });
    await expect(compareRuns(pool, ids.older, ids.other)).rejects.toSatisfy((e) => isAppError(e, "INVALID_INPUT"));
  });

  it("runBenchmarkResults: the run's acceptance as a proposal's benchmark_results", async () => {
    const results = await runBenchmarkResults(pool, ids.older);
    expect(results).toMatchObject({ bench_run_id: ids.older, run_id: "run-1", stage: "micro", passed: false, criteria_total: 2 });
  });
});

describe("openBenchDatabase", () => {
  it("without DATABASE_URL and with no embedded PostgreSQL running, says so and starts nothing", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "mlpq-bench-nodb-"));
    try {
      const out = await openBenchDatabase({ MATHLEDGER_DATA_DIR: dataDir });
      expect(out.pool).toBeNull();
      expect(out.pool === null && out.reason).toMatch(/DATABASE_URL is unset and the embedded PostgreSQL of .* is not running/);
      expect(await (await import("../db/embedded-postgres")).runningEmbeddedPostgresPort(dataDir)).toBeNull();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("with DATABASE_URL unreachable, gives the reason instead of throwing", async () => {
    const out = await openBenchDatabase({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none" });
    expect(out.pool).toBeNull();
  });

  it("with DATABASE_URL set, opens and migrates that database", async () => {
    const out = await openBenchDatabase({ DATABASE_URL: db.url });
    expect(out.pool).not.toBeNull();
    if (out.pool === null) return;
    try {
      expect((await listBenchRuns(out.pool)).length).toBe(3);
    } finally {
      await out.close();
    }
  });
});
