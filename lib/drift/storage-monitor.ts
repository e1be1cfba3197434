/**
 * Storage drift: block size and the overhead of the PQ commitments over the legacy encoding.
 * An oversize block is a finding on its own; the overhead is judged as a mean over the last `window` blocks, since
 * one small block with a long header says nothing about the chain. Both are MEDIUM (the plan routes them to email).
 */
import type { Block } from "../consensus/block";
import type { BlockObservation, BlockSizes } from "./block-observation";
import type { DriftFinding } from "./drift-event";
import type { StorageThresholds } from "./radar-thresholds";

/**
 * Sizes of a block's canonical encoding (lib/consensus/block.ts encodeBlock), and of the same block with only its
 * legacy commitments, computed from the field layout rather than by encoding: the radar sees every block, and
 * encoding a 1000-statement block twice just to measure it would cost more than the monitors' whole budget.
 * Cross-checked against encodeBlock in the tests.
 */
export function blockSizes(block: Block): BlockSizes {
  const opt32 = (x: string | null) => (x === null ? 1 : 33);
  const legacyHeader = 1 + 8 + 8 + opt32(block.prev_hash) + opt32(block.merkle_root);
  const header_bytes =
    legacyHeader + (block.pq_algorithm === null ? 1 : 2) + opt32(block.pq_prev_hash) + opt32(block.pq_merkle_root) + opt32(block.dual_commitment);
  let body = 4;
  for (const s of block.statements) body += 4 + utf8Length(s);
  return { block_bytes: header_bytes + body, header_bytes, legacy_block_bytes: legacyHeader + 4 + body };
}

/** UTF-8 length of well-formed text (a lone surrogate, which blocks cannot hold, would count as 3 like U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function overheadPercentOf(s: BlockSizes): number {
  return s.legacy_block_bytes > 0 ? ((s.block_bytes - s.legacy_block_bytes) / s.legacy_block_bytes) * 100 : 0;
}

export class StorageMonitor {
  private readonly overheads: number[] = [];
  private overheadSum = 0;

  constructor(private readonly t: StorageThresholds) {}

  meanOverheadPercent(): number | null {
    return this.overheads.length ? this.overheadSum / this.overheads.length : null;
  }

  observe(obs: BlockObservation): DriftFinding[] {
    const s = obs.sizes;
    if (!s) return [];
    const out: DriftFinding[] = [];
    const base = { drift_category: "storage" as const, severity: "MEDIUM" as const, block_number: obs.block_number, block_hash: obs.block_hash };
    if (s.block_bytes > this.t.max_block_bytes) {
      out.push({
        ...base,
        condition: `storage:block_size:${obs.block_number}:${obs.block_hash}`,
        group: "storage:block_size",
        message: `Oversize block: ${s.block_bytes} bytes (limit ${this.t.max_block_bytes})`,
        details: { block_bytes: s.block_bytes, header_bytes: s.header_bytes, max_block_bytes: this.t.max_block_bytes },
      });
    }
    const overhead = overheadPercentOf(s);
    this.overheads.push(overhead);
    this.overheadSum += overhead;
    if (this.overheads.length > this.t.window) this.overheadSum -= this.overheads.shift()!;
    const mean = this.overheadSum / this.overheads.length;
    if (this.overheads.length >= Math.min(this.t.window, 10) && mean > this.t.max_overhead_percent) {
      out.push({
        ...base,
        condition: "storage:overhead",
        group: "storage:overhead",
        message: `Storage overhead ${mean.toFixed(1)}% over the legacy encoding (limit ${this.t.max_overhead_percent}%) over the last ${this.overheads.length} blocks`,
        details: { storage_overhead_percent: round(mean), max_overhead_percent: this.t.max_overhead_percent, blocks: this.overheads.length, block_bytes: s.block_bytes, legacy_block_bytes: s.legacy_block_bytes },
      });
    }
    return out;
  }

  groupsObserved(obs: BlockObservation): string[] {
    return obs.sizes ? ["storage:block_size", "storage:overhead"] : [];
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
