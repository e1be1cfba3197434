// Calibration against SimBlock's published band (issue 9 §1), on the Bitcoin-like configuration the bench stage
// uses (lib/netsim/summary.ts: SimBlock's 2015 Bitcoin network, 535 KB blocks, 600 s interval, 6,000 nodes).
// The bench stage ("network-sim") runs 2,000 blocks and reports the fork rate's Wilson interval; this test runs
// 1,000 blocks with the stage's seed, so it stays well under a minute on the 2-core machine. No assertion here
// depends on how fast anything ran.
import { describe, expect, it } from "vitest";
import { simulate } from "./simulate";
import { SIMBLOCK_CALIBRATION_BAND } from "./simblock-params";
import { bitcoinCalibrationConfig, summarizeRun } from "./summary";

const TEST_BLOCKS = 1_000;
const SEED = 20_261_203; // bench/stages/network-sim.ts

describe("calibration: Bitcoin-like parameters against SimBlock's band", () => {
  const summary = summarizeRun(simulate(bitcoinCalibrationConfig({ blocks: TEST_BLOCKS, seed: SEED })));
  const band = SIMBLOCK_CALIBRATION_BAND;

  it(`puts the median propagation delay (pooled over blocks and nodes) inside 8.7–9.42 s over ${TEST_BLOCKS} blocks`, () => {
    expect(summary.pooledArrivalMs.p50).toBeGreaterThanOrEqual(band.medianPropagationMs.min);
    expect(summary.pooledArrivalMs.p50).toBeLessThanOrEqual(band.medianPropagationMs.max);
  });

  it("puts the fork rate (orphans / mined) inside 0.41–1.85 %, and so does the rate the arrival times imply", () => {
    expect(summary.minedBlocks).toBe(TEST_BLOCKS);
    expect(summary.forkRate.estimate * 100).toBeGreaterThanOrEqual(band.forkRatePct.min);
    expect(summary.forkRate.estimate * 100).toBeLessThanOrEqual(band.forkRatePct.max);
    expect(summary.expectedForkRate * 100).toBeGreaterThanOrEqual(band.forkRatePct.min);
    expect(summary.expectedForkRate * 100).toBeLessThanOrEqual(band.forkRatePct.max);
  });

  it("propagates every settled main-chain block to every node, the 90th percentile well after the median", () => {
    expect(summary.fullyPropagated).toBeGreaterThanOrEqual(summary.mainChainBlocks - 1);
    expect(summary.pooledArrivalMs.p90).toBeGreaterThan(summary.pooledArrivalMs.p50);
    expect(summary.t100.p50).toBeGreaterThan(summary.t90.p50);
  });
});
