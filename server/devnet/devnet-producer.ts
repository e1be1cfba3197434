/**
 * The devnet block producer: every interval, seals the next block on the canonical tip from the deterministic
 * statement generator, under the epoch registry in the database, and ingests it like any other block.
 *
 * Only one producer runs even when several workers start: each tick first takes (or renews) the "devnet-producer"
 * lease, a row that names its holder and expires after a few intervals; a worker that dies stops renewing and
 * another takes over once the lease has expired.
 */
import type pg from "pg";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { sealBlock } from "../../lib/consensus/seal-block";
import { generateStatements } from "../../lib/devnet/statement-generator";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { DEFAULT_DEVNET_PEERS, simulatePeerReports } from "../../lib/devnet/peer-simulator";
import { ingestBlocks, loadCanonicalTip, type IngestSummary } from "../ingest/ingest-blocks";
import { insertNodeReports } from "../drift/node-reports";
import { isAppError } from "../../lib/errors";
import { devnetPeerIds } from "../../lib/devnet/peer-simulator";
import { BLOCK_INJECTIONS, badNodeReports, oversizeStatements, slowSealingDelayMs } from "../../lib/drift/drift-injection";
import { DEFAULT_RADAR_THRESHOLDS } from "../../lib/drift/radar-thresholds";
import { nextInjection, recordInjection } from "./devnet-injections";

export const DEVNET_LEASE = "devnet-producer";

export interface DevnetOptions {
  suite: HashSuite;
  /** Who holds the lease (worker id). */
  holder: string;
  intervalMs: number;
  seed: number;
  /** Clock in milliseconds (injected for tests). */
  now?: () => number;
  /** Simulated peers that report on each block (default 5; 0: none). */
  peers?: number;
}

/** Takes or renews the lease for `holder`; true when `holder` holds it afterwards. */
export async function acquireLease(pool: pg.Pool, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const { rows } = await pool.query<{ holder: string }>(
    `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
     RETURNING holder`,
    [name, holder, ttlMs],
  );
  return rows.length === 1;
}

/** Gives the lease up (on clean shutdown) so another worker can take over at once. */
export async function releaseLease(pool: pg.Pool, name: string, holder: string): Promise<void> {
  await pool.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
}

/**
 * One producer tick: returns the ingest summary of the block produced, or null when another worker holds the lease.
 */
export async function produceDevnetBlock(pool: pg.Pool, options: DevnetOptions): Promise<IngestSummary | null> {
  const held = await acquireLease(pool, DEVNET_LEASE, options.holder, Math.max(5_000, options.intervalMs * 3));
  if (!held) return null;
  const epochs = await loadEpochRegistry(pool);
  const prev = (await loadCanonicalTip(pool))?.block ?? null;
  const blockNumber = prev ? prev.block_number + 1 : 0;
  const nowMs = options.now?.() ?? Date.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  // A drift injection requested by `mathledger-cli drift inject` is carried out on this tick.
  const injection = await nextInjection(pool);
  const kind = injection?.kind ?? null;
  const statements =
    kind === "storage" ? oversizeStatements(DEFAULT_RADAR_THRESHOLDS.storage.max_block_bytes, `oversize block ${blockNumber}`) : generateStatements({ seed: options.seed, blockNumber });
  const slowBy = kind === "performance" ? slowSealingDelayMs(await recentSealingP95(pool)) : 0;
  const sealStarted = performance.now();
  if (slowBy > 0) await new Promise((r) => setTimeout(r, slowBy));
  const block = sealBlock({
    statements,
    epochs,
    prev,
    timestamp: Math.max(nowSeconds, prev?.timestamp ?? 0),
    suite: options.suite,
  });
  const sealingMs = performance.now() - sealStarted;
  const consensusFault = kind !== null && kind in BLOCK_INJECTIONS ? BLOCK_INJECTIONS[kind as keyof typeof BLOCK_INJECTIONS] : null;
  let summary: IngestSummary;
  try {
    summary = await ingestBlocks(pool, [consensusFault ? consensusFault(block) : block], { source: "devnet", suite: options.suite, now: nowSeconds, sealingMs: [sealingMs] });
  } catch (error) {
    // The plan's injections are mostly refused at admission (uppercase hex, algorithm 0xFF): that is the point.
    if (!consensusFault || !isAppError(error, "INVALID_INPUT")) throw error;
    summary = { received: 1, stored: 0, duplicates: 0, valid: 0, invalid: 0, extended: 0, reorgs: [], forkDecisions: [], tip: null, storedIds: [], blocks: [] };
  }
  // The devnet's simulated peers report what they saw of the block (the drift radar's network monitor reads them).
  const peers = options.peers ?? DEFAULT_DEVNET_PEERS;
  if (kind === "network") await insertNodeReports(pool, badNodeReports(devnetPeerIds(Math.max(peers, 3)), nowMs / 1000, blockNumber));
  else if (peers > 0) await insertNodeReports(pool, simulatePeerReports({ seed: options.seed, blockNumber, observedAt: nowMs / 1000, peers }));
  if (injection) await recordInjection(pool, injection.id, blockNumber);
  return summary;
}

/** p95 of the devnet's recent sealing times (for a slow-sealing injection that is slow against this machine). */
async function recentSealingP95(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query<{ p95: number | null }>(
    "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY sealing_ms) AS p95 FROM (SELECT sealing_ms FROM block_observations WHERE sealing_ms IS NOT NULL ORDER BY id DESC LIMIT 200) r",
  );
  return rows[0]?.p95 ?? null;
}
