/**
 * Ingest and validation latency histograms, kept in PostgreSQL (latency_histogram_buckets).
 *
 * Why in the database: blocks are ingested by the worker (devnet, resumed imports), the CLI (imports) and the web
 * process (pushes), while GET /metrics is served by the web process. A prom-client Histogram in each process would
 * need every process to be scraped (the CLI is not a server, and a restart resets its counts), or the web to
 * aggregate the others' registries over some channel that can lose them. Instead each ingest batch adds its per-block
 * observations, bucketed, to these rows inside the batch's own transaction: the counts are exactly the committed
 * blocks (a rolled-back batch counts nothing, a killed process loses nothing), survive restarts, and /metrics reads
 * one small table (a few dozen rows) whatever the chain length, unlike recomputing from block_observations. Ingest
 * already serializes its batches under one advisory lock, so these upserts add no contention of their own.
 */
import type pg from "pg";
import { countIntoBuckets, type BucketCount } from "../../lib/metrics/latency-histogram";

export const INGEST_DURATION = "mathledger_ingest_duration_seconds";
export const VALIDATION_DURATION = "mathledger_block_validation_duration_seconds";
export type LatencyMetric = typeof INGEST_DURATION | typeof VALIDATION_DURATION;

/** Adds observations (seconds) of each metric for `source`, in the caller's transaction: one statement per batch. */
export async function addLatencies(client: pg.PoolClient | pg.Pool, source: string, samples: Partial<Record<LatencyMetric, readonly number[]>>): Promise<void> {
  const metric: string[] = [];
  const le: number[] = [];
  const count: number[] = [];
  const sum: number[] = [];
  for (const [name, seconds] of Object.entries(samples)) {
    for (const b of countIntoBuckets(seconds ?? [])) {
      metric.push(name);
      le.push(b.le);
      count.push(b.count);
      sum.push(b.sum);
    }
  }
  if (metric.length === 0) return;
  await client.query(
    `INSERT INTO latency_histogram_buckets (metric, source, le, count, sum)
     SELECT m, $1, le, n, s FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::float8[]) AS x(m, le, n, s)
     ON CONFLICT (metric, source, le) DO UPDATE
       SET count = latency_histogram_buckets.count + EXCLUDED.count, sum = latency_histogram_buckets.sum + EXCLUDED.sum`,
    [source, metric, le, count, sum],
  );
}

/** Stored per-bucket counts of `metric`, by source. */
export async function readLatencies(db: pg.Pool | pg.PoolClient, metric: LatencyMetric): Promise<Map<string, BucketCount[]>> {
  const { rows } = await db.query<{ source: string; le: number; count: string; sum: number }>(
    "SELECT source, le, count, sum FROM latency_histogram_buckets WHERE metric = $1 ORDER BY source, le",
    [metric],
  );
  const out = new Map<string, BucketCount[]>();
  for (const r of rows) {
    const list = out.get(r.source) ?? [];
    list.push({ le: Number(r.le), count: Number(r.count), sum: Number(r.sum) });
    out.set(r.source, list);
  }
  return out;
}
