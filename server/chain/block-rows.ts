/**
 * Mapping between database rows (blocks, statements, epochs tables) and the consensus core's domain types.
 * Both the Prisma read paths and the pg bulk-ingest path go through these functions.
 */
import type { Block } from "../../lib/consensus/block";
import type { Epoch } from "../../lib/consensus/epochs";
import type { RuleVersion } from "../../lib/consensus/rule-versions";

/** The header columns of a `blocks` row as pg returns them (snake_case; bigint as string). */
export interface BlockHeaderRow {
  block_number: number;
  timestamp: string | number | bigint;
  prev_hash: string | null;
  merkle_root: string | null;
  pq_algorithm: number | null;
  pq_prev_hash: string | null;
  pq_merkle_root: string | null;
  dual_commitment: string | null;
}

/** A Block from a header row and (optionally) its statements in position order. */
export function blockFromRow(row: BlockHeaderRow, statements: string[] = []): Block {
  return {
    block_number: Number(row.block_number),
    timestamp: Number(row.timestamp),
    prev_hash: row.prev_hash,
    merkle_root: row.merkle_root,
    pq_algorithm: row.pq_algorithm,
    pq_prev_hash: row.pq_prev_hash,
    pq_merkle_root: row.pq_merkle_root,
    dual_commitment: row.dual_commitment,
    statements,
  };
}

export interface EpochRow {
  start_block: number;
  end_block: number | null;
  algorithm_id: number;
  algorithm_name: string;
  rule_version: string;
  activation_timestamp: string | number | bigint;
  governance_hash: string | null;
}

export function epochFromRow(row: EpochRow): Epoch {
  return {
    start_block: Number(row.start_block),
    end_block: row.end_block === null ? null : Number(row.end_block),
    algorithm_id: row.algorithm_id,
    algorithm_name: row.algorithm_name,
    rule_version: row.rule_version as RuleVersion,
    activation_timestamp: Number(row.activation_timestamp),
    governance_hash: row.governance_hash,
  };
}
