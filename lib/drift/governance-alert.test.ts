import { describe, expect, it } from "vitest";
import { alertText, throttleGroup } from "./alert-policy";
import { governanceAlertEvent } from "./governance-alert";

const HASH = "0x" + "ab".repeat(32);
const SIGNERS = ["c1", "c2", "c3", "c4", "c5"];

describe("governanceAlertEvent", () => {
  it("a declaration is a CRITICAL governance event at the tip, naming the hash, the signers and the trigger", () => {
    const e = governanceAlertEvent({ kind: "EMERGENCY_DECLARED", emergency_hash: HASH, trigger: "pq-root-mismatch", signers: SIGNERS, at: 100 }, { eventId: "id-1", tip: 41 });
    expect(e).toMatchObject({ event_id: "id-1", timestamp: 100, severity: "CRITICAL", drift_category: null, source: "governance", kind: "EMERGENCY_DECLARED", block_number: 41, resolved: false });
    expect(e.message).toBe(`Emergency ${HASH} declared (5 of 7 council members: c1, c2, c3, c4, c5); trigger "pq-root-mismatch"`);
    expect(e.details).toMatchObject({ emergency_hash: HASH, signers: SIGNERS, threshold: "5 of 7" });
  });
  it("a rollback is about its epoch's first block", () => {
    const e = governanceAlertEvent({ kind: "ROLLBACK_EXECUTED", emergency_hash: HASH, trigger: "t", signers: SIGNERS, rollback_block: 160, at: 100 }, { eventId: "id-2", tip: 41 });
    expect(e.block_number).toBe(160);
    expect(e.message).toContain("legacy epoch (SHA-256, v1-legacy) from block 160");
    expect(e.details).toMatchObject({ rollback_block: 160, rule_version: "v1-legacy" });
  });
  it("shortens a long trigger in the message (an sms carries 480 characters) and keeps it whole in details", () => {
    const trigger = "x".repeat(200);
    const e = governanceAlertEvent({ kind: "EMERGENCY_DECLARED", emergency_hash: HASH, trigger, signers: SIGNERS, at: 1 }, { eventId: "i", tip: null });
    expect(alertText(e).subject.length).toBeLessThan(480);
    expect(e.details.trigger).toBe(trigger);
  });
  it("is named by its kind in alert texts and throttle groups (it has no drift category)", () => {
    const e = governanceAlertEvent({ kind: "EMERGENCY_DECLARED", emergency_hash: HASH, trigger: "t", signers: SIGNERS, at: 1 }, { eventId: "i", tip: 7 });
    expect(alertText(e).subject).toMatch(/^\[MathLedger CRITICAL\] governance EMERGENCY_DECLARED at block 7: Emergency 0xab/);
    expect(throttleGroup(e, "email")).toBe("CRITICAL/governance:EMERGENCY_DECLARED/email");
  });
});
