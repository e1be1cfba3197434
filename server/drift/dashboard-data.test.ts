/**
 * GET /api/v1/dashboard, GET /api/v1/status and GET /metrics through their real route handlers, on a devnet with
 * injected drift: the plan's keys exactly, the two endpoints agreeing, and the metrics in Prometheus form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool, closePgPool } from "../db/pg-pool";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { sealBlock } from "../../lib/consensus/seal-block";
import { BLOCK_INJECTIONS } from "../../lib/drift/drift-injection";
import { ensureEpochRegistry, loadEpochRegistry } from "../chain/epoch-registry";
import { beat } from "../chain/heartbeat";
import { produceDevnetBlock } from "../devnet/devnet-producer";
import { ingestBlocks, loadCanonicalTip } from "../ingest/ingest-blocks";
import { RadarRunner } from "./radar-runner";

let db: TestDatabase;
let pool: pg.Pool;
let suite: HashSuite;
const saved = process.env.DATABASE_URL;
type Handler = () => Promise<Response>;
let dashboard: Handler;
let status: Handler;
let metrics: Handler;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  suite = await loadWasmHashSuite();
  const t0 = Math.floor(Date.now() / 1000) - 100;
  await ensureEpochRegistry(pool, { genesisTimestamp: t0, dualActivationBlock: 10 });
  for (let i = 0; i < 20; i++) await produceDevnetBlock(pool, { suite, holder: "w", intervalMs: 2000, seed: 1, now: () => (t0 + i * 2) * 1000 });
  const prev = (await loadCanonicalTip(pool))!.block;
  const bad = BLOCK_INJECTIONS.consistency(sealBlock({ statements: ["x"], epochs: await loadEpochRegistry(pool), prev, timestamp: prev.timestamp + 1, suite }), { lowercase: true });
  await ingestBlocks(pool, [bad], { source: "http", suite });
  await beat(pool, "test-worker", "worker");
  await new RadarRunner(pool, { holder: "r" }).tick();
  process.env.DATABASE_URL = db.url;
  ({ GET: dashboard } = await import("../../app/api/v1/dashboard/route"));
  ({ GET: status } = await import("../../app/api/v1/status/route"));
  ({ GET: metrics } = await import("../../app/metrics/route"));
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
});

describe("GET /api/v1/dashboard", () => {
  it("has exactly the plan's keys, each alert also carrying drift_category, block_number, source and kind", async () => {
    const r = await dashboard();
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(Object.keys(body)).toEqual(["dashboard_data"]);
    const d = body.dashboard_data;
    expect(Object.keys(d)).toEqual(["timestamp", "current_block", "current_epoch", "network_health", "metrics", "recent_alerts"]);
    expect(Object.keys(d.current_epoch)).toEqual(["start_block", "algorithm_id", "algorithm_name", "rule_version"]);
    expect(Object.keys(d.metrics)).toEqual([
      "algorithm_monitoring",
      "consistency_monitoring",
      "lineage_monitoring",
      "performance_monitoring",
      "storage_monitoring",
      "network_monitoring",
    ]);
    expect(Object.keys(d.metrics.algorithm_monitoring)).toEqual(["mismatch_count_last_1000", "expected_algorithm_distribution"]);
    expect(Object.keys(d.metrics.consistency_monitoring)).toEqual(["consistency_rate", "validation_success_rate"]);
    expect(Object.keys(d.metrics.lineage_monitoring)).toEqual(["legacy_chain_valid", "pq_chain_valid", "drift_alerts"]);
    expect(Object.keys(d.metrics.performance_monitoring)).toEqual(["avg_sealing_time_ms", "avg_validation_time_ms", "p95_sealing_time_ms"]);
    expect(Object.keys(d.metrics.storage_monitoring)).toEqual(["avg_block_size_bytes", "storage_overhead_percent"]);
    expect(Object.keys(d.metrics.network_monitoring)).toEqual(["avg_propagation_time_ms", "avg_peer_count", "orphan_rate"]);

    expect(d.current_block).toBe(19);
    expect(d.current_epoch).toEqual({ start_block: 10, algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2-dual-required" });
    expect(d.metrics.algorithm_monitoring.expected_algorithm_distribution).toEqual({ "SHA-256": 10, "SHA3-256": 11 });
    expect(d.metrics.consistency_monitoring).toEqual({ consistency_rate: Math.round((20 / 21) * 1e4) / 1e4, validation_success_rate: Math.round((20 / 21) * 1e4) / 1e4 });
    expect(d.metrics.performance_monitoring.avg_sealing_time_ms).toBeGreaterThan(0);
    expect(d.metrics.storage_monitoring.storage_overhead_percent).toBeGreaterThan(0);
    expect(d.metrics.network_monitoring.avg_peer_count).toBeGreaterThanOrEqual(6);
    expect(d.recent_alerts).toHaveLength(1);
    expect(Object.keys(d.recent_alerts[0])).toEqual(["event_id", "timestamp", "severity", "message", "resolved", "drift_category", "block_number", "source", "kind"]);
    expect(d.recent_alerts[0]).toMatchObject({ severity: "CRITICAL", drift_category: "consistency", block_number: 20, resolved: false, source: "radar", kind: null });
    expect(d.network_health).toBe("CRITICAL");
  });

  it("agrees with GET /api/v1/status", async () => {
    const [d, s] = await Promise.all([dashboard().then((r) => r.json()), status().then((r) => r.json())]);
    expect(s.current_block).toBe(d.dashboard_data.current_block);
    expect(s.network_health).toBe(d.dashboard_data.network_health);
    expect(s.current_epoch.rule_version).toBe(d.dashboard_data.current_epoch.rule_version);
    expect(s.health_reasons).toContain("1 open CRITICAL consistency drift event");
    expect(s.open_drift_events).toEqual({ CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0 });
  });
});

describe("GET /metrics", () => {
  it("exposes blocks, violations, drift events and latency histograms in Prometheus form", async () => {
    const r = await metrics();
    expect(r.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/# TYPE mathledger_blocks_ingested_total counter/);
    expect(text).toMatch(/mathledger_blocks_ingested_total\{source="devnet",outcome="stored",verdict="VALID"\} 20/);
    expect(text).toMatch(/mathledger_violations_total\{code="PQ_MERKLE_ROOT_MISMATCH",severity="CRITICAL"\} 1/);
    expect(text).toMatch(/mathledger_drift_events_total\{category="consistency",severity="CRITICAL"\} 1/);
    for (const name of ["mathledger_ingest_duration_seconds", "mathledger_block_validation_duration_seconds"]) {
      expect(text).toMatch(new RegExp(`# TYPE ${name} histogram`));
      expect(text).toMatch(new RegExp(`${name}_bucket\\{source="devnet",le="\\+Inf"\\} 20`));
      expect(text).toMatch(new RegExp(`${name}_count\\{source="devnet"\\} 20`));
      expect(text).toMatch(new RegExp(`${name}_count\\{source="http"\\} 1`));
    }
    expect(text).toMatch(/mathledger_current_block 19/);
  });

  /** The samples of one histogram series, parsed from the exposition text. */
  const series = (text: string, name: string, source: string) => {
    const value = (suffix: string, le?: string) => {
      const labels = le === undefined ? `source="${source}"` : `source="${source}",le="${le}"`;
      const line = text.split("\n").find((l) => l.startsWith(`${name}_${suffix}{${labels}} `));
      return line === undefined ? null : Number(line.slice(line.lastIndexOf(" ") + 1));
    };
    const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{source="${source}",le="([^"]+)"\\} (\\S+)$`, "gm"))].map((m) => Number(m[2]));
    return { count: value("count"), sum: value("sum"), inf: value("bucket", "+Inf"), buckets };
  };

  it("ingest and validation histograms count exactly the blocks ingested, by source, in cumulative buckets", async () => {
    const before = series(await (await metrics()).text(), "mathledger_ingest_duration_seconds", "http");
    // Seven more blocks pushed over the ingest path (one batch of 3, then 4 one by one) and two duplicates (not stored).
    const epochs = await loadEpochRegistry(pool);
    let prev = (await loadCanonicalTip(pool))!.block;
    const blocks = [];
    for (let i = 0; i < 7; i++) {
      prev = sealBlock({ statements: [`metrics ${i}`], epochs, prev, timestamp: prev.timestamp + 1, suite });
      blocks.push(prev);
    }
    await ingestBlocks(pool, blocks.slice(0, 3), { source: "http", suite });
    for (const b of blocks.slice(3)) await ingestBlocks(pool, [b], { source: "http", suite });
    await ingestBlocks(pool, blocks.slice(5), { source: "http", suite });
    const text = await (await metrics()).text();
    for (const name of ["mathledger_ingest_duration_seconds", "mathledger_block_validation_duration_seconds"]) {
      const h = series(text, name, "http");
      expect(h.count).toBe(before.count! + 7);
      expect(h.inf).toBe(h.count);
      expect(h.sum).toBeGreaterThan(0);
      // Cumulative: never decreasing, ending at the count.
      expect(h.buckets).toEqual([...h.buckets].sort((a, b) => a - b));
      expect(h.buckets.at(-1)).toBe(h.count);
      expect(series(text, name, "devnet").count).toBe(20);
    }
  });
});
