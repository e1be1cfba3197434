/**
 * Whether this node is in sync with a peer, from the peer's tip as last learned (a relay answer or its
 * GET /api/v1/status) and this node's own canonical tip. Pure: the caller supplies both tips and the clock.
 */

export type PeerSyncState = "in_sync" | "behind" | "ahead" | "diverged" | "unreachable" | "unknown";

export interface PeerTipKnowledge {
  /** The peer's canonical height as last learned (null: it has no blocks, or nothing learned yet). */
  tip_block: number | null;
  tip_hash: string | null;
  /** When the tip was learned (ms since the epoch), null: never. */
  tip_learned_at: number | null;
  /** Since when the peer has not answered (ms since the epoch), null: it answers. */
  unreachable_since: number | null;
}

export interface OwnTip {
  block_number: number | null;
  /** Every hash that names the tip here (legacy and PQ): a peer may report either, depending on the epoch. */
  hashes: string[];
}

export interface PeerSync {
  state: PeerSyncState;
  /** Blocks this node is behind (state behind) or ahead (state ahead); 0 otherwise. */
  blocks: number;
  /** One line for people: "in sync", "behind by 3", "unreachable since 2026-12-03T16:40:00.000Z", ... */
  summary: string;
}

export function peerSync(peer: PeerTipKnowledge, own: OwnTip): PeerSync {
  if (peer.unreachable_since !== null) {
    return { state: "unreachable", blocks: 0, summary: `unreachable since ${new Date(peer.unreachable_since).toISOString()}` };
  }
  if (peer.tip_learned_at === null) return { state: "unknown", blocks: 0, summary: "tip not learned yet" };
  const mine = own.block_number ?? -1;
  const theirs = peer.tip_block ?? -1;
  if (theirs > mine) return { state: "behind", blocks: theirs - mine, summary: `behind by ${theirs - mine}` };
  if (theirs < mine) return { state: "ahead", blocks: mine - theirs, summary: `ahead by ${mine - theirs}` };
  if (theirs === -1 || (peer.tip_hash !== null && own.hashes.includes(peer.tip_hash))) return { state: "in_sync", blocks: 0, summary: "in sync (same tip)" };
  return { state: "diverged", blocks: 0, summary: `same height ${mine}, different tip hash` };
}
