/**
 * The local testnet as data (issue 9 §1, the real half of the network stage): its peer graph, each link's shaped
 * latency, and the two things the stage derives from it:
 *  - from arrival times read off every node's database, per block: the time until 90 % and until every node had it
 *    (the plan's "time for block to reach 90% of nodes" and "all nodes agree on the tip");
 *  - the same network as simulator input (simulate.ts): one region per node, so the latency matrix is the per-link
 *    table and each node's upload and download are its shaped bandwidth, with the testnet's exact adjacency.
 * Pure: the seed, the sizes and the measured times come in as arguments.
 */
import { createPrng } from "./prng";
import type { RegionalNetworkModel } from "./simblock-params";
import type { Topology } from "./topology";

export interface TestnetLink {
  a: number;
  b: number;
  /** One-way delay the link's proxy adds, each direction, ms. */
  latencyMs: number;
}

export interface TestnetGraph {
  nodeCount: number;
  /** Undirected links (a < b), each carried both ways. */
  links: TestnetLink[];
}

/**
 * A connected peer graph where each node has 2 or 3 peers (fewer only when the network is smaller than that): a ring,
 * then chords between nodes that have fewer than 3 peers, drawn from the seed. Link latencies are drawn uniformly
 * from [minLatencyMs, maxLatencyMs] and rounded to whole ms.
 */
export function buildTestnetGraph(nodeCount: number, seed: number, latency: { minMs: number; maxMs: number }): TestnetGraph {
  if (!Number.isInteger(nodeCount) || nodeCount < 2) throw new RangeError(`a testnet needs at least 2 nodes, got ${nodeCount}`);
  if (!(latency.minMs >= 0 && latency.maxMs >= latency.minMs)) throw new RangeError(`latency range ${latency.minMs}..${latency.maxMs} ms is not a range`);
  const rng = createPrng(seed);
  const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
  const edges = new Set<string>();
  const degree = new Array<number>(nodeCount).fill(0);
  const add = (a: number, b: number) => {
    if (a === b || edges.has(key(a, b))) return false;
    edges.add(key(a, b));
    degree[a]++;
    degree[b]++;
    return true;
  };
  for (let i = 0; i < nodeCount; i++) add(i, (i + 1) % nodeCount);
  // Chords: about one per two nodes, each between two nodes with fewer than 3 peers (a few tries, then give up).
  for (let chord = 0, tries = 0; chord < Math.floor(nodeCount / 2) && tries < 50 * nodeCount; tries++) {
    const a = rng.int(nodeCount);
    const b = rng.int(nodeCount);
    if (degree[a] >= 3 || degree[b] >= 3) continue;
    if (add(a, b)) chord++;
  }
  const links = [...edges]
    .map((e) => e.split("-").map(Number) as [number, number])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1])
    .map(([a, b]) => ({ a, b, latencyMs: Math.round(latency.minMs + rng.next() * (latency.maxMs - latency.minMs)) }));
  return { nodeCount, links };
}

/** Each node's peers, in link order. */
export function peersOf(graph: TestnetGraph, node: number): { peer: number; latencyMs: number }[] {
  return graph.links.flatMap((l) => (l.a === node ? [{ peer: l.b, latencyMs: l.latencyMs }] : l.b === node ? [{ peer: l.a, latencyMs: l.latencyMs }] : []));
}

/** Hops from `from` to every node (breadth first); -1 where unreachable. */
export function hopDistances(graph: TestnetGraph, from: number): number[] {
  const dist = new Array<number>(graph.nodeCount).fill(-1);
  dist[from] = 0;
  const queue = [from];
  while (queue.length > 0) {
    const x = queue.shift()!;
    for (const { peer } of peersOf(graph, x)) {
      if (dist[peer] === -1) {
        dist[peer] = dist[x] + 1;
        queue.push(peer);
      }
    }
  }
  return dist;
}

/** The testnet as simulator input: region i is node i, the latency matrix holds each link's delay. */
export function testnetSimulationInputs(graph: TestnetGraph, bandwidth: { uploadBps: number; downloadBps: number }): { model: RegionalNetworkModel; topology: Topology } {
  const n = graph.nodeCount;
  if (n > 255) throw new RangeError("the testnet model has one region per node: at most 255 nodes");
  const latencyMs = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const l of graph.links) {
    latencyMs[l.a][l.b] = l.latencyMs;
    latencyMs[l.b][l.a] = l.latencyMs;
  }
  const model: RegionalNetworkModel = {
    name: `local-testnet-${n}`,
    regions: Array.from({ length: n }, (_, i) => `node-${i + 1}`),
    regionShare: new Array<number>(n).fill(1 / n),
    latencyMs,
    uploadBps: new Array<number>(n).fill(bandwidth.uploadBps),
    downloadBps: new Array<number>(n).fill(bandwidth.downloadBps),
    outboundDegreeCdf: [1],
  };
  const adjacency = Array.from({ length: n }, (_, i) => peersOf(graph, i).map((p) => p.peer));
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + adjacency[i].length;
  const neighbors = new Int32Array(offsets[n]);
  for (let i = 0; i < n; i++) neighbors.set(adjacency[i], offsets[i]);
  const region = new Uint8Array(n);
  for (let i = 0; i < n; i++) region[i] = i;
  const outboundDegree = new Uint16Array(n);
  for (const l of graph.links) outboundDegree[l.a]++;
  // Every node has mining power, but only node 0 (the producer) mines: the caller's mining power stdev is 0 and the
  // CDF puts all of it on node 0.
  const power = new Float64Array(n).fill(1);
  const powerCdf = new Float64Array(n).fill(1);
  return { model, topology: { nodeCount: n, region, outboundDegree, offsets, neighbors, power, powerCdf } };
}

/** One block as the testnet's nodes saw it: when each node stored it (ms, one clock), null where it never arrived. */
export interface BlockArrivals {
  id: string;
  blockNumber: number;
  /** Index of the node that produced it. */
  origin: number;
  arrivalsMs: (number | null)[];
}

export interface BlockPropagationTimes {
  id: string;
  blockNumber: number;
  reached: number;
  /** From the producer's store to the ⌈0.9·n⌉-th node's, ms; null when fewer nodes got it. */
  t90Ms: number | null;
  /** From the producer's store to the last node's (all nodes hold it), ms; null when some node never got it. */
  t100Ms: number | null;
  /** Arrival delay at each node (0 at the producer), null where it never arrived. */
  delaysMs: (number | null)[];
}

/** Per block: time to 90 % and to every node, counted as the simulator counts them (ceil, the producer included). */
export function propagationTimes(block: BlockArrivals): BlockPropagationTimes {
  const n = block.arrivalsMs.length;
  const start = block.arrivalsMs[block.origin];
  if (start === null || start === undefined) throw new RangeError(`block ${block.id}: the producer (node ${block.origin}) has no arrival time`);
  const delaysMs = block.arrivalsMs.map((t) => (t === null ? null : Math.max(0, t - start)));
  const sorted = delaysMs.filter((d): d is number => d !== null).sort((a, b) => a - b);
  const ninety = Math.ceil(n * 0.9);
  return {
    id: block.id,
    blockNumber: block.blockNumber,
    reached: sorted.length,
    t90Ms: sorted.length >= ninety ? sorted[ninety - 1] : null,
    t100Ms: sorted.length === n ? sorted[n - 1] : null,
    delaysMs,
  };
}

/**
 * Per-hop time measured on every receiving node: for each block and node, its arrival minus the earliest moment one
 * of its peers could have delivered the block (that peer's arrival + the link's latency + the transfer time). That is
 * what the simulator's per-hop processing stands for (the sender's commit and send, the receiver's HTTP, validation and
 * transaction), measured at every hop, so nodes two hops out, whose hop overlaps the first hop's relaying on the
 * shared cores, are represented too. One sample per block and receiving node.
 */
export function perHopProcessingSamples(
  times: readonly BlockPropagationTimes[],
  graph: TestnetGraph,
  origin: number,
  wire: { bytesPerTransfer: number; rateBps: number },
): number[] {
  const transferMs = ((wire.bytesPerTransfer * 8) / wire.rateBps) * 1000;
  const samples: number[] = [];
  for (const t of times) {
    for (let node = 0; node < graph.nodeCount; node++) {
      const d = t.delaysMs[node];
      if (node === origin || d === null || d === undefined) continue;
      let earliest = Number.POSITIVE_INFINITY;
      for (const { peer, latencyMs } of peersOf(graph, node)) {
        const from = t.delaysMs[peer];
        if (from !== null && from !== undefined && from <= d) earliest = Math.min(earliest, from + latencyMs + transferMs);
      }
      if (Number.isFinite(earliest)) samples.push(Math.max(0, d - earliest));
    }
  }
  return samples;
}
