/**
 * GET /metrics: Prometheus exposition through prom-client. The figures that matter are produced by other processes
 * (the worker ingests and runs the radar, the CLI imports), so they are read from PostgreSQL at scrape time rather
 * than counted in this process: every scrape is the database's truth, whichever process did the work. Counters are
 * totals over the stored rows (they only grow, as a counter must, except when an operator deletes data).
 *
 * The ingest and validation latency histograms are kept per bucket in PostgreSQL by ingest itself, in each batch's
 * transaction (server/drift/latency-histograms.ts says why that, rather than a prom-client Histogram per process).
 */
import type pg from "pg";
import { Registry, collectDefaultMetrics, type Metric } from "prom-client";
import { cumulativeHistogram, LATENCY_BUCKETS_SECONDS } from "../../lib/metrics/latency-histogram";
import { INGEST_DURATION, readLatencies, VALIDATION_DURATION, type LatencyMetric } from "./latency-histograms";

/** Histogram buckets for per-block latencies, in seconds. */
export const LATENCY_BUCKETS = LATENCY_BUCKETS_SECONDS;

type Sample = { metricName?: string; labels: Record<string, string | number>; value: number };

/** A metric whose samples come from an async query at scrape time. */
function dbMetric(name: string, help: string, type: "counter" | "gauge" | "histogram", samples: () => Promise<Sample[]>): Metric {
  return {
    name,
    help,
    type,
    aggregator: "sum",
    get: async () => ({ name, help, type, aggregator: "sum", values: await samples() }),
  } as unknown as Metric;
}

async function histogram(pool: pg.Pool, name: string, column: "validation_ms" | "sealing_ms"): Promise<Sample[]> {
  const cases = LATENCY_BUCKETS.map((b, i) => `count(*) FILTER (WHERE ${column} <= ${b * 1000}) AS b${i}`).join(", ");
  const { rows } = await pool.query(`SELECT ${cases}, count(${column})::float8 AS n, coalesce(sum(${column}), 0) / 1000 AS sum FROM block_observations`);
  const r = rows[0];
  return [
    ...LATENCY_BUCKETS.map((b, i) => ({ metricName: `${name}_bucket`, labels: { le: b }, value: Number(r[`b${i}`]) })),
    { metricName: `${name}_bucket`, labels: { le: "+Inf" }, value: Number(r.n) },
    { metricName: `${name}_sum`, labels: {}, value: Number(r.sum) },
    { metricName: `${name}_count`, labels: {}, value: Number(r.n) },
  ];
}

/** A histogram kept per bucket by ingest, one series per source (devnet, import, http). */
async function storedHistogram(pool: pg.Pool, name: LatencyMetric): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const [source, stored] of await readLatencies(pool, name)) {
    const h = cumulativeHistogram(stored);
    for (const b of h.buckets) out.push({ metricName: `${name}_bucket`, labels: { source, le: b.le === Infinity ? "+Inf" : b.le }, value: b.count });
    out.push({ metricName: `${name}_sum`, labels: { source }, value: h.sum }, { metricName: `${name}_count`, labels: { source }, value: h.count });
  }
  return out;
}

export function createMetricsRegistry(pool: pg.Pool): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "mathledger_web_" });
  const grouped = async (sql: string, labels: string[]): Promise<Sample[]> => {
    const { rows } = await pool.query(sql);
    return rows.map((r) => ({ labels: Object.fromEntries(labels.map((l) => [l, String(r[l])])), value: Number(r.n) }));
  };
  const metrics: Metric[] = [
    dbMetric("mathledger_blocks_ingested_total", "Blocks that arrived, by source, admission outcome (stored or refused) and verdict.", "counter", () =>
      grouped("SELECT source, outcome, verdict, count(*)::float8 AS n FROM block_observations GROUP BY 1, 2, 3", ["source", "outcome", "verdict"]),
    ),
    dbMetric("mathledger_violations_total", "Violations of stored blocks, by code and severity.", "counter", () =>
      grouped("SELECT code, severity, count(*)::float8 AS n FROM violations GROUP BY 1, 2", ["code", "severity"]),
    ),
    dbMetric("mathledger_drift_events_total", "Drift events raised, by category and severity (governance alerts: category governance).", "counter", () =>
      grouped("SELECT coalesce(drift_category, 'governance') AS category, severity, count(*)::float8 AS n FROM drift_events GROUP BY 1, 2", ["category", "severity"]),
    ),
    dbMetric("mathledger_drift_events_open", "Drift events not yet resolved, by category and severity.", "gauge", () =>
      grouped("SELECT coalesce(drift_category, 'governance') AS category, severity, count(*)::float8 AS n FROM drift_events WHERE NOT resolved GROUP BY 1, 2", ["category", "severity"]),
    ),
    dbMetric("mathledger_alert_deliveries_total", "Alert deliveries by channel and outcome (sent, pending, folded, silenced, inhibited).", "counter", () =>
      grouped("SELECT channel, status AS outcome, count(*)::float8 AS n FROM alert_deliveries GROUP BY 1, 2", ["channel", "outcome"]),
    ),
    dbMetric("mathledger_current_block", "Height of the canonical tip.", "gauge", async () => {
      const { rows } = await pool.query("SELECT max(block_number)::float8 AS n FROM blocks WHERE canonical");
      return rows[0].n === null ? [] : [{ labels: {}, value: Number(rows[0].n) }];
    }),
    dbMetric(INGEST_DURATION, "Per stored block: time from the ingest call to the end of its batch's writes (the batch commits together), by source.", "histogram", () =>
      storedHistogram(pool, INGEST_DURATION),
    ),
    dbMetric(VALIDATION_DURATION, "Per stored block: time to validate it under its epoch's consensus rules, by source.", "histogram", () =>
      storedHistogram(pool, VALIDATION_DURATION),
    ),
    dbMetric("mathledger_block_sealing_seconds", "Time the devnet took to seal a block.", "histogram", () =>
      histogram(pool, "mathledger_block_sealing_seconds", "sealing_ms"),
    ),
    // The node-to-node relay (server/relay/): per peer, what this node sent and what arrived from it.
    dbMetric("mathledger_relay_blocks_sent_total", "Blocks sent to each peer by the relay (log items and catch-up), counted once the peer answered 2xx.", "counter", () =>
      grouped("SELECT peer_id AS peer, blocks_sent::float8 AS n FROM relay_peers", ["peer"]),
    ),
    dbMetric("mathledger_relay_bytes_sent_total", "Request body bytes the relay sent to each peer (blocks and governance records), counted once the peer answered 2xx.", "counter", () =>
      grouped("SELECT peer_id AS peer, bytes_sent::float8 AS n FROM relay_peers", ["peer"]),
    ),
    dbMetric("mathledger_relay_records_sent_total", "Governance records sent to each peer by the relay.", "counter", () =>
      grouped("SELECT peer_id AS peer, records_sent::float8 AS n FROM relay_peers", ["peer"]),
    ),
    dbMetric("mathledger_relay_blocks_received_total", "Blocks stored here that a peer relayed (X-MathLedger-Relay-From), by peer.", "counter", () =>
      grouped("SELECT peer_id AS peer, blocks::float8 AS n FROM relay_received", ["peer"]),
    ),
    dbMetric("mathledger_relay_duplicates_received_total", "Blocks a peer relayed that this node already had (answered as duplicates, not relayed again), by peer.", "counter", () =>
      grouped("SELECT peer_id AS peer, duplicates::float8 AS n FROM relay_received", ["peer"]),
    ),
    dbMetric("mathledger_relay_bytes_received_total", "Request body bytes received from each peer over the relay.", "counter", () =>
      grouped("SELECT peer_id AS peer, bytes::float8 AS n FROM relay_received", ["peer"]),
    ),
    dbMetric("mathledger_relay_records_received_total", "Governance records from each peer that this node verified and registered.", "counter", () =>
      grouped("SELECT peer_id AS peer, records::float8 AS n FROM relay_received", ["peer"]),
    ),
    dbMetric("mathledger_relay_pending_items", "Relay log items not yet delivered to each peer.", "gauge", () =>
      grouped("SELECT p.peer_id AS peer, (SELECT count(*) FROM relay_items i WHERE i.seq > p.cursor AND i.origin_peer IS DISTINCT FROM p.peer_id)::float8 AS n FROM relay_peers p", ["peer"]),
    ),
  ];
  for (const m of metrics) registry.registerMetric(m);
  return registry;
}
