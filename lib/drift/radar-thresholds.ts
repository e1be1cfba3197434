/**
 * The radar's thresholds: every number a monitor compares against, with the defaults the product ships. They are
 * arguments (lib/ reads no environment); the radar's YAML configuration may override them.
 */
export interface PerformanceThresholds {
  /** Samples in the rolling baseline (the last `window` blocks judged normal). */
  window: number;
  /** No event until the baseline has this many samples. */
  min_samples: number;
  /** A block is slow when its time exceeds the baseline p95 times this factor... */
  factor: number;
  /** ...and the baseline p95 by at least this many milliseconds (sub-millisecond jitter is not drift). */
  min_excess_ms: number;
  /** An event is raised after this many slow blocks in a row. */
  consecutive_blocks: number;
}

export interface StorageThresholds {
  /** A block whose encoding is larger than this is oversize. */
  max_block_bytes: number;
  /** Mean overhead of the PQ commitments over the legacy encoding, over the last `window` blocks, in percent. */
  max_overhead_percent: number;
  window: number;
}

export interface NetworkThresholds {
  /** Node reports older than this (radar clock) are forgotten. */
  window_seconds: number;
  /** Mean propagation time over the nodes' latest reports. */
  max_propagation_ms: number;
  /** Below this mean peer count the network is thin (MEDIUM on its own). */
  min_peer_count: number;
  /** Orphaned blocks over blocks received, over every report in the window. */
  max_orphan_rate: number;
  /** No judgement before this many reports are in the window. */
  min_reports: number;
}

export interface RadarThresholds {
  performance: PerformanceThresholds;
  storage: StorageThresholds;
  network: NetworkThresholds;
  /** An event resolves by itself once its condition has been clear for this many observations in a row. */
  resolve_after_clean: number;
}

export const DEFAULT_RADAR_THRESHOLDS: RadarThresholds = {
  performance: { window: 200, min_samples: 20, factor: 2, min_excess_ms: 5, consecutive_blocks: 5 },
  storage: { max_block_bytes: 256 * 1024, max_overhead_percent: 100, window: 100 },
  network: { window_seconds: 120, max_propagation_ms: 2000, min_peer_count: 3, max_orphan_rate: 0.05, min_reports: 3 },
  resolve_after_clean: 10,
};
