import { describe, expect, it } from "vitest";
import { nobleHashSuite } from "../crypto/hash-algorithms";
import { loadWasmHashSuite } from "../crypto/wasm-hash-suite";
import { blockContentId, blockHash } from "../consensus/block";
import { validateChain } from "../consensus/validate-chain";
import { EPOCHS_ALL_VERSIONS } from "../consensus/test-chains";
import { FIXTURE_CHAIN, violationCases } from "../consensus/violation-fixtures";
import { VIOLATION_CODES } from "../consensus/violations";
import { compareReports, summarizeReports, validateForReport } from "./validation-report";

const now = Math.floor(Date.now() / 1000);

describe("violationCases (the shared fixtures)", () => {
  it("covers every code in the catalogue, each case showing exactly its code", () => {
    const cases = violationCases();
    expect(cases.map((c) => c.code).sort()).toEqual([...VIOLATION_CODES].sort());
    for (const c of cases) {
      const [report] = validateForReport([c.block], { epochs: c.epochs, prev: c.prev, suite: nobleHashSuite, now });
      expect(report.violations.map((v) => v.code), c.code).toEqual(Array(c.count).fill(c.code));
    }
  });
});

describe("validateForReport", () => {
  it("agrees with validateChain on a valid chain and reports both hashes and the content id", () => {
    const reports = validateForReport(FIXTURE_CHAIN, { epochs: EPOCHS_ALL_VERSIONS, prev: null, suite: nobleHashSuite });
    const chain = validateChain(FIXTURE_CHAIN, { epochs: EPOCHS_ALL_VERSIONS });
    expect(reports.map((r) => r.verdict)).toEqual(chain.results.map((r) => r.verdict));
    expect(summarizeReports(reports)).toEqual({ checked: 25, valid: 25, invalid: 0, violations: 0 });
    expect(reports[12].legacy_hash).toBe(blockHash(FIXTURE_CHAIN[12], nobleHashSuite.get(0)));
    expect(reports[12].pq_hash).toBe(blockHash(FIXTURE_CHAIN[12], nobleHashSuite.get(1)));
    expect(reports[3].pq_hash).toBeNull();
    expect(reports[12].content_id).toBe(blockContentId(FIXTURE_CHAIN[12], nobleHashSuite));
    expect(reports.every((r) => r.predecessor_checked && r.push_refusal === null)).toBe(true);
  });

  it("checks the first block against `prev` and numbers reports from firstIndex", () => {
    const [r] = validateForReport([FIXTURE_CHAIN[13]], { epochs: EPOCHS_ALL_VERSIONS, prev: FIXTURE_CHAIN[11], suite: nobleHashSuite, firstIndex: 500 });
    expect(r.index).toBe(500);
    expect(r.violations.map((v) => v.code)).toContain("BLOCK_NUMBER_DISCONTINUITY");
    const [lone] = validateForReport([FIXTURE_CHAIN[13]], { epochs: EPOCHS_ALL_VERSIONS, prev: null, suite: nobleHashSuite });
    expect(lone.predecessor_checked).toBe(false);
    expect(lone.verdict).toBe("VALID");
  });

  it("gives a malformed block no hashes and no content id, says why a push would refuse it, and does not link its successor", () => {
    const bad = { ...FIXTURE_CHAIN[12], prev_hash: "0xZZ" };
    const reports = validateForReport([bad, FIXTURE_CHAIN[13]], { epochs: EPOCHS_ALL_VERSIONS, prev: FIXTURE_CHAIN[11], suite: nobleHashSuite });
    expect(reports[0]).toMatchObject({ legacy_hash: null, pq_hash: null, content_id: null, verdict: "INVALID" });
    expect(reports[0].push_refusal).toMatch(/prev_hash must be a 32-byte hash/);
    expect(reports[1].predecessor_checked).toBe(false);
  });

  it("reports the same with the hash-wasm suite as with noble (compareReports finds nothing)", async () => {
    const wasm = await loadWasmHashSuite();
    const inputs = [...FIXTURE_CHAIN.slice(0, 15), ...violationCases().map((c) => c.block)];
    const a = validateForReport(inputs, { epochs: EPOCHS_ALL_VERSIONS, prev: null, suite: nobleHashSuite, now });
    const b = validateForReport(inputs, { epochs: EPOCHS_ALL_VERSIONS, prev: null, suite: wasm, now });
    expect(compareReports(a, b)).toEqual([]);
  });
});

describe("compareReports", () => {
  it("names each field that differs, with both renderings", () => {
    const a = validateForReport(FIXTURE_CHAIN.slice(0, 3), { epochs: EPOCHS_ALL_VERSIONS, prev: null, suite: nobleHashSuite });
    const b = structuredClone(a);
    b[1].legacy_hash = "0x" + "00".repeat(32);
    b[2].violations.push({ code: "UNKNOWN_FIELD", severity: "LOW", field: "x", expected: null, actual: "1", message: "m" });
    const diffs = compareReports(a, b);
    expect(diffs.map((d) => [d.index, d.field])).toEqual([
      [1, "legacy_hash"],
      [2, "violations"],
    ]);
    expect(compareReports(a, b.slice(0, 2)).map((d) => d.field)).toContain("presence");
  });
});
