import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AUDIT_GENESIS_PREV_HASH, auditEntryHash, nextAuditEntry, verifyAuditChain, type AuditEntry } from "./audit-log";

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) out.push(nextAuditEntry(out.at(-1) ?? null, i % 2 ? "VoteCast" : "ProposalSubmitted", { i, who: `m${i}` }, 1000 + i));
  return out;
}

describe("nextAuditEntry", () => {
  it("starts from 32 zero bytes and links each entry to the one before", () => {
    const c = chain(3);
    expect(c[0].prev_hash).toBe(AUDIT_GENESIS_PREV_HASH);
    expect(c[1].prev_hash).toBe(c[0].entry_hash);
    expect(c.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(c[2].entry_hash).toBe(auditEntryHash(c[2]));
  });
});

describe("verifyAuditChain", () => {
  it("accepts an intact chain and reports its head", () => {
    const c = chain(5);
    expect(verifyAuditChain(c)).toEqual({ ok: true, entries: 5, head: c[4].entry_hash });
    expect(verifyAuditChain([])).toMatchObject({ ok: true, entries: 0 });
  });
  it("catches an edited payload at the edited row", () => {
    const c = chain(5);
    c[2] = { ...c[2], payload: { ...c[2].payload, who: "mallory" } };
    expect(verifyAuditChain(c)).toMatchObject({ ok: false, seq: 3 });
  });
  it("catches an edited row whose hash was recomputed, at the next row", () => {
    const c = chain(5);
    const edited = { ...c[2], event: "VoteCast" === c[2].event ? "Other" : "VoteCast" };
    c[2] = { ...edited, entry_hash: auditEntryHash(edited) };
    expect(verifyAuditChain(c)).toMatchObject({ ok: false, seq: 4 });
  });
  it("catches a deleted row and a reordering", () => {
    const c = chain(5);
    expect(verifyAuditChain([...c.slice(0, 2), ...c.slice(3)])).toMatchObject({ ok: false, seq: 4 });
    expect(verifyAuditChain([c[1], c[0], ...c.slice(2)])).toMatchObject({ ok: false });
  });
  it("catches a change to any field of any row (property)", () => {
    const c = chain(6);
    fc.assert(
      fc.property(fc.nat(5), fc.constantFrom("event", "payload", "created_at", "prev_hash", "entry_hash"), (row, field) => {
        const copy = c.map((e) => ({ ...e }));
        const e = copy[row] as unknown as Record<string, unknown>;
        if (field === "payload") e.payload = { ...(e.payload as object), extra: 1 };
        else if (field === "created_at") e.created_at = (e.created_at as number) + 1;
        else if (field === "event") e.event = `${e.event}!`;
        else e[field] = `0x${"ff".repeat(32)}`;
        expect(verifyAuditChain(copy).ok).toBe(false);
      }),
    );
  });
});
