/**
 * The hash-chained audit log (docs/spec/governance.md §8).
 *
 *   entry_hash = SHA3-256( UTF-8( JCS({ seq, event, payload, created_at, prev_hash }) ) )
 *
 * Entry 1's prev_hash is 32 zero bytes; every later entry's prev_hash is the entry_hash before it. Editing any field
 * of any row changes its hash, which no longer matches the stored one nor the next row's prev_hash; deleting or
 * reordering rows breaks the seq run. verifyAuditChain reports the first row that fails.
 */
import { sha3_256 } from "@noble/hashes/sha3.js";
import { toHex } from "../encoding/hex";
import { canonicalJson } from "./message";

export const AUDIT_GENESIS_PREV_HASH = `0x${"00".repeat(32)}`;

export interface AuditEntryContent {
  seq: number;
  event: string;
  payload: Record<string, unknown>;
  /** Unix seconds. */
  created_at: number;
  prev_hash: string;
}

export interface AuditEntry extends AuditEntryContent {
  entry_hash: string;
}

export function auditEntryHash(content: AuditEntryContent): string {
  const { seq, event, payload, created_at, prev_hash } = content;
  return toHex(sha3_256(new TextEncoder().encode(canonicalJson({ seq, event, payload, created_at, prev_hash }))));
}

/** The next entry after `previous` (or the first when `previous` is null). */
export function nextAuditEntry(previous: Pick<AuditEntry, "seq" | "entry_hash"> | null, event: string, payload: Record<string, unknown>, createdAt: number): AuditEntry {
  const content: AuditEntryContent = {
    seq: previous ? previous.seq + 1 : 1,
    event,
    payload,
    created_at: createdAt,
    prev_hash: previous ? previous.entry_hash : AUDIT_GENESIS_PREV_HASH,
  };
  return { ...content, entry_hash: auditEntryHash(content) };
}

export type AuditVerification = { ok: true; entries: number; head: string } | { ok: false; seq: number; reason: string };

/**
 * Walks the chain from entry 1 (or, to verify a long log page by page, from the entry `after` already verified);
 * the first broken link is reported with its seq.
 */
export function verifyAuditChain(entries: readonly AuditEntry[], after: { seq: number; entry_hash: string } = { seq: 0, entry_hash: AUDIT_GENESIS_PREV_HASH }): AuditVerification {
  let prevHash = after.entry_hash;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const want = after.seq + i + 1;
    if (e.seq !== want) return { ok: false, seq: e.seq, reason: `expected seq ${want}, found ${e.seq} (a row was deleted or reordered)` };
    if (e.prev_hash !== prevHash) return { ok: false, seq: e.seq, reason: `prev_hash ${e.prev_hash} does not match the previous entry's hash ${prevHash}` };
    const recomputed = auditEntryHash(e);
    if (recomputed !== e.entry_hash) return { ok: false, seq: e.seq, reason: `entry ${e.seq} was altered: its content hashes to ${recomputed}, not the stored ${e.entry_hash}` };
    prevHash = e.entry_hash;
  }
  return { ok: true, entries: entries.length, head: prevHash };
}
