/**
 * Node reports in PostgreSQL: written by POST /api/v1/node-reports and by the devnet's simulated peers, read in id
 * order by the drift radar. Writers take an advisory lock so rows commit in id order (see block-observations.ts).
 */
import type pg from "pg";
import type { NodeReport } from "../../lib/drift/node-report";

/** "MLNR": serialises node-report writers. */
export const NODE_REPORT_LOCK_KEY = 0x4d4c4e52;

export async function insertNodeReports(pool: pg.Pool, reports: readonly NodeReport[]): Promise<void> {
  if (reports.length === 0) return;
  const col = <T>(f: (r: NodeReport) => T) => reports.map(f);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [NODE_REPORT_LOCK_KEY]);
    await client.query(
      `INSERT INTO node_reports (node_id, observed_at, block_number, peer_count, propagation_ms, blocks_received, orphan_blocks)
       SELECT * FROM unnest($1::text[], $2::float8[], $3::int[], $4::int[], $5::float8[], $6::int[], $7::int[])`,
      [
        col((r) => r.node_id),
        col((r) => r.observed_at),
        col((r) => r.block_number),
        col((r) => r.peer_count),
        col((r) => r.propagation_ms),
        col((r) => r.blocks_received),
        col((r) => r.orphan_blocks),
      ],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

interface ReportRow {
  id: number;
  node_id: string;
  observed_at: number;
  block_number: number | null;
  peer_count: number;
  propagation_ms: number;
  blocks_received: number;
  orphan_blocks: number;
}

/** Reports after `afterId`, oldest first, with their row ids. */
export async function nodeReportsAfter(db: pg.Pool | pg.PoolClient, afterId: number, limit: number): Promise<(NodeReport & { id: number })[]> {
  const { rows } = await db.query<ReportRow>(
    `SELECT id, node_id, observed_at, block_number, peer_count, propagation_ms, blocks_received, orphan_blocks
     FROM node_reports WHERE id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
