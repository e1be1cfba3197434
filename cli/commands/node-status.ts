/**
 * `mathledger-cli node status`: the node as the database sees it (server/chain/chain-status.ts, the same status the
 * dashboard and GET /api/v1/status show): the canonical tip, the epoch in force and the next one, network health
 * with its reasons, throughput, the worker heartbeat, totals, and which database was asked.
 */
import type { ChainStatus } from "../../server/chain/chain-status";
import { getNodeStatus, type PeerStatus } from "../../server/relay/relay-status";
import { defineCommand } from "../command";
import { duration, epochLine, isoTime, table } from "../chain-text";
import { withChainDatabase } from "../database";

/** One line per peer: id, URL, its tip as last learned, and whether this node is in sync with it. */
export function peerLines(peers: readonly PeerStatus[]): string[] {
  if (peers.length === 0) return ["Peers: none (MATHLEDGER_PEERS is not set; the relay is off)"];
  return [
    `Peers (${peers.length}):`,
    ...table(
      peers.map((p) => {
        const tip = p.tip_block === null ? (p.tip_learned_at ? "no blocks" : "tip unknown") : `tip ${p.tip_block}, ${p.tip_hash ?? "?"}`;
        const learned = p.tip_learned_at ? ` (learned ${p.tip_learned_at})` : "";
        const pending = p.pending > 0 ? `; ${p.pending} items pending` : "";
        const error = p.last_error && p.sync !== "in_sync" ? `; last error: ${p.last_error}` : "";
        return [`  ${p.id}`, `${p.url}  ${tip}${learned}: ${p.sync_summary}${pending}${error}`];
      }),
    ),
  ];
}

export function nodeStatusText(status: ChainStatus & { node_id?: string; peers?: readonly PeerStatus[] }, database: string): string {
  const tip =
    status.current_block === null
      ? "no blocks yet"
      : `block ${status.current_block}, ${status.current_block_hash}` +
        (status.seconds_since_last_block === null ? "" : ` (received ${duration(status.seconds_since_last_block)} ago)`);
  const next = status.next_transition
    ? `${epochLine(status.next_transition)}; activates in ${status.next_transition.blocks_remaining} blocks`
    : "none scheduled";
  const health = status.health_reasons.length > 0 ? `${status.network_health}: ${status.health_reasons.join("; ")}` : status.network_health;
  const worker =
    status.worker_heartbeat_age_seconds === null ? "no worker has reported a heartbeat" : `last heartbeat ${duration(status.worker_heartbeat_age_seconds)} ago`;
  const t = status.totals;
  return [
    `Node status at ${isoTime(Math.floor(status.timestamp))}`,
    ...table([
      ["tip", tip],
      ["epoch", status.current_epoch ? epochLine(status.current_epoch) : "no epoch registry yet"],
      ["next epoch", next],
      ["health", health],
      ["blocks/min", `${status.blocks_per_minute} (over the last 5 minutes)`],
      ["worker", worker],
      ["stored", `${t.blocks} blocks (${t.canonical} canonical, ${t.invalid} invalid), ${t.violations} violations, ${t.reorgs} reorgs`],
      ["database", database],
      ...(status.node_id ? [["node id", status.node_id] as [string, string]] : []),
    ]),
    ...(status.peers ? peerLines(status.peers) : []),
  ].join("\n");
}

export const nodeStatusCommand = defineCommand({
  name: "node status",
  summary: "the node's tip, epoch, health, throughput, worker heartbeat, totals and peers",
  description:
    "Reports the node as its database sees it: the canonical tip (height and hash), the epoch in force and the next " +
    "scheduled one, network health (HEALTHY, DEGRADED or CRITICAL) with its reasons, blocks per minute over the " +
    "last 5 minutes, the age of the freshest worker heartbeat, stored totals, the database asked (password " +
    "masked), this node's relay id (MATHLEDGER_NODE_ID) and its peers (MATHLEDGER_PEERS): each peer's URL, its tip " +
    "as last learned, and whether this node is in sync with it (in sync, behind by n, ahead by n, diverged, " +
    "unreachable since ...). The database is DATABASE_URL, or without it the embedded PostgreSQL that `npm start` runs. Health " +
    "expects a block every MATHLEDGER_DEVNET_INTERVAL seconds (default 2). Exit 0 whatever the health; exit 2 when " +
    "the database cannot be reached.",
  flags: {},
  examples: ["mathledger-cli node status", "mathledger-cli node status --json"],
  async run(_flags, context) {
    // Loaded on use: its zod schema costs every other command a fifth of a second at start-up.
    const { readConfig } = await import("../../server/config");
    const config = readConfig(context.env);
    return withChainDatabase(context, async ({ pool, url }) => {
      const { nodeId } = await import("../../server/config");
      const { recordedNodeId } = await import("../../server/chain/heartbeat");
      // The id the running node uses (its worker records it); this shell's own default only when none is recorded.
      const id = (await recordedNodeId(pool)) ?? nodeId(config);
      const status = await getNodeStatus(pool, { expectedIntervalSeconds: config.MATHLEDGER_DEVNET_INTERVAL, nodeId: id });
      return { outcome: "ok", json: { ...status, database: url }, text: nodeStatusText(status, url) };
    });
  },
});
