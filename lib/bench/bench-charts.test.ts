import { describe, expect, it } from "vitest";
import { chartsForDocument, chartTable } from "./bench-charts";
import type { BenchResultDocument } from "./bench-result";

const m = (value: number, unit = "") => ({ value, unit, description: "" });
const doc = (metrics: BenchResultDocument["metrics"], tables: BenchResultDocument["tables"] = []) => ({ metrics, tables });

describe("chartsForDocument", () => {
  it("draws nothing for a document with no chartable data", () => {
    expect(chartsForDocument(doc({ "cli.help_ms": m(60, "ms") }))).toEqual([]);
  });

  it("hash throughput: one series per implementation and algorithm, x = input bytes, sorted", () => {
    const [chart] = chartsForDocument(
      doc({
        "hash-wasm.sha256.1024.mb_per_s": m(230),
        "hash-wasm.sha256.64.mb_per_s": m(70),
        "noble.sha3-256.64.mb_per_s": m(8),
        "hash-wasm.sha256.64.us_per_call": m(0.9),
      }),
    );
    expect(chart.id).toBe("hash-throughput");
    expect(chart.xScale).toBe("log");
    expect(chart.series).toEqual([
      { id: "hash-wasm sha256", label: "hash-wasm sha256", points: [{ x: 64, y: 70 }, { x: 1024, y: 230 }] },
      { id: "noble sha3-256", label: "noble sha3-256", points: [{ x: 64, y: 8 }] },
    ]);
    expect(chart.summary).toMatch(/hash-wasm sha256: 70 to 230 MB\/s/);
  });

  it("consensus: overhead by statement count per suite and phase, and storage overhead", () => {
    const charts = chartsForDocument(
      doc({
        "merkle-wasm.10.dual_sealing_overhead_pct": m(40),
        "merkle-wasm.1000.dual_sealing_overhead_pct": m(90),
        "merkle-wasm.10.dual_validation_overhead_pct": m(50),
        "storage.10.block_overhead_pct": m(20),
        "storage.1000.header_overhead_pct": m(30),
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(["dual-overhead", "storage-overhead"]);
    expect(charts[0].series.map((s) => s.id)).toEqual(["merkle-wasm sealing", "merkle-wasm validation"]);
    expect(charts[0].series[0].points).toEqual([{ x: 10, y: 40 }, { x: 1000, y: 90 }]);
    expect(charts[1].series.map((s) => s.label)).toEqual(["block bytes", "header bytes"]);
  });

  it("ingest rounds: bars per round from the ingest-rounds table, one series per kind, display numbers parsed", () => {
    const [chart] = chartsForDocument(
      doc({}, [
        {
          id: "ingest-rounds",
          title: "",
          columns: [],
          rows: [
            { round: "1", kind: "ingest", blocks: "1,234" },
            { round: "1", kind: "raw", blocks: "2,000" },
            { round: "2", kind: "ingest", blocks: "1,300.5" },
          ],
        },
      ]),
    );
    expect(chart.kind).toBe("bar");
    expect(chart.categories).toEqual(["round 1", "round 2"]);
    expect(chart.series).toEqual([
      { id: "ingest", label: "ingest", points: [{ x: 0, y: 1234 }, { x: 1, y: 1300.5 }] },
      { id: "raw", label: "raw", points: [{ x: 0, y: 2000 }] },
    ]);
  });

  it("scale: p95 by endpoint at both sizes, the large series naming the stored block count", () => {
    const [chart] = chartsForDocument(
      doc({ stored_blocks: m(1_000_000), "small.status.p95_ms": m(9), "large.status.p95_ms": m(14), "large.trpc_block.p95_ms": m(20), "growth.status": m(1.5) }),
    );
    expect(chart.categories).toEqual(["status", "trpc_block"]);
    expect(chart.series.map((s) => s.label)).toEqual(["small", "large (1,000,000 blocks)"]);
    expect(chart.series[1].points).toEqual([{ x: 0, y: 14 }, { x: 1, y: 20 }]);
  });

  it("propagation: a CDF legacy vs PQ per prefix from t90 percentiles or cdf keys (y = share of blocks)", () => {
    const charts = chartsForDocument(
      doc({
        "pq_vs_legacy.1000.legacy_t90_p50_ms": m(3270),
        "pq_vs_legacy.1000.dual_t90_p50_ms": m(3280),
        "pq_vs_legacy.1000.legacy_t90_p90_ms": m(5420),
        "pq_vs_legacy.1000.dual_t90_p90_ms": m(5430),
        "pq_vs_legacy.1000.t90_p90_ratio": m(1),
        "testnet.cdf.pq.p50_ms": m(100),
      }),
    );
    expect(charts.map((c) => c.title)).toEqual([
      "Propagation, legacy vs PQ: cumulative distribution (testnet)",
      "Propagation, legacy vs PQ: cumulative distribution (pq_vs_legacy.1000)",
    ]);
    const cdf = charts[1];
    expect(cdf.series.map((s) => s.label)).toEqual(["legacy", "PQ (dual)"]);
    expect(cdf.series[0].points).toEqual([{ x: 3270, y: 0.5 }, { x: 5420, y: 0.9 }]);
  });
});

describe("chartTable", () => {
  it("shows x values exactly (1,024 bytes stays 1,024)", () => {
    const [chart] = chartsForDocument(doc({ "a.b.1024.mb_per_s": m(230.456), "a.b.65536.mb_per_s": m(280) }));
    expect(chartTable(chart).rows).toEqual([
      ["1,024", "230"],
      ["65,536", "280"],
    ]);
  });

  it("one row per x with a cell per series (– where a series has no point); bar rows named by category", () => {
    const [chart] = chartsForDocument(doc({ "small.status.p95_ms": m(9), "large.status.p95_ms": m(14), "large.block.p95_ms": m(20) }));
    expect(chartTable(chart)).toEqual({
      header: ["endpoint", "small (p95 ms)", "large (p95 ms)"],
      rows: [
        ["status", "9", "14"],
        ["block", "–", "20"],
      ],
    });
  });
});
