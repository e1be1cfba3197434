import { describe, expect, it } from "vitest";
import { parseNodeReport, parseNodeReports, MAX_NODE_REPORTS_PER_REQUEST } from "./node-report";
import { simulatePeerReports } from "../devnet/peer-simulator";

const good = { node_id: "node-2", observed_at: 1_750_000_000, block_number: 12, peer_count: 8, propagation_ms: 120.5, blocks_received: 3, orphan_blocks: 0 };

describe("parseNodeReport", () => {
  it("accepts a well-formed report, and every simulated devnet peer report", () => {
    expect(parseNodeReport(good)).toEqual(good);
    expect(parseNodeReport({ ...good, block_number: null }).block_number).toBeNull();
    for (const r of simulatePeerReports({ seed: 3, blockNumber: 9, observedAt: 1_750_000_000 })) expect(parseNodeReport(r)).toEqual(r);
  });
  it.each([
    [{ ...good, node_id: "" }, /report\.node_id must be/],
    [{ ...good, node_id: "a b" }, /node_id/],
    [{ ...good, peer_count: -1 }, /report\.peer_count must be an integer/],
    [{ ...good, peer_count: 1.5 }, /peer_count/],
    [{ ...good, propagation_ms: "fast" }, /propagation_ms must be milliseconds/],
    [{ ...good, propagation_ms: Number.NaN }, /propagation_ms/],
    [{ ...good, orphan_blocks: 4 }, /orphan_blocks \(4\) cannot exceed blocks_received \(3\)/],
    [{ ...good, extra: 1 }, /unknown field\(s\) "extra"/],
    [[good], /report must be a JSON object/],
  ])("rejects %j naming what is wrong", (input, message) => {
    expect(() => parseNodeReport(input)).toThrow(message);
  });
});

describe("parseNodeReports", () => {
  it("takes one report, an array or {reports: [...]}, and names the bad element", () => {
    expect(parseNodeReports(good)).toHaveLength(1);
    expect(parseNodeReports([good, good])).toHaveLength(2);
    expect(parseNodeReports({ reports: [good] })).toHaveLength(1);
    expect(() => parseNodeReports({ reports: [good, { ...good, peer_count: "x" }] })).toThrow(/reports\[1\]\.peer_count/);
    expect(() => parseNodeReports([])).toThrow(/no reports/);
    expect(() => parseNodeReports(Array(MAX_NODE_REPORTS_PER_REQUEST + 1).fill(good))).toThrow(/limit is 100/);
  });
});
