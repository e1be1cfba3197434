/**
 * The devnet's simulated peers: a handful of nodes that each report, per block, a plausible view of a healthy
 * network (peer count, propagation time, rare orphans). Deterministic per seed and block, like the statements, so
 * a devnet run and its tests see the same reports.
 */
import type { NodeReport } from "../drift/node-report";
import { createPrng } from "./statement-generator";

export const DEFAULT_DEVNET_PEERS = 5;

export function devnetPeerIds(count = DEFAULT_DEVNET_PEERS): string[] {
  return Array.from({ length: count }, (_, i) => `devnet-peer-${i + 1}`);
}

/**
 * One report per simulated peer for `blockNumber`, observed at `observedAt` (Unix seconds): 6..12 peers,
 * 40..400 ms propagation, an orphan about once in 500 block receptions.
 */
export function simulatePeerReports(input: { seed: number; blockNumber: number; observedAt: number; peers?: number }): NodeReport[] {
  const ids = devnetPeerIds(input.peers);
  return ids.map((node_id, i) => {
    const r = createPrng((input.seed * 2654435761 + input.blockNumber * 97 + i * 7919) >>> 0);
    return {
      node_id,
      observed_at: input.observedAt,
      block_number: input.blockNumber,
      peer_count: 6 + Math.floor(r() * 7),
      propagation_ms: Math.round(40 + r() * 360),
      blocks_received: 1,
      orphan_blocks: r() < 0.002 ? 1 : 0,
    };
  });
}
