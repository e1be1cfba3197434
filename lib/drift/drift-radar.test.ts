import { describe, expect, it } from "vitest";
import { sealBlock } from "../consensus/seal-block";
import { blockHash, type Block } from "../consensus/block";
import { validateBlock } from "../consensus/validate-block";
import { nobleHashSuite, SHA256_ID } from "../crypto/hash-algorithms";
import { admissionRefusal } from "../ingest/admission";
import { defaultDevnetRegistry } from "../devnet/default-registry";
import { createPrng, generateStatements } from "../devnet/statement-generator";
import { devnetPeerIds, simulatePeerReports } from "../devnet/peer-simulator";
import { hasWellFormedHeader } from "../consensus/parse-block";
import { observationOf, type BlockObservation, type BlockTimings } from "./block-observation";
import { DriftRadar } from "./drift-radar";
import { BLOCK_INJECTIONS, badNodeReports, oversizeStatements } from "./drift-injection";
import { blockSizes } from "./storage-monitor";
import { DEFAULT_RADAR_THRESHOLDS } from "./radar-thresholds";
import type { DriftEvent } from "./drift-event";

const T0 = 1_750_000_000;
const ACTIVATION = 200;
const epochs = defaultDevnetRegistry(T0, ACTIVATION);

/** A radar on a fake clock that advances by 2 s (the devnet interval) per block. */
function makeRadar(thresholds = DEFAULT_RADAR_THRESHOLDS) {
  let t = T0;
  let n = 0;
  const radar = new DriftRadar({ now: () => t, newId: () => `evt-${++n}` }, thresholds);
  return { radar, tick: (s = 2) => (t += s), now: () => t };
}

/** What ingest does with a payload: admission, then the validator's verdict (on the raw payload when refused). */
function observe(raw: unknown, prev: Block | null, timings?: BlockTimings): BlockObservation {
  const refused = admissionRefusal(raw) !== null;
  const v = validateBlock(raw, { epochs, prev, suite: nobleHashSuite });
  const hash = hasWellFormedHeader(raw) ? blockHash(raw as Block, nobleHashSuite.get(SHA256_ID)) : null;
  return observationOf(v, {
    outcome: refused ? "refused" : "stored",
    source: "devnet",
    block_hash: hash,
    timings,
    sizes: refused ? null : blockSizes(v.block),
  });
}

/** A clean devnet chain of `count` blocks (the lib/devnet generator), sealed once for the whole file. */
const CHAIN: Block[] = (() => {
  const out: Block[] = [];
  let prev: Block | null = null;
  for (let n = 0; n < 1000; n++) {
    prev = sealBlock({ statements: generateStatements({ seed: 1, blockNumber: n }), epochs, prev, timestamp: T0 + 2 * n });
    out.push(prev);
  }
  return out;
})();

/** Realistic timings: a baseline with jitter and an occasional lone spike (a GC pause), never a sustained run. */
function jitteryTimings(seed: number) {
  const r = createPrng(seed);
  return (n: number): BlockTimings => {
    const spike = r() < 0.01 ? 20 : 1;
    return { sealing_ms: (1.2 + r() * 0.8) * spike, validation_ms: (0.6 + r() * 0.5) * (n % 97 === 0 ? 15 : 1) };
  };
}

describe("DriftRadar on a clean devnet", () => {
  it("raises no event over 1,000 clean devnet blocks with their peers' reports (zero false positives)", () => {
    const { radar, tick, now } = makeRadar();
    const timings = jitteryTimings(7);
    const events: DriftEvent[] = [];
    CHAIN.forEach((block, n) => {
      tick();
      const out = radar.observeBlock(observe(block, n ? CHAIN[n - 1] : null, timings(n)));
      events.push(...out.raised);
      for (const report of simulatePeerReports({ seed: 1, blockNumber: n, observedAt: now() })) events.push(...radar.observeNodeReport(report).raised);
    });
    expect(events).toEqual([]);
    // The monitors did look: baselines and the network summary are populated.
    expect(radar.performance.baseline("validation_ms")?.samples).toBe(DEFAULT_RADAR_THRESHOLDS.performance.window);
    expect(radar.network.summary(now()).nodes).toBe(5);
    expect(radar.storage.meanOverheadPercent()).toBeGreaterThan(0);
  });
});

describe("the plan's DriftInjector: every injection raises an event of its category", () => {
  // Blocks around the activation (legacy before, dual from 200) and deep in the dual epoch.
  for (const at of [150, ACTIVATION - 1, ACTIVATION, ACTIVATION + 1, 700]) {
    for (const [category, inject] of Object.entries(BLOCK_INJECTIONS)) {
      for (const lowercase of [false, true]) {
        const raw = inject(structuredClone(CHAIN[at]), { lowercase });
        const refused = admissionRefusal(raw) !== null;
        it(`block ${at}: ${category} (${lowercase ? "lowercase" : "the plan's value"}) → ${refused ? "refused" : "stored INVALID"} and detected`, () => {
          const { radar, tick } = makeRadar();
          for (let n = 0; n < at; n += 50) radar.observeBlock(observe(CHAIN[n], n ? CHAIN[n - 1] : null));
          tick();
          const obs = observe(raw, CHAIN[at - 1]);
          expect(obs.verdict).toBe("INVALID");
          const { raised } = radar.observeBlock(obs);
          const mine = raised.filter((e) => e.drift_category === category);
          expect(mine, JSON.stringify(raised.map((e) => [e.drift_category, e.message]))).toHaveLength(1);
          expect(mine[0]).toMatchObject({ severity: "CRITICAL", block_number: at, resolved: false, resolution_timestamp: null });
          expect(mine[0].details.outcome).toBe(refused ? "refused" : "stored");
        });
      }
    }
  }

  it("the plan's uppercase values are refused at admission and the lowercase ones are stored, so both paths are covered", () => {
    const dual = CHAIN[700];
    for (const inject of Object.values(BLOCK_INJECTIONS)) {
      if (inject === BLOCK_INJECTIONS.algorithm_mismatch) continue;
      expect(admissionRefusal(inject(dual))).not.toBeNull();
      expect(admissionRefusal(inject(dual, { lowercase: true }))).toBeNull();
    }
    expect(admissionRefusal(BLOCK_INJECTIONS.algorithm_mismatch(dual))).toMatch(/0xff is not a registered/);
  });

  it("algorithm_mismatch carries the plan's expected/actual algorithm and message", () => {
    const { radar } = makeRadar();
    const [e] = radar.observeBlock(observe(BLOCK_INJECTIONS.algorithm_mismatch(CHAIN[700]), CHAIN[699])).raised;
    expect(e.message).toBe("Algorithm mismatch: expected 01, got ff");
    expect(e.details).toMatchObject({ expected_algorithm: 1, actual_algorithm: 255, rule_version: "v2-dual-required" });
  });

  it("consistency carries the plan's ConsistencyAlert fields", () => {
    const { radar } = makeRadar();
    const raw = BLOCK_INJECTIONS.consistency(CHAIN[700], { lowercase: true });
    const [e] = radar.observeBlock(observe(raw, CHAIN[699])).raised;
    expect(e.message).toBe("Merkle root inconsistency detected");
    expect(e.details).toMatchObject({
      legacy_valid: true,
      pq_valid: false,
      expected_legacy_root: null,
      expected_pq_root: CHAIN[700].pq_merkle_root,
      actual_pq_root: "0x" + "ff".repeat(32),
    });
  });

  it("lineage and commitment carry the expected and actual hashes", () => {
    const { radar } = makeRadar();
    const [l] = radar.observeBlock(observe(BLOCK_INJECTIONS.lineage(CHAIN[700], { lowercase: true }), CHAIN[699])).raised;
    expect(l.details).toMatchObject({ pq_chain_valid: false, legacy_chain_valid: true, expected_pq_prev_hash: CHAIN[700].pq_prev_hash, actual_pq_prev_hash: "0x" + "ee".repeat(32) });
    const [c] = radar.observeBlock(observe(BLOCK_INJECTIONS.commitment(CHAIN[700], { lowercase: true }), CHAIN[699])).raised;
    expect(c.details).toMatchObject({ expected_dual_commitment: CHAIN[700].dual_commitment, actual_dual_commitment: "0x" + "dd".repeat(32) });
  });
});

describe("performance monitor", () => {
  const feed = (radar: DriftRadar, from: number, to: number, timing: (n: number) => BlockTimings) => {
    const events: DriftEvent[] = [];
    const resolved: DriftEvent[] = [];
    for (let n = from; n < to; n++) {
      const out = radar.observeBlock(observe(CHAIN[n], n ? CHAIN[n - 1] : null, timing(n)));
      events.push(...out.raised);
      resolved.push(...out.resolved);
    }
    return { events, resolved };
  };
  const normal = jitteryTimings(3);

  it("raises one HIGH event when sealing stays slower than factor × baseline p95 for the configured blocks", () => {
    const { radar } = makeRadar();
    expect(feed(radar, 0, 100, normal).events).toEqual([]);
    const { consecutive_blocks } = DEFAULT_RADAR_THRESHOLDS.performance;
    const slow = feed(radar, 100, 100 + consecutive_blocks - 1, (n) => ({ ...normal(n), sealing_ms: 80 }));
    expect(slow.events).toEqual([]);
    const more = feed(radar, 100 + consecutive_blocks - 1, 130, (n) => ({ ...normal(n), sealing_ms: 80 }));
    expect(more.events).toHaveLength(1);
    expect(more.events[0]).toMatchObject({ drift_category: "performance", severity: "HIGH", block_number: 100 + consecutive_blocks - 1 });
    expect(more.events[0].details).toMatchObject({ metric: "sealing_ms", recent_p95_ms: 80 });
    expect(more.events[0].details.baseline_p95_ms as number).toBeLessThan(40);
  });

  it("ignores a run one block shorter than configured, and resolves after the configured clean blocks", () => {
    const { radar } = makeRadar();
    feed(radar, 0, 100, normal);
    const slow = (n: number) => ({ ...normal(n), validation_ms: 50 });
    expect(feed(radar, 100, 104, slow).events).toEqual([]);
    expect(feed(radar, 104, 110, normal).events).toEqual([]);
    expect(feed(radar, 110, 120, slow).events).toHaveLength(1);
    const clear = DEFAULT_RADAR_THRESHOLDS.resolve_after_clean;
    expect(feed(radar, 120, 120 + clear - 1, normal).resolved).toEqual([]);
    const after = feed(radar, 120 + clear - 1, 120 + clear, normal);
    expect(after.resolved).toHaveLength(1);
    expect(after.resolved[0]).toMatchObject({ drift_category: "performance", resolved: true });
    expect(after.resolved[0].resolution_timestamp).not.toBeNull();
  });
});

describe("storage monitor", () => {
  it("an oversize block raises a MEDIUM storage event", () => {
    const { radar } = makeRadar();
    const big = sealBlock({ statements: oversizeStatements(DEFAULT_RADAR_THRESHOLDS.storage.max_block_bytes), epochs, prev: CHAIN[699], timestamp: CHAIN[699].timestamp });
    const [e] = radar.observeBlock(observe(big, CHAIN[699])).raised;
    expect(e).toMatchObject({ drift_category: "storage", severity: "MEDIUM", block_number: 700 });
    expect(e.details.block_bytes as number).toBeGreaterThan(DEFAULT_RADAR_THRESHOLDS.storage.max_block_bytes);
  });

  it("a mean PQ overhead above the limit raises one event for the run, not one per block", () => {
    const { radar } = makeRadar({ ...DEFAULT_RADAR_THRESHOLDS, storage: { ...DEFAULT_RADAR_THRESHOLDS.storage, max_overhead_percent: 5 } });
    const raised: DriftEvent[] = [];
    for (let n = 300; n < 400; n++) raised.push(...radar.observeBlock(observe(CHAIN[n], CHAIN[n - 1])).raised);
    expect(raised.map((e) => [e.drift_category, e.details.max_overhead_percent])).toEqual([["storage", 5]]);
  });

  it("blockSizes agrees with the canonical encoding", async () => {
    const { encodeBlock, encodeHeader } = await import("../consensus/block");
    for (const b of [CHAIN[0], CHAIN[199], CHAIN[200], CHAIN[999], { ...CHAIN[5], statements: ["ü€😀 mixed", "ascii"] }]) {
      const s = blockSizes(b);
      expect(s.block_bytes).toBe(encodeBlock(b).length);
      expect(s.header_bytes).toBe(encodeHeader(b).length);
      expect(s.legacy_block_bytes).toBe(encodeBlock({ ...b, pq_algorithm: null, pq_prev_hash: null, pq_merkle_root: null, dual_commitment: null }).length);
    }
  });
});

describe("network monitor", () => {
  it("bad node reports raise HIGH propagation and orphan-rate events and a MEDIUM peer-count one; good reports resolve them", () => {
    const { radar, tick, now } = makeRadar();
    const ids = devnetPeerIds();
    const raised: DriftEvent[] = [];
    for (const r of badNodeReports(ids, now(), 10)) raised.push(...radar.observeNodeReport(r).raised);
    expect(raised.map((e) => [e.details.radar_group, e.severity]).sort()).toEqual([
      ["network:orphan_rate", "HIGH"],
      ["network:peer_count", "MEDIUM"],
      ["network:propagation", "HIGH"],
    ]);
    // Once the bad reports leave the window and healthy ones come in, the events resolve.
    tick(DEFAULT_RADAR_THRESHOLDS.network.window_seconds + 1);
    const resolved: DriftEvent[] = [];
    for (let n = 0; n < 4; n++) {
      tick();
      for (const r of simulatePeerReports({ seed: 1, blockNumber: n, observedAt: now() })) {
        const out = radar.observeNodeReport(r);
        expect(out.raised).toEqual([]);
        resolved.push(...out.resolved);
      }
    }
    expect(resolved).toHaveLength(3);
  });

  it("a thin network alone is MEDIUM", () => {
    const { radar, now } = makeRadar();
    const raised = simulatePeerReports({ seed: 1, blockNumber: 1, observedAt: now() }).flatMap((r) => radar.observeNodeReport({ ...r, peer_count: 1 }).raised);
    expect(raised.map((e) => [e.drift_category, e.severity])).toEqual([["network", "MEDIUM"]]);
  });
});

describe("auto-resolution and restore", () => {
  it("consensus events resolve after the configured clean blocks, together, and not before", () => {
    const { radar } = makeRadar();
    const a = radar.observeBlock(observe(BLOCK_INJECTIONS.consistency(CHAIN[500], { lowercase: true }), CHAIN[499])).raised;
    const b = radar.observeBlock(observe(BLOCK_INJECTIONS.consistency(CHAIN[500]), CHAIN[499])).raised;
    expect(a.length + b.length).toBe(2);
    const clear = DEFAULT_RADAR_THRESHOLDS.resolve_after_clean;
    const resolved: DriftEvent[] = [];
    for (let n = 500; n < 500 + clear; n++) {
      const out = radar.observeBlock(observe(CHAIN[n], CHAIN[n - 1]));
      if (n < 500 + clear - 1) expect(out.resolved).toEqual([]);
      resolved.push(...out.resolved);
    }
    expect(resolved.map((e) => e.event_id).sort()).toEqual([a[0].event_id, b[0].event_id].sort());
    expect(radar.openEvents()).toEqual([]);
  });

  it("restored open events are not raised again and still resolve", () => {
    const first = makeRadar();
    for (let n = 0; n < 30; n++) first.radar.observeBlock(observe(CHAIN[n], n ? CHAIN[n - 1] : null, { sealing_ms: 1, validation_ms: 1 }));
    const slow = { sealing_ms: 100, validation_ms: 1 };
    const raised = [30, 31, 32, 33, 34].flatMap((n) => first.radar.observeBlock(observe(CHAIN[n], CHAIN[n - 1], slow)).raised);
    expect(raised).toHaveLength(1);
    // After a restart the baseline warms up again; those blocks are not judged, so they neither re-raise nor resolve.
    const second = makeRadar();
    second.radar.restore(raised);
    for (let n = 0; n < 20; n++) second.radar.observeBlock(observe(CHAIN[n], n ? CHAIN[n - 1] : null, { sealing_ms: 1, validation_ms: 1 }));
    const again = [20, 21, 22, 23, 24, 25].flatMap((n) => second.radar.observeBlock(observe(CHAIN[n], CHAIN[n - 1], slow)).raised);
    expect(again).toEqual([]);
    expect(second.radar.openEvents().map((e) => e.event_id)).toEqual([raised[0].event_id]);
    const resolved = [26, 27, 28, 29, 30, 31, 32, 33, 34, 35].flatMap((n) => second.radar.observeBlock(observe(CHAIN[n], CHAIN[n - 1], { sealing_ms: 1, validation_ms: 1 })).resolved);
    expect(resolved.map((e) => e.event_id)).toEqual([raised[0].event_id]);
  });
});
