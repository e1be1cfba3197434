import { describe, expect, it } from "vitest";
import { assessNetworkHealth, blocksPerMinute } from "./network-health";

const calm = { heartbeatAgeSeconds: 2, secondsSinceLastBlock: 1, expectedIntervalSeconds: 2, recentViolations: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 3 } };

describe("assessNetworkHealth", () => {
  it("is HEALTHY with a fresh heartbeat, fresh blocks and only advisory violations", () => {
    expect(assessNetworkHealth(calm)).toEqual({ health: "HEALTHY", reasons: [] });
  });
  it("is CRITICAL on a CRITICAL violation or a stale or missing heartbeat", () => {
    expect(assessNetworkHealth({ ...calm, recentViolations: { ...calm.recentViolations, CRITICAL: 1 } }).health).toBe("CRITICAL");
    expect(assessNetworkHealth({ ...calm, heartbeatAgeSeconds: 61 }).reasons[0]).toMatch(/no worker heartbeat for 61 s/);
    expect(assessNetworkHealth({ ...calm, heartbeatAgeSeconds: 60 }).health).toBe("HEALTHY");
    expect(assessNetworkHealth({ ...calm, heartbeatAgeSeconds: null }).health).toBe("CRITICAL");
  });
  it("is DEGRADED on HIGH or MEDIUM violations, a stall past ten intervals, or an empty chain", () => {
    expect(assessNetworkHealth({ ...calm, recentViolations: { ...calm.recentViolations, MEDIUM: 1 } }).health).toBe("DEGRADED");
    expect(assessNetworkHealth({ ...calm, secondsSinceLastBlock: 21 }).health).toBe("DEGRADED");
    expect(assessNetworkHealth({ ...calm, secondsSinceLastBlock: 20 }).health).toBe("HEALTHY");
    expect(assessNetworkHealth({ ...calm, secondsSinceLastBlock: null }).reasons).toEqual(["no block yet"]);
  });
});

describe("blocksPerMinute", () => {
  it("counts blocks inside the window over the time since the oldest of them", () => {
    const now = 10_000_000;
    // 150 blocks every 2 s, the oldest 298 s ago: about 30 a minute.
    expect(blocksPerMinute(Array.from({ length: 150 }, (_, i) => now - i * 2000), now)).toBe(30.2);
    // A chain 90 s old with a block a second is reported at ~60/min, not diluted over the 5-minute window.
    expect(blocksPerMinute(Array.from({ length: 91 }, (_, i) => now - i * 1000), now)).toBe(60.7);
    // Blocks outside the window, or in the future, do not count.
    expect(blocksPerMinute([now - 400_000, now + 5], now)).toBe(0);
    // A chain that stopped 4 minutes ago decays.
    expect(blocksPerMinute([now - 240_000, now - 241_000], now)).toBe(0.5);
    expect(blocksPerMinute([], now)).toBe(0);
  });
});

describe("assessNetworkHealth with the drift radar's open events", () => {
  const calm = { heartbeatAgeSeconds: 1, secondsSinceLastBlock: 1, expectedIntervalSeconds: 2, recentViolations: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 } };
  it("an open CRITICAL event is CRITICAL, HIGH or MEDIUM is DEGRADED, LOW changes nothing; the reason names them", () => {
    expect(assessNetworkHealth({ ...calm, openDrift: [{ severity: "CRITICAL", drift_category: "consistency", count: 2 }] })).toEqual({ health: "CRITICAL", reasons: ["2 open CRITICAL consistency drift events"] });
    expect(assessNetworkHealth({ ...calm, openDrift: [{ severity: "HIGH", drift_category: "performance", count: 1 }] })).toEqual({ health: "DEGRADED", reasons: ["1 open HIGH performance drift event"] });
    expect(assessNetworkHealth({ ...calm, openDrift: [{ severity: "MEDIUM", drift_category: "storage", count: 1 }] }).health).toBe("DEGRADED");
    expect(assessNetworkHealth({ ...calm, openDrift: [{ severity: "LOW", drift_category: "lineage", count: 3 }] }).health).toBe("HEALTHY");
  });
});
