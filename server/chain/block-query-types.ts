/**
 * The shapes the chain read services (block-queries.ts) return: plain JSON-safe values (numbers, strings, null; times
 * as Unix milliseconds), identical through the tRPC server caller and over HTTP. Kept apart from the SQL so client
 * components can import them without touching the database module.
 */
import type { Epoch } from "../../lib/consensus/epochs";
import type { ChartSeries } from "../../components/charts/series";
import type { ChainStatus } from "./chain-status";

/** Which stored blocks a list shows: the canonical chain, every stored block (all branches), or invalid ones only. */
export const BLOCK_FILTERS = ["canonical", "all", "invalid"] as const;
export type BlockFilter = (typeof BLOCK_FILTERS)[number];

/** Rows per explorer page. */
export const BLOCK_PAGE_SIZE = 25;
/** The largest page any caller may ask for. */
export const MAX_PAGE_SIZE = 100;

/** A position in the (block_number DESC, id DESC) order: a page starts strictly before or after it. */
export interface BlockCursor {
  blockNumber: number;
  id: number;
}

/** The epoch facts shown beside a block. */
export interface BlockEpochSummary {
  start_block: number;
  end_block: number | null;
  rule_version: string;
  algorithm_id: number;
  algorithm_name: string;
}

/** One block in a list (explorer, recent blocks). */
export interface BlockListRow {
  id: number;
  content_id: string;
  block_number: number;
  /** Unix seconds, as sealed in the block. */
  timestamp: number;
  legacy_hash: string;
  pq_hash: string | null;
  statement_count: number;
  canonical: boolean;
  verdict: string;
  source: string;
  /** Unix milliseconds when this node stored the block. */
  received_at: number;
  violation_count: number;
  /** The code of the most severe violation, if any. */
  worst_violation: string | null;
  /** The epoch covering the block's height in the current registry (null when none does). */
  epoch: BlockEpochSummary | null;
}

export interface BlockPage {
  filter: BlockFilter;
  rows: BlockListRow[];
  /** Cursor for the next newer page (`after`), or null when this is the newest page. */
  newer: BlockCursor | null;
  /** Cursor for the next older page (`before`), or null when there is nothing older. */
  older: BlockCursor | null;
  /** Blocks matching the filter in the whole store. */
  total: number;
}

export interface ListBlocksInput {
  filter?: BlockFilter;
  /** Rows strictly older than this position (the next page when paging back in time). */
  before?: BlockCursor;
  /** Rows strictly newer than this position (the previous page). Ignored when `before` is given. */
  after?: BlockCursor;
  limit?: number;
}

export interface ViolationRow {
  code: string;
  severity: string;
  field: string | null;
  expected: string | null;
  actual: string | null;
  message: string;
}

export interface SiblingBlock {
  content_id: string;
  canonical: boolean;
  verdict: string;
  legacy_hash: string;
  pq_hash: string | null;
  statement_count: number;
  source: string;
  received_at: number;
  violation_count: number;
}

/** Everything the block detail page shows. */
export interface BlockDetail {
  id: number;
  content_id: string;
  block_number: number;
  timestamp: number;
  prev_hash: string | null;
  merkle_root: string | null;
  pq_algorithm: number | null;
  /** Registry name of pq_algorithm, or null when absent or unknown. */
  pq_algorithm_name: string | null;
  pq_prev_hash: string | null;
  pq_merkle_root: string | null;
  dual_commitment: string | null;
  legacy_hash: string;
  pq_hash: string | null;
  statement_count: number;
  canonical: boolean;
  verdict: string;
  source: string;
  received_at: number;
  /** The statements in position order (the Merkle leaves). */
  statements: string[];
  /** Most severe first. */
  violations: ViolationRow[];
  /** Other stored blocks at the same height (competing branches, rejected copies). */
  siblings: SiblingBlock[];
  epoch: BlockEpochSummary | null;
  /** The canonical blocks just below and above this height, for navigation (null when not stored). */
  previous_canonical: number | null;
  next_canonical: number | null;
  /** The block exactly as received, pretty-printed; stored only for blocks with violations. */
  raw_json: string | null;
}

export interface RecentViolation extends ViolationRow {
  block_number: number;
  content_id: string;
  canonical: boolean;
  source: string;
  received_at: number;
}

export interface ReorgRow {
  id: number;
  detected_at: number;
  fork_point_block: number;
  old_tip_block: number;
  new_tip_block: number;
  old_tip_hash: string;
  new_tip_hash: string;
  rolled_back_count: number;
  added_count: number;
}

export interface BlockSeries {
  /** The block numbers covered (null on an empty chain). */
  from: number | null;
  to: number | null;
  statements: ChartSeries;
  /** Seconds between consecutive canonical blocks as this node received them. */
  interval: ChartSeries;
}

export interface EpochFirstBlock {
  block_number: number;
  content_id: string;
  legacy_hash: string;
  pq_hash: string | null;
  timestamp: number;
  received_at: number;
}

export interface EpochRow extends Epoch {
  /** The canonical block at the epoch's start height, once the chain has reached it. */
  first_block: EpochFirstBlock | null;
}

export interface TransitionRow {
  block_number: number;
  kind: string;
  from: BlockEpochSummary;
  to: BlockEpochSummary;
  /** The canonical block at the activation height, once seen. */
  seen: EpochFirstBlock | null;
}

export interface ChainPosition {
  tip: number | null;
  current_epoch: BlockEpochSummary | null;
  next_activation: TransitionRow | null;
  blocks_remaining: number | null;
  /** Share of the way from the current epoch's start to the next activation, 0..1 (null when none is scheduled). */
  progress: number | null;
  blocks_per_minute: number;
  /** Estimated seconds until the next activation at the current rate (null when none is scheduled or no rate). */
  eta_seconds: number | null;
}

export interface EpochsOverview {
  epochs: EpochRow[];
  transitions: TransitionRow[];
  position: ChainPosition;
}

/** The chain status of chain-status.ts plus the estimated time to the next transition. */
export type LiveChainStatus = ChainStatus & { next_transition_eta_seconds: number | null };

/** Where a search typed into the explorer leads: a block number, or a content id / block hash of a stored block. */
export type BlockLocation = { kind: "number"; block_number: number } | { kind: "content_id"; content_id: string; block_number: number; canonical: boolean };
