// Smoke runs of the ingest stages in --quick mode against a real PostgreSQL (DATABASE_URL's server or the embedded
// one): the results must be complete and well-formed. No assertion depends on how fast anything ran.
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, evaluateAcceptance } from "../../lib/bench/acceptance";
import { metricValues, resultToCsv, type StageResult } from "../../lib/bench/bench-result";
import { ingestStage } from "./ingest";
import { ingestMemoryStage } from "./ingest-memory";
import { slope } from "./ingest-probes";

function expectWellFormed(result: StageResult): void {
  for (const [key, m] of Object.entries(result.metrics)) {
    expect(Number.isFinite(m.value), key).toBe(true);
    expect(m.unit, key).not.toBe("");
  }
  for (const t of result.tables) {
    expect(t.rows.length, t.id).toBeGreaterThan(0);
    const keys = new Set(t.columns.map((c) => c.key));
    for (const row of t.rows) for (const k of Object.keys(row)) expect(keys.has(k), `${t.id}: ${k}`).toBe(true);
  }
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  const csv = resultToCsv({ ...result, acceptance: [] });
  expect(csv.trimEnd().split("\r\n")).toHaveLength(1 + result.measurements.length + Object.keys(result.metrics).length);
}

function expectJudged(stage: string, result: StageResult): void {
  const verdicts = evaluateAcceptance({ [stage]: metricValues(result) });
  const ids = ACCEPTANCE_CRITERIA.filter((c) => c.stage === stage).map((c) => c.id);
  expect(ids.length).toBeGreaterThan(0);
  expect(verdicts.map((v) => v.criterion.id)).toEqual(ids);
  for (const v of verdicts) expect(["PASS", "FAIL"]).toContain(v.status);
}

describe("ingestStage --quick", () => {
  let result: StageResult;
  const run = async () => (result ??= await ingestStage.run({ quick: true, progress: () => {} }));

  it("times the import and the raw insert once each, per block, with consistent rates", async () => {
    const r = await run();
    expect(r.stage).toBe("ingest");
    expect(r.measurements.map((m) => m.id)).toEqual(["ingest/run_import_job", "ingest/check_import_file", "raw/insert_rows"]);
    for (const m of r.measurements) {
      expect(m.us.count).toBe(1);
      expect(m.us.min).toBeGreaterThan(0);
      expect(m.iterations_per_sample).toBe(r.metrics["ingest.blocks"].value);
    }
    const ingestUs = r.measurements[0].us.median;
    expect(r.metrics["ingest.blocks_per_s"].value).toBeCloseTo(1e6 / ingestUs, 6);
    expect(r.metrics["ingest.statements_per_s"].value).toBeCloseTo(r.metrics["ingest.blocks_per_s"].value * 100, 6);
    expect(r.metrics["ingest.over_raw_pct"].value).toBeCloseTo((r.metrics["ingest.blocks_per_s"].value / r.metrics["raw.blocks_per_s"].value) * 100, 6);
  });

  it("produces every metric its acceptance criteria read, and a profile of the import", async () => {
    const r = await run();
    expectJudged("ingest", r);
    expect(r.tables.map((t) => t.id)).toEqual(["ingest-summary", "ingest-rounds", "ingest-profile"]);
    // Validation runs on the threads, so the main thread's profile shows mostly waiting; hashing may be absent there.
    expect(r.metrics["profile.idle_pct"].value).toBeGreaterThan(0);
    expect(r.metrics["profile.hashing_pct"].value).toBeGreaterThanOrEqual(0);
  });

  it("is well-formed: finite metrics with units, declared table columns, JSON and CSV round trips", async () => {
    expectWellFormed(await run());
  });
});

describe("ingestMemoryStage --quick", () => {
  it("runs the real worker on an import, samples its RSS and produces every judged metric", async () => {
    const r = await ingestMemoryStage.run({ quick: true, progress: () => {} });
    expect(r.stage).toBe("ingest-memory");
    expectJudged("ingest-memory", r);
    expectWellFormed(r);
    expect(r.metrics["worker.samples"].value).toBeGreaterThanOrEqual(2);
    expect(r.metrics["worker.max_rss_mb"].value).toBeGreaterThanOrEqual(r.metrics["worker.rss_import_end_mb"].value);
  });
});

describe("slope", () => {
  it("is the least-squares slope, and null without two distinct x", () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2, 12);
    expect(slope([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 0 }, { x: 3, y: 1 }])).toBeCloseTo(0.2, 12);
    expect(slope([{ x: 1, y: 1 }])).toBeNull();
    expect(slope([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeNull();
  });
});
