import { describe, expect, it } from "vitest";
import { listTransitions, makeEpoch, registerEpoch } from "../consensus/epochs";
import { SHA256_ID, SHA3_256_ID } from "../crypto/hash-algorithms";
import { attestationId, attestationStatus, checkAttestationSignature, type AttestationRecord } from "./attestation";
import { checkDeclaration, checkEmergencySignature, checkRollback, emergencyStatusAfterSignatures, rollbackEpoch } from "./emergency";
import { codeOf } from "./test-codes";
import { testMember } from "./test-members";

const council = (i: number) => testMember(`c${i}`, ["council", "voter"], 10);
const voter = testMember("v1", ["voter"], 1);
const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`);
const H = `0x${"aa".repeat(32)}`;
const record: AttestationRecord = {
  attestation_id: attestationId("dual-activation", 42),
  milestone: "dual-activation",
  block_number: 42,
  block_hash: H,
  pq_merkle_root: null,
  created_at: 1000,
  deadline: 2000,
  status: "PENDING",
};
const body = { attestation_id: record.attestation_id, milestone: record.milestone, block_number: 42, block_hash: H, pq_merkle_root: null };

describe("attestations (5 of 7)", () => {
  it("names attestations as the plan does", () => {
    expect(record.attestation_id).toBe("ATTEST-dual-activation-42");
  });
  it("stays PENDING at 4 signatures and is VERIFIED at 5", () => {
    expect(attestationStatus(record, ids(4), 1500)).toBe("PENDING");
    expect(attestationStatus(record, ids(5), 1500)).toBe("VERIFIED");
  });
  it("counts distinct signers only", () => {
    expect(attestationStatus(record, [...ids(4), "c1"], 1500)).toBe("PENDING");
  });
  it("is INSUFFICIENT at the deadline with fewer than 5, and not a second before", () => {
    expect(attestationStatus(record, ids(4), 1999)).toBe("PENDING");
    expect(attestationStatus(record, ids(4), 2000)).toBe("INSUFFICIENT");
  });
  it("keeps a final status", () => {
    expect(attestationStatus({ ...record, status: "VERIFIED" }, [], 5000)).toBe("VERIFIED");
  });
  it("accepts a council signature repeating the record and refuses every fault with its reason", () => {
    expect(codeOf(() => checkAttestationSignature(council(5), record, body, ids(4), 1500))).toBeUndefined();
    expect(codeOf(() => checkAttestationSignature(voter, record, body, [], 1500))).toBe("MISSING_ROLE");
    expect(codeOf(() => checkAttestationSignature(council(1), record, body, ids(2), 1500))).toBe("DUPLICATE_SIGNER");
    expect(codeOf(() => checkAttestationSignature(council(5), record, body, ids(4), 2000))).toBe("WRONG_PHASE");
    expect(codeOf(() => checkAttestationSignature(council(5), { ...record, status: "VERIFIED" }, body, ids(4), 1500))).toBe("WRONG_PHASE");
    expect(codeOf(() => checkAttestationSignature(council(5), record, { ...body, block_hash: `0x${"bb".repeat(32)}` }, ids(4), 1500))).toBe("TARGET_MISMATCH");
  });
});

describe("emergency declarations (5 of 7, declarer included)", () => {
  it("needs a council declarer", () => {
    expect(codeOf(() => checkDeclaration(council(1)))).toBeUndefined();
    expect(codeOf(() => checkDeclaration(voter))).toBe("MISSING_ROLE");
  });
  it("stays PENDING at 4 of 7 and is DECLARED at 5", () => {
    expect(emergencyStatusAfterSignatures("PENDING", ids(4))).toBe("PENDING");
    expect(emergencyStatusAfterSignatures("PENDING", ids(5))).toBe("DECLARED");
  });
  it("refuses a voter's key, a duplicate council signature, and signatures after the declaration", () => {
    expect(codeOf(() => checkEmergencySignature(voter, "PENDING", ["c1"], H))).toBe("MISSING_ROLE");
    expect(codeOf(() => checkEmergencySignature(council(1), "PENDING", ["c1"], H))).toBe("DUPLICATE_SIGNER");
    expect(codeOf(() => checkEmergencySignature(council(6), "DECLARED", ids(5), H))).toBe("WRONG_PHASE");
  });
});

describe("rollback", () => {
  it("needs a DECLARED emergency: a 4-of-7 (PENDING) emergency cannot roll back", () => {
    expect(codeOf(() => checkRollback(council(1), "PENDING", 500, 100))).toBe("WRONG_PHASE");
    expect(codeOf(() => checkRollback(council(1), "ROLLED_BACK", 500, 100))).toBe("WRONG_PHASE");
    expect(codeOf(() => checkRollback(voter, "DECLARED", 500, 100))).toBe("MISSING_ROLE");
  });
  it("must start strictly above the canonical tip", () => {
    expect(codeOf(() => checkRollback(council(1), "DECLARED", 100, 100))).toBe("ROLLBACK_NOT_ABOVE_TIP");
    expect(codeOf(() => checkRollback(council(1), "DECLARED", 101, 100))).toBeUndefined();
  });
  it("registers a SHA-256 v1-legacy epoch governed by the emergency hash, seen as a rollback", () => {
    const registry = [makeEpoch(0, "v1-legacy", SHA256_ID, 1, null, 99), makeEpoch(100, "v2-dual-required", SHA3_256_ID, 2, `0x${"01".repeat(32)}`)];
    const next = registerEpoch(registry, rollbackEpoch(H, 300, 3), { finalizedHeight: 250 });
    expect(next[2]).toMatchObject({ start_block: 300, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", governance_hash: H });
    expect(listTransitions(next).at(-1)!.kind).toBe("rollback");
  });
});
