/**
 * The simulated network's static part: each node's region, outbound degree, peers and mining power, drawn from a
 * RegionalNetworkModel with the run's generator (simblock-params.ts describes the model SimBlock uses).
 *
 * As in SimBlock's BitcoinCoreTable, a node opens its outbound connections to peers chosen uniformly at random among
 * the nodes it is not yet linked to, inbound connections are not capped, and a link carries messages both ways. The
 * adjacency is stored compressed (one Int32Array of neighbours, one of offsets) because the relay loop walks it for
 * every block a node adopts.
 */
import { cumulative, drawFromCdf, type Prng } from "./prng";
import type { RegionalNetworkModel } from "./simblock-params";

export interface Topology {
  nodeCount: number;
  /** Region index of each node. */
  region: Uint8Array;
  /** Outbound degree each node drew. */
  outboundDegree: Uint16Array;
  /** neighbors[offsets[i] .. offsets[i + 1]) are node i's peers (outbound and inbound). */
  offsets: Int32Array;
  neighbors: Int32Array;
  /** Mining power of each node (arbitrary unit; only shares matter). */
  power: Float64Array;
  /** Cumulative mining power, normalized to end at 1, for drawing the next block's miner. */
  powerCdf: Float64Array;
}

export interface TopologyOptions {
  nodeCount: number;
  model: RegionalNetworkModel;
  miningPower: { mean: number; stdev: number };
}

export function validateModel(model: RegionalNetworkModel): void {
  const r = model.regions.length;
  const fail = (what: string) => {
    throw new RangeError(`network model ${model.name}: ${what}`);
  };
  if (r === 0 || r > 255) fail("needs 1 to 255 regions");
  if (model.regionShare.length !== r || model.uploadBps.length !== r || model.downloadBps.length !== r) fail("every per-region table needs one entry per region");
  if (model.latencyMs.length !== r || model.latencyMs.some((row) => row.length !== r)) fail("the latency matrix must be regions × regions");
  for (const row of model.latencyMs) for (const ms of row) if (!(ms >= 0 && Number.isFinite(ms))) fail(`latency ${ms} ms is not a non-negative number`);
  for (const bps of [...model.uploadBps, ...model.downloadBps]) if (!(bps > 0 && Number.isFinite(bps))) fail(`bandwidth ${bps} bit/s is not positive`);
  const cdf = model.outboundDegreeCdf;
  if (cdf.length === 0 || cdf.some((p, i) => !(p >= 0 && p <= 1) || (i > 0 && p < cdf[i - 1])) || cdf[cdf.length - 1] !== 1) {
    fail("the outbound degree distribution must be cumulative, non-decreasing and end at 1");
  }
}

export function buildTopology(options: TopologyOptions, prng: Prng): Topology {
  const { nodeCount: n, model } = options;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`node count ${n} must be an integer ≥ 2`);
  validateModel(model);
  const regionCdf = cumulative(model.regionShare);
  const region = new Uint8Array(n);
  const outboundDegree = new Uint16Array(n);
  const power = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    region[i] = drawFromCdf(regionCdf, prng.next());
    outboundDegree[i] = Math.min(n - 1, drawFromCdf(model.outboundDegreeCdf, prng.next()) + 1);
    power[i] = Math.max(1, prng.normal(options.miningPower.mean, options.miningPower.stdev));
  }

  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const mine = adjacency[i];
    // A node linked to every other node already has nowhere to open more connections.
    const wanted = Math.min(outboundDegree[i], n - 1 - mine.length);
    let opened = 0;
    while (opened < wanted) {
      const j = prng.int(n);
      if (j === i || mine.includes(j)) continue;
      mine.push(j);
      adjacency[j].push(i);
      opened++;
    }
  }

  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + adjacency[i].length;
  const neighbors = new Int32Array(offsets[n]);
  for (let i = 0; i < n; i++) neighbors.set(adjacency[i], offsets[i]);

  const powerCdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += power[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += power[i];
    powerCdf[i] = sum / total;
  }
  powerCdf[n - 1] = 1;
  return { nodeCount: n, region, outboundDegree, offsets, neighbors, power, powerCdf };
}

/** Index of the node whose share of the mining power covers u ∈ [0, 1). */
export function drawMiner(topology: Topology, u: number): number {
  const cdf = topology.powerCdf;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
