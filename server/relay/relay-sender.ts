/**
 * The relay sender: passes every item of the relay log (server/relay/relay-log.ts) to every configured peer, in order,
 * over the peer's own HTTP API: blocks to POST /api/v1/blocks (the push format, the peer's node token, and
 * X-MathLedger-Relay-From so the peer does not send them back), governance records to POST /api/v1/relay/governance.
 *
 * Prompt: it LISTENs on the log's channel, so an item is sent as soon as the transaction that logged it commits (no
 * poll on the hot path); a one-second tick covers retries, a lost LISTEN connection and status polls.
 *
 * Durable: each peer has a cursor in relay_peers (the last item delivered), advanced only after the peer answered 2xx,
 * so a peer that is down gets everything once it is back (in batches of up to MAX_BLOCKS_PER_REQUEST) and a restart of
 * this node loses nothing (an item may be sent twice after a crash between the answer and the cursor update; the peer
 * answers a block it has as a duplicate, and a record it has registered as already registered).
 *
 * Failures back off per peer (exponential, capped; a 429's Retry-After is honoured). A peer missing the blocks below
 * the one sent (409 ORPHAN_BLOCK: it started later, or was down past what the log kept) is first sent this node's
 * canonical blocks from just above its tip. A block the peer refuses as bad input is skipped with the reason kept in
 * last_error (it is not retried forever, and it does not hold up the blocks behind it).
 *
 * One process per database sends (lease "relay-sender"); the others stand by.
 */
import type pg from "pg";
import { RELAY_FROM_HEADER, type RelayPeer } from "../../lib/relay/peers-config";
import { acquireLease, releaseLease } from "../devnet/devnet-producer";
import { itemsAfter, loadBlocksByContentId, loadCanonicalRange, pruneRelayLog, RELAY_CHANNEL, type RelayItemRow } from "./relay-log";

export const RELAY_LEASE = "relay-sender";
/** Blocks per request when a peer is catching up (the push route's own limit is 1000). */
export const MAX_BLOCKS_PER_REQUEST = 100;
/** Body size per request; below the push route's default limit (1 MiB), halved for a peer that answers 413. */
export const MAX_BYTES_PER_REQUEST = 768 * 1024;
const TICK_MS = 1_000;
const LEASE_TTL_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 15_000;
/** How often a peer's GET /api/v1/status is asked when nothing else was heard from it (its tip, for node status). */
const STATUS_EVERY_MS = 5_000;

export interface RelaySenderOptions {
  nodeId: string;
  peers: RelayPeer[];
  /** Lease holder id (the worker's id). */
  holder: string;
  log?: (message: string) => void;
  /** How often each peer's status is asked when nothing else was heard from it (default 5 s). */
  statusEveryMs?: number;
}

interface PeerState {
  peer: RelayPeer;
  running: boolean;
  again: boolean;
  wake: NodeJS.Timeout | null;
  maxBytes: number;
  lastHeardMs: number;
  /** When a batch was refused as bad input: send one item at a time up to this seq, to find the one at fault. */
  singlesUntil: number;
}

/** An answer from a peer, reduced to what the sender acts on. */
interface PeerAnswer {
  status: number;
  code: string | null;
  message: string;
  body: unknown;
  retryAfterMs: number | null;
}

class PeerUnreachable extends Error {}

export class RelaySender {
  private readonly pool: pg.Pool;
  private readonly options: RelaySenderOptions;
  private readonly states = new Map<string, PeerState>();
  private listener: pg.PoolClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private holding = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(pool: pg.Pool, options: RelaySenderOptions) {
    this.pool = pool;
    this.options = options;
    for (const peer of options.peers) {
      this.states.set(peer.id, { peer, running: false, again: false, wake: null, maxBytes: MAX_BYTES_PER_REQUEST, lastHeardMs: 0, singlesUntil: 0 });
    }
  }

  private log(message: string): void {
    this.options.log?.(`relay: ${message}`);
  }

  /**
   * Makes relay_peers match the configuration (new peers start at the log's end: they are brought up to date from
   * their tip by the catch-up path, not by replaying history), then starts listening and ticking.
   */
  async start(): Promise<void> {
    await syncPeerRows(this.pool, this.options.peers);
    await this.tick();
    this.timer = setInterval(() => void this.track(this.tick()), TICK_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.states.values()) if (s.wake) clearTimeout(s.wake);
    await Promise.allSettled([...this.inFlight]);
    await this.closeListener();
    if (this.holding) await releaseLease(this.pool, RELAY_LEASE, this.options.holder).catch(() => undefined);
  }

  /** Sends whatever is pending, to every peer (called on NOTIFY; safe to call any time). */
  kick(): void {
    if (this.stopped || !this.holding) return;
    for (const state of this.states.values()) this.track(this.drain(state));
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((error: Error) => this.log(error.message)).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.options.peers.length === 0) return;
    const held = await acquireLease(this.pool, RELAY_LEASE, this.options.holder, LEASE_TTL_MS);
    if (held && !this.holding) this.log(`sending to ${this.options.peers.map((p) => `${p.id} (${p.url})`).join(", ")} as ${this.options.nodeId}`);
    this.holding = held;
    if (!held) {
      await this.closeListener();
      return;
    }
    if (!this.listener) await this.openListener();
    const statusEvery = this.options.statusEveryMs ?? STATUS_EVERY_MS;
    for (const state of this.states.values()) {
      if (Date.now() - state.lastHeardMs >= statusEvery) this.track(this.pollStatus(state));
    }
    this.kick();
    await pruneRelayLog(this.pool);
  }

  private async openListener(): Promise<void> {
    const client = await this.pool.connect();
    client.on("notification", () => this.kick());
    client.on("error", () => {
      // The tick reopens it; meanwhile the tick's kick keeps items moving.
      if (this.listener === client) this.listener = null;
      client.release(true);
    });
    await client.query(`LISTEN ${RELAY_CHANNEL}`);
    this.listener = client;
  }

  private async closeListener(): Promise<void> {
    const client = this.listener;
    this.listener = null;
    if (!client) return;
    await client.query(`UNLISTEN ${RELAY_CHANNEL}`).catch(() => undefined);
    client.release();
  }

  /** Sends the peer everything after its cursor; one drain per peer at a time (a kick meanwhile runs it again). */
  private async drain(state: PeerState): Promise<void> {
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      do {
        state.again = false;
        while (!this.stopped && this.holding && (await this.sendNext(state)));
      } while (state.again && !this.stopped);
    } finally {
      state.running = false;
    }
  }

  /** Sends the next request's worth of items to one peer; false when there is nothing to send now. */
  private async sendNext(state: PeerState): Promise<boolean> {
    const { peer } = state;
    const { rows } = await this.pool.query<{ cursor: number; wait_ms: number | null }>(
      "SELECT cursor, ceil(extract(epoch FROM next_attempt_at - now()) * 1000)::int AS wait_ms FROM relay_peers WHERE peer_id = $1",
      [peer.id],
    );
    if (rows.length === 0) return false;
    const waitMs = rows[0].wait_ms;
    if (waitMs !== null && waitMs > 0) {
      this.wakeLater(state, waitMs);
      return false;
    }
    const cursor = Number(rows[0].cursor);
    const items = await itemsAfter(this.pool, cursor, MAX_BLOCKS_PER_REQUEST);
    if (items.length === 0) return false;

    // Items that came from this peer are not sent back to it.
    const fromPeer = items.findIndex((i) => i.origin_peer !== peer.id);
    if (fromPeer !== 0) {
      const skipTo = fromPeer < 0 ? items[items.length - 1].seq : items[fromPeer - 1].seq;
      await this.pool.query("UPDATE relay_peers SET cursor = $2 WHERE peer_id = $1 AND cursor < $2", [peer.id, skipTo]);
      return true;
    }
    if (items[0].kind === "governance") return this.sendRecord(state, items[0]);
    const run: RelayItemRow[] = [];
    for (const item of items) {
      if (item.kind !== "block" || item.origin_peer === peer.id) break;
      run.push(item);
      if (item.seq <= state.singlesUntil) break;
    }
    return this.sendBlocks(state, run);
  }

  private async sendBlocks(state: PeerState, run: RelayItemRow[]): Promise<boolean> {
    const { peer } = state;
    const byId = await loadBlocksByContentId(this.pool, run.map((i) => i.content_id!));
    let blocks = run.filter((i) => byId.has(i.content_id!)).map((i) => byId.get(i.content_id!)!);
    let items = run.filter((i) => byId.has(i.content_id!));
    let body = JSON.stringify({ blocks });
    while (blocks.length > 1 && Buffer.byteLength(body) > state.maxBytes) {
      const keep = Math.max(1, Math.floor(blocks.length / 2));
      blocks = blocks.slice(0, keep);
      items = items.slice(0, keep);
      body = JSON.stringify({ blocks });
    }
    const lastSeq = (items.length > 0 ? items[items.length - 1] : run[run.length - 1]).seq;
    if (blocks.length === 0) {
      await this.advance(peer.id, lastSeq);
      return true;
    }
    const answer = await this.request(state, "/api/v1/blocks", body);
    if (answer === null) return false;
    if (answer.status >= 200 && answer.status < 300) {
      const tip = (answer.body as { tip?: { block_number: number; legacy_hash: string } | null }).tip ?? null;
      await this.pool.query(
        `UPDATE relay_peers SET cursor = greatest(cursor, $2), blocks_sent = blocks_sent + $3, bytes_sent = bytes_sent + $4,
           tip_block = coalesce($5, tip_block), tip_hash = coalesce($6, tip_hash), tip_learned_at = CASE WHEN $5::int IS NULL THEN tip_learned_at ELSE now() END
         WHERE peer_id = $1`,
        [peer.id, lastSeq, blocks.length, Buffer.byteLength(body), tip?.block_number ?? null, tip?.legacy_hash ?? null],
      );
      return true;
    }
    if (answer.code === "ORPHAN_BLOCK") return this.catchUp(state, blocks[0].block_number);
    if (answer.status === 413 && state.maxBytes > 16 * 1024) {
      state.maxBytes = Math.floor(state.maxBytes / 2);
      return true;
    }
    if (isRefusal(answer)) {
      if (items.length > 1) {
        // Which block the peer refused is not said per block: send this run again one at a time.
        state.singlesUntil = lastSeq;
        return true;
      }
      const reason = `peer refused block ${blocks[0].block_number} (${answer.status} ${answer.code}): ${answer.message}; skipped`;
      this.log(`${peer.id}: ${reason}`);
      await this.pool.query("UPDATE relay_peers SET cursor = greatest(cursor, $2), last_error = $3 WHERE peer_id = $1", [peer.id, lastSeq, reason]);
      return true;
    }
    await this.backOff(state, `${answer.status} ${answer.code ?? ""}: ${answer.message}`.trim(), answer.retryAfterMs, answer.status >= 500);
    return false;
  }

  /**
   * The peer lacks the blocks below `firstMissing`: ask its tip and send this node's canonical blocks from there up
   * to just below `firstMissing`, then let the log's run go again.
   */
  private async catchUp(state: PeerState, firstMissing: number): Promise<boolean> {
    const { peer } = state;
    const status = await this.fetchStatus(state);
    if (status === null) return false;
    let from = (status.current_block ?? -1) + 1;
    const to = firstMissing - 1;
    if (from > to) {
      await this.backOff(state, `peer answered ORPHAN_BLOCK for block ${firstMissing} but reports tip ${status.current_block}`, null, false);
      return false;
    }
    this.log(`${peer.id} is at ${status.current_block ?? "no blocks"}; sending blocks ${from}..${to} first`);
    while (from <= to && !this.stopped) {
      const range = await loadCanonicalRange(this.pool, from, Math.min(to, from + MAX_BLOCKS_PER_REQUEST - 1));
      if (range.length === 0) break;
      let blocks = range.map((r) => r.block);
      let body = JSON.stringify({ blocks });
      while (blocks.length > 1 && Buffer.byteLength(body) > state.maxBytes) {
        blocks = blocks.slice(0, Math.max(1, Math.floor(blocks.length / 2)));
        body = JSON.stringify({ blocks });
      }
      const answer = await this.request(state, "/api/v1/blocks", body);
      if (answer === null) return false;
      if (answer.status < 200 || answer.status >= 300) {
        await this.backOff(state, `catching up from block ${from}: ${answer.status} ${answer.code ?? ""}: ${answer.message}`, answer.retryAfterMs, answer.status >= 500);
        return false;
      }
      await this.pool.query("UPDATE relay_peers SET blocks_sent = blocks_sent + $2, bytes_sent = bytes_sent + $3 WHERE peer_id = $1", [
        peer.id,
        blocks.length,
        Buffer.byteLength(body),
      ]);
      from = blocks[blocks.length - 1].block_number + 1;
    }
    return true;
  }

  private async sendRecord(state: PeerState, item: RelayItemRow): Promise<boolean> {
    const { peer } = state;
    const body = JSON.stringify(item.record);
    const answer = await this.request(state, "/api/v1/relay/governance", body);
    if (answer === null) return false;
    if (answer.status >= 200 && answer.status < 300) {
      await this.pool.query("UPDATE relay_peers SET cursor = greatest(cursor, $2), records_sent = records_sent + 1, bytes_sent = bytes_sent + $3 WHERE peer_id = $1", [
        peer.id,
        item.seq,
        Buffer.byteLength(body),
      ]);
      return true;
    }
    if (isRefusal(answer)) {
      const reason = `peer refused governance record ${item.seq} (${answer.status} ${answer.code}): ${answer.message}; skipped`;
      this.log(`${peer.id}: ${reason}`);
      await this.pool.query("UPDATE relay_peers SET cursor = greatest(cursor, $2), last_error = $3 WHERE peer_id = $1", [peer.id, item.seq, reason]);
      return true;
    }
    await this.backOff(state, `${answer.status} ${answer.code ?? ""}: ${answer.message}`.trim(), answer.retryAfterMs, answer.status >= 500);
    return false;
  }

  /** POSTs `body` to the peer; null (after backing off) when the peer could not be reached at all. */
  private async request(state: PeerState, path: string, body: string): Promise<PeerAnswer | null> {
    const { peer } = state;
    try {
      const response = await fetchPeer(`${peer.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${peer.token}`, "content-type": "application/json", [RELAY_FROM_HEADER]: this.options.nodeId },
        body,
      });
      const answer = await readAnswer(response);
      state.lastHeardMs = Date.now();
      if (answer.status < 500) {
        await this.pool.query(
          "UPDATE relay_peers SET last_contact_at = now(), unreachable_since = NULL, failures = 0, next_attempt_at = NULL, last_error = CASE WHEN $2 THEN NULL ELSE last_error END WHERE peer_id = $1",
          [peer.id, answer.status < 300],
        );
      }
      return answer;
    } catch (error) {
      await this.backOff(state, (error as Error).message, null, true);
      return null;
    }
  }

  private async fetchStatus(state: PeerState): Promise<{ current_block: number | null; current_block_hash: string | null } | null> {
    const { peer } = state;
    try {
      const response = await fetchPeer(`${peer.url}/api/v1/status`, { method: "GET" });
      const answer = await readAnswer(response);
      if (answer.status !== 200) throw new PeerUnreachable(`GET /api/v1/status answered ${answer.status}: ${answer.message}`);
      const body = answer.body as { current_block?: unknown; current_block_hash?: unknown };
      const tip = typeof body.current_block === "number" ? body.current_block : null;
      const hash = typeof body.current_block_hash === "string" ? body.current_block_hash : null;
      state.lastHeardMs = Date.now();
      const { rows } = await this.pool.query<{ was_unreachable: boolean }>(
        `UPDATE relay_peers p SET tip_block = $2, tip_hash = $3, tip_learned_at = now(), last_contact_at = now(), unreachable_since = NULL,
           failures = 0, next_attempt_at = NULL
         FROM (SELECT unreachable_since IS NOT NULL AS was_unreachable FROM relay_peers WHERE peer_id = $1) old
         WHERE p.peer_id = $1 RETURNING old.was_unreachable`,
        [peer.id, tip, hash],
      );
      if (rows[0]?.was_unreachable) {
        this.log(`${peer.id} answers again`);
        this.track(this.drain(state));
      }
      return { current_block: tip, current_block_hash: hash };
    } catch (error) {
      await this.backOff(state, (error as Error).message, null, true);
      return null;
    }
  }

  private async pollStatus(state: PeerState): Promise<void> {
    state.lastHeardMs = Date.now(); // one poll per interval even while it is in flight
    await this.fetchStatus(state);
  }

  private async backOff(state: PeerState, reason: string, retryAfterMs: number | null, unreachable: boolean): Promise<void> {
    const { rows } = await this.pool.query<{ failures: number; first: boolean }>(
      `UPDATE relay_peers SET failures = failures + 1, last_error = $2,
         unreachable_since = CASE WHEN $3 THEN coalesce(unreachable_since, now()) ELSE unreachable_since END
       WHERE peer_id = $1 RETURNING failures, failures = 1 AS first`,
      [state.peer.id, reason, unreachable],
    );
    const failures = rows[0]?.failures ?? 1;
    const delay = retryAfterMs ?? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 10));
    await this.pool.query("UPDATE relay_peers SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000) WHERE peer_id = $1", [state.peer.id, delay]);
    if (rows[0]?.first) this.log(`${state.peer.id}: ${reason}; retrying with backoff`);
    this.wakeLater(state, delay);
  }

  private wakeLater(state: PeerState, ms: number): void {
    if (state.wake || this.stopped) return;
    state.wake = setTimeout(() => {
      state.wake = null;
      this.track(this.drain(state));
    }, ms);
    state.wake.unref();
  }

  private async advance(peerId: string, seq: number): Promise<void> {
    await this.pool.query("UPDATE relay_peers SET cursor = greatest(cursor, $2) WHERE peer_id = $1", [peerId, seq]);
  }
}

/**
 * A 4xx that retrying the same request cannot fix: the peer judged the item (bad input, a governance reason code).
 * Not a refusal: a token problem (the operator may fix it), a timeout, a rate limit, a missing predecessor.
 */
function isRefusal(answer: PeerAnswer): boolean {
  if (answer.status < 400 || answer.status >= 500 || answer.status === 408 || answer.status === 429) return false;
  return !["UNAUTHENTICATED", "FORBIDDEN", "ORPHAN_BLOCK", "CROSS_SITE_REQUEST"].includes(answer.code ?? "");
}

async function fetchPeer(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new PeerUnreachable(`${init.method} ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

async function readAnswer(response: Response): Promise<PeerAnswer> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const retryAfter = Number(response.headers.get("retry-after"));
  return {
    status: response.status,
    code: error?.code ?? null,
    message: error?.message ?? (response.ok ? "ok" : text.slice(0, 200)),
    body,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
  };
}

/**
 * Makes relay_peers hold exactly the configured peers: a new peer starts at the log's end (it catches up from its own
 * tip), a removed one is forgotten (with no peers left, nothing more is logged), a changed URL is updated.
 */
export async function syncPeerRows(pool: pg.Pool, peers: RelayPeer[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("DELETE FROM relay_peers WHERE NOT (peer_id = ANY($1::text[]))", [peers.map((p) => p.id)]);
    for (const peer of peers) {
      await client.query(
        `INSERT INTO relay_peers (peer_id, url, cursor) VALUES ($1, $2, (SELECT coalesce(max(seq), 0) FROM relay_items))
         ON CONFLICT (peer_id) DO UPDATE SET url = EXCLUDED.url`,
        [peer.id, peer.url],
      );
    }
    if (peers.length === 0) await client.query("DELETE FROM relay_items");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
