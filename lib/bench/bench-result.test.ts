import { describe, expect, it } from "vitest";
import { metricValues, resultToCsv, toAcceptanceRecord, type Measurement } from "./bench-result";
import { evaluateAcceptance, type AcceptanceCriterion } from "./acceptance";
import { summarize } from "./statistics";

const measurement: Measurement = {
  id: "hash-wasm/SHA-256/64",
  label: "hash-wasm SHA-256(64 B)",
  params: { implementation: "hash-wasm", bytes: 64 },
  bytes_per_call: 64,
  iterations_per_sample: 1000,
  us: summarize([1, 2, 2, 4]),
  cpu_us_per_call: 1.5,
  runqueue_wait_pct: 12.5,
};

describe("metricValues", () => {
  it("keeps only the values, keyed as the metrics are", () => {
    expect(metricValues({ metrics: { a: { value: 1, unit: "ms", description: "" }, "b.c": { value: 2, unit: "%", description: "" } } })).toEqual({ a: 1, "b.c": 2 });
  });
});

describe("resultToCsv", () => {
  it("writes timing, metric and acceptance rows under one header, with MB/s from the median", () => {
    const criterion: AcceptanceCriterion = { id: "lat", planCriterion: null, description: "latency, median", stage: "s", metric: "m", unit: "ms", comparison: "at-most", target: 5, planBar: 100, source: "t" };
    const acceptance = evaluateAcceptance({ s: { m: 3 } }, [criterion]).map(toAcceptanceRecord);
    const lines = resultToCsv({ stage: "s", measurements: [measurement], metrics: { m: { value: 3, unit: "ms", description: "a, b" } }, acceptance }).split("\r\n");
    expect(lines[0]).toBe("stage,kind,id,label,params,unit,value,samples,iterations_per_sample,min,median,p90,p95,p99,max,mean,stddev,mad,mb_per_s,cpu_us_per_call,runqueue_wait_pct");
    expect(lines[1]).toMatch(/^s,timing,hash-wasm\/SHA-256\/64,hash-wasm SHA-256\(64 B\),implementation=hash-wasm;bytes=64,us\/call,2,4,1000,1,2,/);
    expect(lines[1].endsWith(",32,1.5,12.5")).toBe(true); // 64 bytes / 2 µs = 32 MB/s; CPU per call; wait share
    expect(lines[2]).toBe('s,metric,m,"a, b",,ms,3');
    expect(lines[3]).toBe("s,acceptance,lat,\"latency, median\",comparison=at-most;target=5;status=PASS;plan_bar=100;plan_status=PASS,ms,3");
    expect(lines[4]).toBe("");
  });
});
