/**
 * What the radar is told about each block that arrives (devnet, import, push), stored or refused at admission.
 *
 * The consensus facts come from the validator (lib/consensus/validate-block.ts): for a stored block, the verdict
 * ingest already computed; for a refused one, the validator's reading of the raw payload (a refused block is still
 * evidence: a peer that pushes pq_algorithm 0xFF is drifting). Timings and sizes are measured by the caller.
 */
import type { Violation } from "../consensus/violations";
import type { Epoch } from "../consensus/epochs";

export interface BlockTimings {
  /** Time to seal the block (known only for blocks this node sealed, e.g. the devnet's). */
  sealing_ms: number | null;
  /** Time to validate it. */
  validation_ms: number | null;
}

export interface BlockSizes {
  /** The canonical block encoding (header and statements). */
  block_bytes: number;
  header_bytes: number;
  /** The same block with only its legacy (SHA-256) commitments: what it would cost without the migration. */
  legacy_block_bytes: number;
}

export interface BlockObservation {
  /** Null when the payload's block number was unreadable. */
  block_number: number | null;
  /** The block's legacy hash (its PQ hash for PQ-only blocks); null when the header could not be hashed. */
  block_hash: string | null;
  outcome: "stored" | "refused";
  verdict: "VALID" | "INVALID";
  violations: readonly Violation[];
  /** The epoch the validator judged the block under. */
  epoch: Pick<Epoch, "start_block" | "algorithm_id" | "algorithm_name" | "rule_version"> | null;
  /** pq_algorithm as the payload gave it (may be an unknown id). */
  pq_algorithm: number | null;
  /** Where the block came from ("devnet", "import", "http"). */
  source: string;
  /** The observation's own id (its row), which tells apart payloads that have no block hash. */
  observation_id?: number | string;
  timings?: BlockTimings;
  sizes?: BlockSizes | null;
}

export interface ObservationContext {
  outcome: BlockObservation["outcome"];
  source: string;
  block_hash: string | null;
  timings?: BlockTimings;
  sizes?: BlockSizes | null;
}

/** The observation of a block the validator judged (`validation` is validateBlock's result, stored or refused). */
export function observationOf(
  validation: { block_number: number | null; verdict: "VALID" | "INVALID"; violations: readonly Violation[]; epoch: BlockObservation["epoch"]; block: { pq_algorithm: number | null } },
  ctx: ObservationContext,
): BlockObservation {
  return {
    block_number: validation.block_number,
    block_hash: ctx.block_hash,
    outcome: ctx.outcome,
    verdict: validation.verdict,
    violations: validation.violations,
    epoch: validation.epoch,
    pq_algorithm: validation.block.pq_algorithm,
    source: ctx.source,
    timings: ctx.timings,
    sizes: ctx.sizes ?? null,
  };
}
