/**
 * Block observations: the row ingest writes for every block that arrives, stored or refused, so the drift radar
 * (server/drift/radar-runner.ts) sees every one of them in order. Written in the block's own ingest transaction
 * (one multi-row INSERT per batch, under the ingest advisory lock); refusals in a short transaction of their own
 * under the same lock. Because every writer holds that lock, rows commit in id order, which is what lets the radar
 * read them with a simple id cursor and never skip one.
 */
import type pg from "pg";
import { blockHash, type Block } from "../../lib/consensus/block";
import type { Epoch } from "../../lib/consensus/epochs";
import { hasWellFormedHeader } from "../../lib/consensus/parse-block";
import { validateBlock, type BlockValidation } from "../../lib/consensus/validate-block";
import type { Violation } from "../../lib/consensus/violations";
import { SHA256_ID, type HashSuite } from "../../lib/crypto/hash-algorithms";
import type { BlockSizes } from "../../lib/drift/block-observation";
import { blockSizes } from "../../lib/drift/storage-monitor";
import { admissionRefusal } from "../../lib/ingest/admission";

/** The ingest advisory lock key (ingest-blocks.ts): every observation writer holds it. */
export const OBSERVATION_LOCK_KEY = 0x4d4c5051;

export interface ObservationRow {
  block_number: number | null;
  block_hash: string | null;
  source: string;
  outcome: "stored" | "refused";
  verdict: "VALID" | "INVALID";
  pq_algorithm: number | null;
  violations: readonly Violation[];
  sealing_ms: number | null;
  validation_ms: number | null;
  sizes: BlockSizes | null;
}

/** The observation of a stored block (ingest already has its hash and verdict). */
export function storedObservation(
  block: Block,
  legacyHash: string,
  validation: Pick<BlockValidation, "verdict" | "violations">,
  source: string,
  timings: { sealing_ms?: number | null; validation_ms?: number | null },
): ObservationRow {
  return {
    block_number: block.block_number,
    block_hash: legacyHash,
    source,
    outcome: "stored",
    verdict: validation.verdict,
    pq_algorithm: block.pq_algorithm,
    violations: validation.violations,
    sealing_ms: timings.sealing_ms ?? null,
    validation_ms: timings.validation_ms ?? null,
    sizes: blockSizes(block),
  };
}

/** Writes observations in the caller's transaction (which must hold OBSERVATION_LOCK_KEY). */
export async function insertObservations(client: pg.PoolClient | pg.Pool, rows: readonly ObservationRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: ObservationRow) => T) => rows.map(f);
  await client.query(
    `INSERT INTO block_observations (block_number, block_hash, source, outcome, verdict, pq_algorithm, violations, sealing_ms,
                                     validation_ms, block_bytes, header_bytes, legacy_block_bytes)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::float8[],
                          $9::float8[], $10::int[], $11::int[], $12::int[])`,
    [
      col((r) => r.block_number),
      col((r) => r.block_hash),
      col((r) => r.source),
      col((r) => r.outcome),
      col((r) => r.verdict),
      col((r) => r.pq_algorithm),
      // Only blocks with violations carry them: a clean block costs a NULL.
      col((r) => (r.violations.length ? JSON.stringify(r.violations) : null)),
      col((r) => r.sealing_ms),
      col((r) => r.validation_ms),
      col((r) => r.sizes?.block_bytes ?? null),
      col((r) => r.sizes?.header_bytes ?? null),
      col((r) => r.sizes?.legacy_block_bytes ?? null),
    ],
  );
}

/** At most this many refused payloads of one request are recorded (the answer to the sender names them all). */
export const MAX_REFUSALS_RECORDED = 100;

/**
 * Records the payloads of `raws` that admission refuses, with the validator's reading of each (a refused block is
 * still evidence of drift). Best effort: a failure here is logged by the caller and never changes the refusal.
 */
export async function recordRefusals(
  pool: pg.Pool,
  raws: readonly unknown[],
  context: { source: string; epochs: readonly Epoch[]; suite: HashSuite; now?: number },
): Promise<number> {
  const rows: ObservationRow[] = [];
  for (const raw of raws) {
    if (rows.length >= MAX_REFUSALS_RECORDED) break;
    if (admissionRefusal(raw) === null) continue;
    const started = performance.now();
    // Judged alone (no predecessor): the refusal is about the payload's own fields.
    const v = validateBlock(raw, { epochs: context.epochs, prev: null, suite: context.suite, now: context.now });
    const validation_ms = performance.now() - started;
    rows.push({
      block_number: v.block_number,
      block_hash: hasWellFormedHeader(raw) ? blockHash(v.block, context.suite.get(SHA256_ID)) : null,
      source: context.source,
      outcome: "refused",
      verdict: v.verdict,
      pq_algorithm: v.block.pq_algorithm,
      violations: v.violations,
      sealing_ms: null,
      validation_ms,
      sizes: null,
    });
  }
  if (rows.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [OBSERVATION_LOCK_KEY]);
    await insertObservations(client, rows);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return rows.length;
}
