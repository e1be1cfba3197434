// A smoke run of the network stage in --quick mode: two real nodes (built web server + worker, each on its own
// database) on loopback, a few blocks per chain, relayed through delay proxies. The result must be complete and
// well-formed, and the blocks must have propagated; nothing here depends on how fast anything ran.
// The nodes run the production build: when it is stale the stage runs `next build` first (the browser tests need it
// next anyway), which is why the hook timeout is long.
import { describe, expect, it } from "vitest";
import { ACCEPTANCE_CRITERIA, evaluateAcceptance } from "../../lib/bench/acceptance";
import { chartsForDocument } from "../../lib/bench/bench-charts";
import { metricValues, resultToCsv, type StageResult } from "../../lib/bench/bench-result";
import { networkStage, sumCounter } from "./network";

describe("sumCounter", () => {
  it("sums a counter over its label sets and ignores families that merely share the prefix", () => {
    const text = [
      "# TYPE mathledger_relay_bytes_sent_total counter",
      'mathledger_relay_bytes_sent_total{peer="node-2"} 120',
      'mathledger_relay_bytes_sent_total{peer="node-3"} 80',
      "mathledger_relay_bytes_sent_total_created 17",
    ].join("\n");
    expect(sumCounter(text, "mathledger_relay_bytes_sent_total")).toBe(200);
    expect(sumCounter(text, "mathledger_relay_blocks_sent_total")).toBeNull();
  });
});

describe("networkStage --quick", { timeout: 600_000 }, () => {
  let result: StageResult;
  const run = async () => (result ??= await networkStage.run({ quick: true, progress: () => {} }));

  it("relays every measured block of both chains to every node, and the tips agree", async () => {
    const { metrics } = await run();
    for (const side of ["legacy", "dual"]) {
      expect(metrics[`testnet.${side}.blocks`].value, side).toBeGreaterThan(0);
      expect(metrics[`testnet.${side}.unpropagated_blocks`].value, side).toBe(0);
      expect(metrics[`testnet.${side}.tips_agree`].value, side).toBe(1);
      // The registry decided the kind: no PQ hash on the legacy chain, one on every dual block.
      expect(metrics[`testnet.${side}.wrong_kind_blocks`].value, side).toBe(0);
      expect(metrics[`testnet.${side}.relay_transfers_per_block`].value, side).toBeGreaterThan(0);
      expect(metrics[`testnet.${side}.relay_bytes_per_block`].value, side).toBeGreaterThan(0);
    }
    // Dual blocks carry the PQ hashes: more bytes on the wire for the same statements.
    expect(metrics["testnet.dual.wire_bytes_per_transfer"].value).toBeGreaterThan(metrics["testnet.legacy.wire_bytes_per_transfer"].value);
    expect(metrics["testnet.namespaces"].value).toBe(0);
  });

  it("produces every metric the network criteria read, so each is judged PASS or FAIL (never MISSING)", async () => {
    const verdicts = evaluateAcceptance({ network: metricValues(await run()) });
    expect(verdicts.map((v) => v.criterion.id)).toEqual(ACCEPTANCE_CRITERIA.filter((c) => c.stage === "network").map((c) => c.id));
    for (const v of verdicts) expect(["PASS", "FAIL"]).toContain(v.status);
  });

  it("feeds the Benchmarks page's propagation CDF, legacy against PQ", async () => {
    const charts = chartsForDocument(await run());
    const cdf = charts.find((c) => c.title.includes("testnet"));
    expect(cdf?.series.map((s) => s.id)).toEqual(["legacy", "dual"]);
  });

  it("has finite metrics with units, tables whose rows only use declared columns, and survives JSON and CSV", async () => {
    const r = await run();
    for (const [key, m] of Object.entries(r.metrics)) {
      expect(Number.isFinite(m.value), key).toBe(true);
      expect(m.unit, key).not.toBe("");
    }
    expect(r.tables.map((t) => t.id)).toEqual(["network-testnet", "network-testnet-simulation", "week4_network_results"]);
    for (const t of r.tables) {
      const keys = new Set(t.columns.map((c) => c.key));
      for (const row of t.rows) for (const k of Object.keys(row)) expect(keys.has(k), `${t.id}: ${k}`).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const csv = resultToCsv({ ...r, acceptance: [] });
    expect(csv.trimEnd().split("\r\n")).toHaveLength(1 + r.measurements.length + Object.keys(r.metrics).length);
  });
});
