/**
 * What arrived from each peer over the relay (table relay_received), counted by the receiving route in the
 * transaction that stores it: /metrics' mathledger_relay_*_received_total.
 */
import type pg from "pg";

export async function countReceived(
  client: Pick<pg.ClientBase, "query">,
  peerId: string,
  counts: { blocks?: number; duplicates?: number; bytes: number; records?: number },
): Promise<void> {
  await client.query(
    `INSERT INTO relay_received (peer_id, blocks, duplicates, bytes, records, last_received_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (peer_id) DO UPDATE SET blocks = relay_received.blocks + EXCLUDED.blocks, duplicates = relay_received.duplicates + EXCLUDED.duplicates,
       bytes = relay_received.bytes + EXCLUDED.bytes, records = relay_received.records + EXCLUDED.records, last_received_at = now()`,
    [peerId, counts.blocks ?? 0, counts.duplicates ?? 0, counts.bytes, counts.records ?? 0],
  );
}
