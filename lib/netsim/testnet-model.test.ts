// The testnet's graph, its arrival arithmetic, and the simulator configured as the testnet (push relay, constant links).
import { describe, expect, it } from "vitest";
import { simulate } from "./simulate";
import { summarizeRun } from "./summary";
import { buildTestnetGraph, hopDistances, peersOf, perHopProcessingSamples, propagationTimes, testnetSimulationInputs } from "./testnet-model";

describe("buildTestnetGraph", () => {
  it.each([2, 3, 5, 8, 12])("gives %i nodes a connected graph where every node has 1-3 peers (2-3 from 3 nodes on)", (n) => {
    const g = buildTestnetGraph(n, 7, { minMs: 10, maxMs: 40 });
    expect(hopDistances(g, 0).every((d) => d >= 0)).toBe(true);
    for (let i = 0; i < n; i++) {
      const k = peersOf(g, i).length;
      expect(k).toBeGreaterThanOrEqual(n >= 3 ? 2 : 1);
      expect(k).toBeLessThanOrEqual(3);
    }
    for (const l of g.links) {
      expect(l.a).toBeLessThan(l.b);
      expect(l.latencyMs).toBeGreaterThanOrEqual(10);
      expect(l.latencyMs).toBeLessThanOrEqual(40);
    }
  });

  it("is deterministic in its seed", () => {
    expect(buildTestnetGraph(5, 3, { minMs: 5, maxMs: 50 })).toEqual(buildTestnetGraph(5, 3, { minMs: 5, maxMs: 50 }));
  });

  it("refuses fewer than 2 nodes and an empty latency range", () => {
    expect(() => buildTestnetGraph(1, 1, { minMs: 1, maxMs: 2 })).toThrow(/at least 2/);
    expect(() => buildTestnetGraph(3, 1, { minMs: 5, maxMs: 2 })).toThrow(/range/);
  });
});

describe("propagationTimes", () => {
  it("counts from the producer's arrival; t90 is the ⌈0.9·n⌉-th node, t100 the last", () => {
    const t = propagationTimes({ id: "b", blockNumber: 4, origin: 1, arrivalsMs: [1300, 1000, 1100, 1250, 1200] });
    expect(t.delaysMs).toEqual([300, 0, 100, 250, 200]);
    expect(t.t90Ms).toBe(300); // ⌈4.5⌉ = 5 of 5
    expect(t.t100Ms).toBe(300);
    const ten = propagationTimes({ id: "c", blockNumber: 1, origin: 0, arrivalsMs: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90] });
    expect(ten.t90Ms).toBe(80);
    expect(ten.t100Ms).toBe(90);
  });

  it("leaves t100 (and t90 when too few got it) null for a block some node never stored", () => {
    const t = propagationTimes({ id: "b", blockNumber: 1, origin: 0, arrivalsMs: [0, 5, null] });
    expect(t.reached).toBe(2);
    expect(t.t90Ms).toBeNull();
    expect(t.t100Ms).toBeNull();
  });

  it("refuses a block its producer never stored", () => {
    expect(() => propagationTimes({ id: "b", blockNumber: 1, origin: 0, arrivalsMs: [null, 5] })).toThrow(/producer/);
  });
});

describe("perHopProcessingSamples", () => {
  it("takes each receiver's arrival minus the earliest delivery its peers could make", () => {
    // Line 0 – 1 – 2, 20 ms and 30 ms, 1 ms on the wire: node 1 at 26 (5 ms off the wire), node 2 at 26 + 31 + 8 = 65.
    const g = { nodeCount: 3, links: [{ a: 0, b: 1, latencyMs: 20 }, { a: 1, b: 2, latencyMs: 30 }] };
    const times = [propagationTimes({ id: "x", blockNumber: 1, origin: 0, arrivalsMs: [100, 126, 165] })];
    expect(perHopProcessingSamples(times, g, 0, { bytesPerTransfer: 1000, rateBps: 8_000_000 })).toEqual([5, 8]);
  });
});

describe("simulate on the testnet model (push relay, constant latency)", () => {
  it("times a line a–b–c as one latency + transfer + processing per hop, and sends every copy but back to the sender", () => {
    const graph = { nodeCount: 3, links: [{ a: 0, b: 1, latencyMs: 20 }, { a: 1, b: 2, latencyMs: 30 }] };
    const { model, topology } = testnetSimulationInputs(graph, { uploadBps: 8_000_000, downloadBps: 8_000_000 });
    const r = simulate(
      {
        nodeCount: 3,
        model,
        blockSizeBytes: 1000,
        blockIntervalMs: 1e9,
        blocks: 1,
        seed: 1,
        validationMs: 5,
        senderProcessingMs: 0,
        messageOverheadMs: 0,
        miningPower: { mean: 1, stdev: 0 },
        relay: "push",
        latencyJitter: "none",
      },
      topology,
    );
    const [b] = r.blocks;
    expect(b.miner).toBe(0);
    // Hop 1: 1 ms transfer + 20 ms + 5 ms; hop 2: 1 + 30 + 5.
    expect(b.t100Ms).toBeCloseTo(26 + 36, 6);
    // 0 → 1, then 1 → 2 (not back to 0).
    expect(b.transfers).toBe(2);
    expect(summarizeRun(r).t90.p50).toBeCloseTo(62, 6);
  });

  it("draws per-hop processing from measured samples when given: between their extremes, spread over the range", () => {
    const graph = { nodeCount: 2, links: [{ a: 0, b: 1, latencyMs: 10 }] };
    const { model, topology } = testnetSimulationInputs(graph, { uploadBps: 8_000_000, downloadBps: 8_000_000 });
    const base = { nodeCount: 2, model, blockSizeBytes: 1000, blockIntervalMs: 1000, blockArrivals: "periodic" as const, blocks: 200, seed: 3, validationMs: 0, senderProcessingMs: 0, messageOverheadMs: 0, miningPower: { mean: 1, stdev: 0 }, relay: "push" as const, latencyJitter: "none" as const };
    const r = simulate({ ...base, validationSamplesMs: [5, 50] }, topology);
    // 1 ms on the wire + 10 ms latency + 5 to 50 ms.
    const times = r.blocks.map((b) => b.t100Ms!);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(16 - 1e-9);
    expect(Math.max(...times)).toBeLessThanOrEqual(61 + 1e-9);
    expect(times.filter((t) => t < 38.5).length).toBeGreaterThan(50);
    expect(times.filter((t) => t > 38.5).length).toBeGreaterThan(50);
    expect(() => simulate({ ...base, validationSamplesMs: [] }, topology)).toThrow(/validationSamplesMs/);
  });

  it("drops a pushed duplicate: in a triangle the block is sent 4 times (2 by the producer, 1 more by each peer) and adopted once each", () => {
    const graph = { nodeCount: 3, links: [{ a: 0, b: 1, latencyMs: 10 }, { a: 0, b: 2, latencyMs: 10 }, { a: 1, b: 2, latencyMs: 10 }] };
    const { model, topology } = testnetSimulationInputs(graph, { uploadBps: 80_000_000, downloadBps: 80_000_000 });
    const r = simulate(
      { nodeCount: 3, model, blockSizeBytes: 100, blockIntervalMs: 1e9, blocks: 1, seed: 1, validationMs: 1, senderProcessingMs: 0, messageOverheadMs: 0, miningPower: { mean: 1, stdev: 0 }, relay: "push", latencyJitter: "none" },
      topology,
    );
    expect(r.blocks[0].transfers).toBe(4);
    expect(r.blocks[0].reachedNodes).toBe(3);
  });
});
