// Rules of the simulator on small networks (fast, no timing). The Bitcoin calibration is in calibration.test.ts.
import { describe, expect, it } from "vitest";
import { simulate, type SimulationConfig } from "./simulate";
import { SIMBLOCK_BITCOIN_2015, type RegionalNetworkModel } from "./simblock-params";
import { bitcoinCalibrationConfig, summarizeRun } from "./summary";
import { buildTopology } from "./topology";
import { createPrng } from "./prng";

/** One region, constant 4 ms latency (a mean ≤ 5 ms is used as a constant), 8 Mbit/s both ways, degree 1. */
const TINY: RegionalNetworkModel = {
  name: "tiny",
  regions: ["ONLY"],
  regionShare: [1],
  latencyMs: [[4]],
  uploadBps: [8_000_000],
  downloadBps: [8_000_000],
  outboundDegreeCdf: [1],
};

function tinyConfig(overrides: Partial<SimulationConfig> = {}): SimulationConfig {
  return {
    nodeCount: 2,
    model: TINY,
    blockSizeBytes: 1000,
    blockIntervalMs: 1e9,
    blocks: 1,
    seed: 5,
    validationMs: 3,
    senderProcessingMs: 2,
    messageOverheadMs: 10,
    miningPower: { mean: 1, stdev: 0 },
    ...overrides,
  };
}

describe("simulate", () => {
  it("times one hop as inv + getdata + transfer + validation: (4+10) + (4+10) + (1 ms for 1000 B at 8 Mbit/s + 2 + 4) + 3 = 38 ms", () => {
    const r = simulate(tinyConfig());
    expect(r.blocks).toHaveLength(1);
    const [b] = r.blocks;
    expect(b.reachedNodes).toBe(2);
    expect(b.t100Ms).toBeCloseTo(38, 9);
    expect(b.t50Ms).toBe(0); // the miner is half of a two-node network
    expect(b.transfers).toBe(1);
    expect(r.orphans).toBe(0);
  });

  it("queues uploads: a hub serving two peers sends the second block after the first has left (transmission) or arrived (until-delivered)", () => {
    // Three nodes, complete graph: the miner uploads to both peers, one after the other; nobody relays further
    // because each peer already asked the miner.
    const config = tinyConfig({ nodeCount: 3, model: { ...TINY, outboundDegreeCdf: [0, 1] } });
    const fast = simulate({ ...config, senderBusy: "transmission" }).blocks[0];
    const slow = simulate({ ...config, senderBusy: "until-delivered" }).blocks[0];
    expect(fast.t100Ms).toBeCloseTo(38 + 3, 9); // second transfer starts 3 ms (1 ms bytes + 2 ms processing) later
    expect(slow.t100Ms).toBeCloseTo(38 + 7, 9); // ... or 7 ms later (bytes, processing and latency)
  });

  it("is deterministic for a seed, and a different seed gives a different run", () => {
    const config = bitcoinCalibrationConfig({ nodeCount: 300, blocks: 20, seed: 42 });
    const a = simulate(config);
    const b = simulate(config);
    expect(a).toEqual(b);
    const c = simulate({ ...config, seed: 43 });
    expect(c.blocks.map((x) => x.minedAtMs)).not.toEqual(a.blocks.map((x) => x.minedAtMs));
  });

  it("reaches every node with every main-chain block, with t50 ≤ t90 ≤ t100, and counts orphans as mined minus main chain", () => {
    // A fast block interval on a slow network makes forks frequent, so the orphan bookkeeping is exercised.
    const r = simulate(bitcoinCalibrationConfig({ nodeCount: 400, blocks: 120, blockIntervalMs: 5_000, seed: 3 }));
    expect(r.orphans).toBeGreaterThan(0);
    expect(r.blocks.length - r.orphans).toBe(r.mainChainLength);
    const main = r.blocks.filter((b) => b.onMainChain);
    for (const b of main.slice(0, -3)) {
      expect(b.reachedNodes).toBe(400);
      expect(b.t50Ms!).toBeLessThanOrEqual(b.t90Ms!);
      expect(b.t90Ms!).toBeLessThanOrEqual(b.t100Ms!);
    }
    // Heights along the main chain are 1, 2, 3, ...
    expect(main.map((b) => b.height)).toEqual(main.map((_, i) => i + 1));
    expect(r.blocks.filter((b) => b.minedOnStaleTip).length).toBeGreaterThan(0);
    expect(r.forkRate).toBeCloseTo(r.orphans / r.blocks.length, 12);
  });

  it("pairs runs on a shared topology: the same blocks are mined at the same times by the same miners whatever the block size", () => {
    const topology = buildTopology({ nodeCount: 500, model: SIMBLOCK_BITCOIN_2015, miningPower: { mean: 400_000, stdev: 100_000 } }, createPrng(9));
    const base = bitcoinCalibrationConfig({ nodeCount: 500, blocks: 30, seed: 77 });
    const small = simulate({ ...base, blockSizeBytes: 100_000 }, topology);
    const large = simulate({ ...base, blockSizeBytes: 1_000_000, validationMs: 50 }, topology);
    expect(large.blocks.map((b) => [b.minedAtMs, b.miner])).toEqual(small.blocks.map((b) => [b.minedAtMs, b.miner]));
    // Ten times the bytes and a validation delay per hop: slower, block by block on average.
    expect(summarizeRun(large).t90.mean).toBeGreaterThan(summarizeRun(small).t90.mean * 2);
  });

  it("refuses a configuration it cannot simulate, with the field named", () => {
    expect(() => simulate(tinyConfig({ nodeCount: 1 }))).toThrow(/nodeCount/);
    expect(() => simulate(tinyConfig({ blockSizeBytes: 0 }))).toThrow(/blockSizeBytes/);
    expect(() => simulate(tinyConfig({ validationMs: -1 }))).toThrow(/validationMs/);
    expect(() => simulate(tinyConfig({ model: { ...TINY, latencyMs: [[1, 2]] } }))).toThrow(/latency matrix/);
    expect(() => simulate(tinyConfig({ model: { ...TINY, outboundDegreeCdf: [0.5] } }))).toThrow(/degree distribution/);
  });
});
