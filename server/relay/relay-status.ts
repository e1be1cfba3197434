/**
 * The peers as this node knows them, for GET /api/v1/status, `mathledger-cli node status` and the dashboard: each
 * configured peer (relay_peers, kept equal to MATHLEDGER_PEERS by the worker) with its tip as last learned, whether
 * this node is in sync with it (lib/relay/peer-sync.ts), and what the relay sent it and received from it.
 */
import type pg from "pg";
import { peerSync, type PeerSyncState } from "../../lib/relay/peer-sync";
import { getChainStatus, type ChainStatus } from "../chain/chain-status";

export interface PeerStatus {
  id: string;
  url: string;
  tip_block: number | null;
  tip_hash: string | null;
  /** ISO time the tip was learned (a relay answer or the peer's GET /api/v1/status); null: not yet. */
  tip_learned_at: string | null;
  sync: PeerSyncState;
  /** Blocks behind (sync "behind") or ahead (sync "ahead"). */
  sync_blocks: number;
  sync_summary: string;
  unreachable_since: string | null;
  last_contact_at: string | null;
  last_error: string | null;
  /** Relay log items not yet delivered to it. */
  pending: number;
  blocks_sent: number;
  bytes_sent: number;
  records_sent: number;
  blocks_received: number;
  bytes_received: number;
}

interface PeerRow {
  peer_id: string;
  url: string;
  tip_block: number | null;
  tip_hash: string | null;
  tip_learned_at: Date | null;
  unreachable_since: Date | null;
  last_contact_at: Date | null;
  last_error: string | null;
  pending: number;
  blocks_sent: number;
  bytes_sent: number;
  records_sent: number;
  blocks_received: number | null;
  bytes_received: number | null;
  own_block: number | null;
  own_legacy: string | null;
  own_pq: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loadPeerStatuses(pool: pg.Pool): Promise<PeerStatus[]> {
  const { rows } = await pool.query<PeerRow>(
    `SELECT p.peer_id, p.url, p.tip_block, p.tip_hash, p.tip_learned_at, p.unreachable_since, p.last_contact_at, p.last_error,
            (SELECT count(*) FROM relay_items i WHERE i.seq > p.cursor AND i.origin_peer IS DISTINCT FROM p.peer_id)::int AS pending,
            p.blocks_sent::float8 AS blocks_sent, p.bytes_sent::float8 AS bytes_sent, p.records_sent::float8 AS records_sent,
            r.blocks::float8 AS blocks_received, r.bytes::float8 AS bytes_received,
            tip.block_number AS own_block, tip.legacy_hash AS own_legacy, tip.pq_hash AS own_pq
     FROM relay_peers p
     LEFT JOIN relay_received r ON r.peer_id = p.peer_id
     LEFT JOIN LATERAL (SELECT block_number, legacy_hash, pq_hash FROM blocks WHERE canonical ORDER BY block_number DESC LIMIT 1) tip ON true
     ORDER BY p.peer_id`,
  );
  return rows.map((r) => {
    const sync = peerSync(
      { tip_block: r.tip_block, tip_hash: r.tip_hash, tip_learned_at: r.tip_learned_at?.getTime() ?? null, unreachable_since: r.unreachable_since?.getTime() ?? null },
      { block_number: r.own_block, hashes: [r.own_legacy, r.own_pq].filter((h): h is string => h !== null) },
    );
    return {
      id: r.peer_id,
      url: r.url,
      tip_block: r.tip_block,
      tip_hash: r.tip_hash,
      tip_learned_at: iso(r.tip_learned_at),
      sync: sync.state,
      sync_blocks: sync.blocks,
      sync_summary: sync.summary,
      unreachable_since: iso(r.unreachable_since),
      last_contact_at: iso(r.last_contact_at),
      last_error: r.last_error,
      pending: r.pending,
      blocks_sent: r.blocks_sent,
      bytes_sent: r.bytes_sent,
      records_sent: r.records_sent,
      blocks_received: r.blocks_received ?? 0,
      bytes_received: r.bytes_received ?? 0,
    };
  });
}

/** The chain status plus this node's relay id and its peers (GET /api/v1/status, `node status`). */
export type NodeStatus = ChainStatus & { node_id: string; peers: PeerStatus[] };

export async function getNodeStatus(pool: pg.Pool, options: { expectedIntervalSeconds: number; nodeId: string }): Promise<NodeStatus> {
  const [status, peers] = await Promise.all([getChainStatus(pool, { expectedIntervalSeconds: options.expectedIntervalSeconds }), loadPeerStatuses(pool)]);
  return { ...status, node_id: options.nodeId, peers };
}
