/** The audit log table: appending (inside a governance transaction) and verifying the stored chain. */
import type pg from "pg";
import { AUDIT_GENESIS_PREV_HASH, nextAuditEntry, verifyAuditChain, type AuditEntry, type AuditVerification } from "../../lib/governance/audit-log";
import type { Queryable } from "./governance-store";

interface AuditRow {
  seq: number;
  event: string;
  payload: Record<string, unknown>;
  created_at: number;
  prev_hash: string;
  entry_hash: string;
}

const fromRow = (r: AuditRow): AuditEntry => ({ seq: Number(r.seq), event: r.event, payload: r.payload, created_at: Number(r.created_at), prev_hash: r.prev_hash, entry_hash: r.entry_hash });

/** The chain's last entry (null on an empty log); read under the governance lock, it stays the head until commit. */
export async function readAuditHead(client: pg.PoolClient): Promise<Pick<AuditEntry, "seq" | "entry_hash"> | null> {
  const { rows } = await client.query<{ seq: number; entry_hash: string }>("SELECT seq, entry_hash FROM governance_audit_log ORDER BY seq DESC LIMIT 1");
  return rows[0] ? { seq: Number(rows[0].seq), entry_hash: rows[0].entry_hash } : null;
}

/** Appends one entry; the caller holds the governance lock, so seq and prev_hash cannot race. */
export async function appendAudit(client: pg.PoolClient, event: string, payload: Record<string, unknown>, now: number): Promise<AuditEntry> {
  const entry = nextAuditEntry(await readAuditHead(client), event, payload, now);
  await client.query("INSERT INTO governance_audit_log (seq, event, payload, created_at, prev_hash, entry_hash) VALUES ($1, $2, $3, $4, $5, $6)", [
    entry.seq,
    entry.event,
    JSON.stringify(entry.payload),
    entry.created_at,
    entry.prev_hash,
    entry.entry_hash,
  ]);
  return entry;
}

export async function listAudit(db: Queryable, options: { afterSeq?: number; limit?: number } = {}): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditRow>("SELECT seq, event, payload, created_at, prev_hash, entry_hash FROM governance_audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", [
    options.afterSeq ?? 0,
    options.limit ?? 1000,
  ]);
  return rows.map(fromRow);
}

/** Verifies the whole stored chain, page by page so a long log is never loaded at once. */
export async function verifyStoredAuditLog(db: Queryable): Promise<AuditVerification> {
  let previous: AuditEntry | null = null;
  let count = 0;
  for (;;) {
    const page = await listAudit(db, { afterSeq: previous?.seq ?? 0, limit: 5000 });
    if (page.length === 0) break;
    const result = verifyAuditChain(page, previous ?? undefined);
    if (!result.ok) return result;
    previous = page[page.length - 1];
    count += page.length;
  }
  return { ok: true, entries: count, head: previous?.entry_hash ?? AUDIT_GENESIS_PREV_HASH };
}
