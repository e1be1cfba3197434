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
  const sealStarted = performance.now();
  const block = sealBlock({
    statements: generateStatements({ seed: options.seed, blockNumber }),
    epochs,
    prev,
    timestamp: Math.max(nowSeconds, prev?.timestamp ?? 0),
    suite: options.suite,
  });
  const sealingMs = performance.now() - sealStarted;
  const summary = await ingestBlocks(pool, [block], { source: "devnet", suite: options.suite, now: nowSeconds, sealingMs: [sealingMs] });
  // The devnet's simulated peers report what they saw of the block (the drift radar's network monitor reads them).
  const peers = options.peers ?? DEFAULT_DEVNET_PEERS;
  if (peers > 0) await insertNodeReports(pool, simulatePeerReports({ seed: options.seed, blockNumber, observedAt: nowMs / 1000, peers }));
  return summary;
}
