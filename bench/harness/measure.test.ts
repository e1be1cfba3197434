// The timing loop driven by a fake clock: each case advances it by a fixed cost, so results are exact.
import { describe, expect, it } from "vitest";
import { measureGroup, type SamplingPlan } from "./measure";

function fakeClock() {
  let now = 0;
  return { clock: () => now, spend: (ms: number) => () => void (now += ms) };
}

describe("measureGroup", () => {
  it("batches calls so a sample lasts at least minSampleMs, and reports µs per call", () => {
    const { clock, spend } = fakeClock();
    const plan: SamplingPlan = { warmupMs: 5, minSampleMs: 1, samples: 9, minSamples: 3, maxMs: 1e9 };
    const [cheap, dear] = measureGroup(
      [
        { id: "cheap", label: "cheap", params: {}, bytesPerCall: 64, run: spend(0.1) },
        { id: "dear", label: "dear", params: {}, run: spend(3) },
      ],
      plan,
      { wall: clock, thread: null },
    );
    expect(cheap.iterations_per_sample * 0.1).toBeGreaterThanOrEqual(1 - 1e-9);
    expect(cheap.us.count).toBe(9);
    expect(cheap.us.median).toBeCloseTo(100, 6);
    expect(cheap.bytes_per_call).toBe(64);
    expect(dear.iterations_per_sample).toBe(1);
    expect(dear.us.median).toBeCloseTo(3000, 6);
    expect(dear.bytes_per_call).toBeNull();
    expect(cheap.cpu_us_per_call).toBeNull();
    expect(cheap.runqueue_wait_pct).toBeNull();
  });
  it("adds up the thread's CPU time per call and its run-queue wait when given a thread clock", () => {
    let now = 0;
    let onCpuNs = 0;
    let waitNs = 0;
    // Each call takes 4 ms of wall time, of which 3 ms on a CPU and 1 ms waiting for one.
    const run = () => void ((now += 4), (onCpuNs += 3e6), (waitNs += 1e6));
    const [m] = measureGroup([{ id: "x", label: "x", params: {}, run }], { warmupMs: 0, minSampleMs: 1, samples: 100, minSamples: 100, maxMs: 1e9 }, {
      wall: () => now,
      thread: () => ({ onCpuNs, waitNs }),
    });
    expect(m.us.median).toBeCloseTo(4000, 6);
    expect(m.cpu_us_per_call).toBeCloseTo(3000, 6);
    expect(m.runqueue_wait_pct).toBeCloseTo(25, 6);
  });
  it("leaves the CPU figures out when the samples span too little time for a tick-grained clock", () => {
    let now = 0;
    const run = () => void (now += 1);
    const [m] = measureGroup([{ id: "x", label: "x", params: {}, run }], { warmupMs: 0, minSampleMs: 1, samples: 5, minSamples: 5, maxMs: 1e9 }, {
      wall: () => now,
      thread: () => ({ onCpuNs: now * 1e6, waitNs: 0 }),
    });
    expect(m.cpu_us_per_call).toBeNull();
    expect(m.runqueue_wait_pct).toBeNull();
  });
  it("stops at the time limit once every case has its minimum of samples", () => {
    const { clock, spend } = fakeClock();
    const [m] = measureGroup([{ id: "slow", label: "slow", params: {}, run: spend(10) }], { warmupMs: 0, minSampleMs: 1, samples: 1000, minSamples: 4, maxMs: 50 }, { wall: clock, thread: null });
    expect(m.us.count).toBeGreaterThanOrEqual(4);
    expect(m.us.count).toBeLessThan(10);
  });
  it("refuses duplicate case ids", () => {
    const { clock, spend } = fakeClock();
    const c = { id: "x", label: "x", params: {}, run: spend(1) };
    expect(() => measureGroup([c, c], { warmupMs: 0, minSampleMs: 1, samples: 1, minSamples: 1, maxMs: 1 }, { wall: clock, thread: null })).toThrow(/unique/);
  });
});
