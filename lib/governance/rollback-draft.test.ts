import { describe, expect, it } from "vitest";
import { makeEpoch } from "../consensus/epochs";
import { SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import { checkRollbackDraft } from "./rollback-draft";
import { testMember } from "./test-members";

const HASH = `0x${"ab".repeat(32)}`;
const registry = [makeEpoch(0, "v1-legacy", SHA256_ID, 1_700_000_000, null, 19), makeEpoch(20, "v2-dual-required", SHA3_256_ID, 1_700_000_000)];
const ctx = { registry, tip: 100, finalizedHeight: 36 };
const council = testMember("c1", ["council", "voter"], 10);
const declared = { emergency_hash: HASH, status: "DECLARED" as const };

describe("checkRollbackDraft", () => {
  it("accepts the first block above the tip and refuses the tip itself (ROLLBACK_NOT_ABOVE_TIP)", () => {
    expect(checkRollbackDraft("101", declared, council, ctx, 0)).toEqual({ body: { emergency_hash: HASH, rollback_block: 101 }, problem: null });
    expect(checkRollbackDraft("100", declared, council, ctx, 0).problem?.code).toBe("ROLLBACK_NOT_ABOVE_TIP");
  });

  it("refuses text that is not a block number, a PENDING emergency and a signer without the council role", () => {
    expect(checkRollbackDraft("10x", declared, council, ctx, 0).problem?.code).toBe("INVALID_MESSAGE");
    expect(checkRollbackDraft("200", { ...declared, status: "PENDING" }, council, ctx, 0).problem?.code).toBe("WRONG_PHASE");
    expect(checkRollbackDraft("200", declared, testMember("v1", ["voter"], 1), ctx, 0).problem?.code).toBe("MISSING_ROLE");
  });

  it("refuses a block inside an epoch already scheduled above the tip (the core's EPOCH_OVERLAP)", () => {
    const scheduled = [...registry.slice(0, 1), { ...registry[1], end_block: 149 }, makeEpoch(150, "v2.5-pq-primary", SHA3_256_ID, 1_700_000_000, `0x${"cd".repeat(32)}`)];
    expect(checkRollbackDraft("120", declared, council, { ...ctx, registry: scheduled }, 0).problem?.code).toBe("EPOCH_OVERLAP");
    expect(checkRollbackDraft("151", declared, council, { ...ctx, registry: scheduled }, 0).problem).toBeNull();
  });
});
