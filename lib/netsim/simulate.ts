/**
 * A discrete-event simulation of block propagation and forks on a proof-of-work network (issue 9 §1, the simulator
 * half of the network stage). Pure: no clock, no I/O; the caller times it.
 *
 * Model (SimBlock's, see simblock-params.ts for the source of every figure):
 * - Mining: blocks arrive as a Poisson process with the configured mean interval; the miner is drawn in proportion
 *   to mining power and builds on its own current tip. Because exponential waiting times are memoryless this equals
 *   SimBlock's per-node mining tasks restarted at every new tip, with one event per block instead of one per node.
 *   A miner whose tip is not the highest block in the network mines on a stale tip: its block or the other becomes
 *   an orphan.
 * - Relay: inv / getdata / block, as SimBlock models Bitcoin's protocol before compact blocks. A node that adopts a
 *   block announces it (inv) to every peer but the one it came from; a peer that sees a block higher than its tip,
 *   and is not already fetching it, asks the announcer for it (getdata) and waits for that transfer. Compact block
 *   relay is not modelled: our nodes push full blocks, and SimBlock's calibration against Bitcoin predates it.
 *   `relay: "push"` models MathLedger's own relay instead: a node that adopts a block sends it whole to each peer but
 *   the one it came from (one latency per hop, every copy's bytes on the wire, duplicates dropped on arrival).
 * - Links: each inv and getdata takes a Pareto-distributed latency (mean from the region matrix) + 10 ms; a block
 *   takes that latency plus size · 8 / min(sender's upload, receiver's download) + the sender's processing time.
 *   A node uploads one block at a time; further requests queue. By default the sender is free again when the
 *   bytes have left (`senderBusy: "transmission"`); SimBlock holds it until the block has arrived
 *   (`"until-delivered"`), which the calibration can select.
 * - Processing: a received block is validated (`validationMs`, the per-hop cost measured on our consensus core)
 *   before the node adopts and relays it. Longest chain wins; on equal height a node keeps the block it saw first.
 * - A node that adopts a block has its ancestors too (it would fetch a missing parent; propagation of the parent is
 *   counted at that moment), so "reached" means "on the node's chain".
 *
 * Outputs per block: the times to 50 %, 90 % and 100 % of nodes, the mean arrival time (weighted by mining power),
 * block transfers, and whether it ended on the main chain; for the run: orphans and the fork rate.
 */
import { quantileSorted } from "../bench/statistics";
import { EventQueue } from "./event-queue";
import { createPrng, hashUniform } from "./prng";
import type { RegionalNetworkModel } from "./simblock-params";
import { buildTopology, drawMiner, type Topology } from "./topology";

export interface SimulationConfig {
  nodeCount: number;
  model: RegionalNetworkModel;
  blockSizeBytes: number;
  blockIntervalMs: number;
  /** Blocks to mine; the run then lets the last ones propagate to the end. */
  blocks: number;
  seed: number;
  /** Validation at each receiving node before it relays (the per-hop processing time). */
  validationMs: number;
  /**
   * Per-hop processing as an empirical distribution instead of one value: each (block, node) draws from it (the
   * samples' quantile at a uniform draw, interpolated between neighbours, as a function of the seed so runs stay
   * paired). A testnet's measured per-hop times vary with the load of
   * the cores its nodes share, and the time to the last node is a maximum over paths, which a constant understates.
   */
  validationSamplesMs?: readonly number[];
  /** Added to every block transfer at the sender (SimBlock: 2 ms). */
  senderProcessingMs: number;
  /** Added to every inv and getdata message (SimBlock: 10 ms). */
  messageOverheadMs: number;
  miningPower: { mean: number; stdev: number };
  senderBusy?: "transmission" | "until-delivered";
  /**
   * "inv-getdata" (default): Bitcoin's announce / request / send, as SimBlock models it. "push": a node that adopts a
   * block sends it whole to every peer but the one it came from, without asking (MathLedger's relay: POST
   * /api/v1/blocks to each peer); a peer that already has it drops the copy, whose bytes were still sent.
   */
  relay?: "inv-getdata" | "push";
  /**
   * "pareto" (default): each message's latency drawn from SimBlock's Pareto around the pair's mean. "none": the mean
   * itself, every time (a shaped testnet link, whose delay proxy holds every chunk for the same time).
   */
  latencyJitter?: "pareto" | "none";
  /**
   * "poisson" (default): proof of work, exponential waits with the interval as mean. "periodic": one block every
   * interval exactly (a devnet producer on a timer, as the local testnet's).
   */
  blockArrivals?: "poisson" | "periodic";
}

export interface BlockPropagation {
  id: number;
  height: number;
  parent: number;
  miner: number;
  minedAtMs: number;
  /** Whether the block is on the final main chain (false: an orphan). */
  onMainChain: boolean;
  /** Miner's tip was lower than the network's highest block when it mined this one. */
  minedOnStaleTip: boolean;
  reachedNodes: number;
  /** Time from mining until the given share of nodes had it on their chain, or null if never. */
  t50Ms: number | null;
  t90Ms: number | null;
  t100Ms: number | null;
  /** Mean time until a node had it, weighted by mining power, over the nodes it reached. */
  meanArrivalMs: number;
  /** Full-block transfers it took (bytes on the wire = transfers × block size). */
  transfers: number;
}

export interface SimulationResult {
  nodeCount: number;
  /** Every mined block in mining order (the genesis block is not included). */
  blocks: BlockPropagation[];
  mainChainLength: number;
  orphans: number;
  /** orphans / mined blocks. */
  forkRate: number;
  /**
   * The fork rate the propagation times imply: the mean over main-chain blocks of 1 − exp(−a / T), a = the block's
   * power-weighted mean arrival time and T the block interval (ANCHORS.md: "fork rate is roughly 1 − exp(−delay /
   * block interval)"). It has far less sampling noise than counting orphans over a few hundred blocks.
   */
  expectedForkRate: number;
  /**
   * Quantiles of the delay from mining to arrival, pooled over every block and node (the miner's own zero
   * included), to 10 ms: the distribution measurement studies report as "the" propagation delay (Croman et al.'s
   * 10th/50th/90th percentiles, SimBlock's median). Per block the time to half the nodes depends strongly on where
   * the miner sits, so the median of per-block t50 jumps between regions' modes; the pooled median does not.
   */
  pooledArrivalMs: { p10: number; p50: number; p90: number };
  /** Events processed (a measure of work for speed reports). */
  events: number;
  simulatedMs: number;
  /** Mean number of peers per node. */
  meanPeers: number;
}

const MINE = 0;
const INV = 1;
const GETDATA = 2;
const BLOCK = 3;
const SEND_DONE = 4;
const VALIDATED = 5;

/** Pooled arrival delays are kept in 10 ms bins up to 20 minutes (the last bin takes anything later). */
const HISTOGRAM_BIN_MS = 10;
const HISTOGRAM_BINS = 120_000;

const REQUESTED = 1;
const REACHED = 2;

export function validateConfig(config: SimulationConfig): void {
  const fail = (what: string) => {
    throw new RangeError(`simulation config: ${what}`);
  };
  if (!Number.isInteger(config.nodeCount) || config.nodeCount < 2 || config.nodeCount > 1_000_000) fail(`nodeCount ${config.nodeCount} must be an integer in 2..1,000,000`);
  if (!Number.isInteger(config.blocks) || config.blocks < 0) fail(`blocks ${config.blocks} must be a non-negative integer`);
  if (!(config.blockSizeBytes > 0 && Number.isFinite(config.blockSizeBytes))) fail(`blockSizeBytes ${config.blockSizeBytes} must be positive`);
  if (!(config.blockIntervalMs > 0 && Number.isFinite(config.blockIntervalMs))) fail(`blockIntervalMs ${config.blockIntervalMs} must be positive`);
  if (config.validationSamplesMs !== undefined && (config.validationSamplesMs.length === 0 || config.validationSamplesMs.some((v) => !(v >= 0 && Number.isFinite(v))))) {
    fail("validationSamplesMs must be a non-empty list of non-negative numbers");
  }
  for (const key of ["validationMs", "senderProcessingMs", "messageOverheadMs"] as const) {
    if (!(config[key] >= 0 && Number.isFinite(config[key]))) fail(`${key} ${config[key]} must be a non-negative number`);
  }
  if (!(config.miningPower.mean > 0) || !(config.miningPower.stdev >= 0)) fail("mining power needs a positive mean and a non-negative stdev");
}

/** Runs one simulation; the topology can be passed in to reuse it across runs (it must match nodeCount). */
export function simulate(config: SimulationConfig, prebuilt?: Topology): SimulationResult {
  validateConfig(config);
  const topology = prebuilt ?? buildTopology({ nodeCount: config.nodeCount, model: config.model, miningPower: config.miningPower }, createPrng(config.seed));
  if (topology.nodeCount !== config.nodeCount) throw new RangeError("simulation config: the topology has a different node count");
  // Mining (when, and who) has its own stream, and each message's latency is a function of (seed, block, sender,
  // receiver, kind): two runs with the same seed and topology that differ only in block size or validation time mine
  // the same blocks at the same times and see the same latency on the same link for the same message.
  const rng = createPrng((config.seed ^ 0x9e3779b9) >>> 0);
  const latencySeed = (config.seed * 0x2545f491) >>> 0;
  const n = config.nodeCount;
  const { region, offsets, neighbors, power } = topology;
  let totalPower = 0;
  for (let i = 0; i < n; i++) totalPower += power[i];

  // Per region pair: Pareto scale and 1/shape (SimBlock Network.getLatency), and the transfer time of one block.
  const model = config.model;
  const r = model.regions.length;
  const paretoScale = new Float64Array(r * r);
  const paretoInvShape = new Float64Array(r * r);
  const fixedLatency = new Float64Array(r * r);
  const transferMs = new Float64Array(r * r);
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      const mean = model.latencyMs[a][b];
      const shape = 0.2 * mean;
      // A Pareto with shape ≤ 1 has no mean; SimBlock's matrix never gets there (its smallest mean is 9 ms), but a
      // custom model might: such a pair, and a zero-latency one, uses its mean as a constant.
      if (config.latencyJitter !== "none" && shape > 1 && mean > 5) {
        paretoScale[a * r + b] = mean - 5;
        paretoInvShape[a * r + b] = 1 / shape;
      } else fixedLatency[a * r + b] = mean;
      const bps = Math.min(model.uploadBps[a], model.downloadBps[b]);
      transferMs[a * r + b] = ((config.blockSizeBytes * 8) / bps) * 1000 + config.senderProcessingMs;
    }
  }
  const latency = (from: number, to: number, block: number, kind: number): number => {
    const k = region[from] * r + region[to];
    const inv = paretoInvShape[k];
    return inv === 0 ? fixedLatency[k] : paretoScale[k] / Math.pow(hashUniform(latencySeed, block, from, to, kind), inv);
  };

  // Blocks, as parallel arrays; block 0 is the genesis block, on every node's chain from the start.
  const parent: number[] = [-1];
  const height: number[] = [0];
  const minedAt: number[] = [0];
  const miner: number[] = [-1];
  const stale: boolean[] = [false];
  const reached: number[] = [n];
  const weightedArrival: number[] = [0];
  const t50: (number | null)[] = [0];
  const t90: (number | null)[] = [0];
  const t100: (number | null)[] = [0];
  const transfers: number[] = [0];
  // Per block, per node: REQUESTED | REACHED. Dropped once every node has the block (then it is REACHED everywhere).
  const state: (Uint8Array | null)[] = [null];
  const half = Math.ceil(n * 0.5);
  const ninety = Math.ceil(n * 0.9);

  // Every (block, node) arrival, pooled: the propagation-delay distribution Croman et al. and SimBlock report.
  const arrivals = new Float64Array(HISTOGRAM_BINS);
  const tip = new Int32Array(n);
  let maxHeight = 0;
  const uploadQueue: number[][] = Array.from({ length: n }, () => []);
  const sending = new Uint8Array(n);
  const queue = new EventQueue(1 << 16);
  const senderHoldsUntilDelivered = config.senderBusy === "until-delivered";

  const markReached = (node: number, block: number, now: number) => {
    for (let x = block; x >= 0; x = parent[x]) {
      const s = state[x];
      if (s === null || (s[node] & REACHED) !== 0) return;
      s[node] |= REACHED;
      const count = ++reached[x];
      const delay = now - minedAt[x];
      weightedArrival[x] += power[node] * delay;
      arrivals[Math.min(HISTOGRAM_BINS - 1, Math.floor(delay / HISTOGRAM_BIN_MS))]++;
      if (count === half) t50[x] = now - minedAt[x];
      if (count === ninety) t90[x] = now - minedAt[x];
      if (count === n) {
        t100[x] = now - minedAt[x];
        state[x] = null;
      }
    }
  };

  const push = config.relay === "push";
  const validationSorted = config.validationSamplesMs === undefined ? null : [...config.validationSamplesMs].sort((a, b) => a - b);
  const adopt = (node: number, block: number, now: number, from: number) => {
    tip[node] = block;
    markReached(node, block, now);
    const h = height[block];
    const s = state[block];
    if (push) {
      const pending = uploadQueue[node];
      for (let k = offsets[node], end = offsets[node + 1]; k < end; k++) {
        if (neighbors[k] !== from) pending.push(neighbors[k], block);
      }
      if (sending[node] === 0) startNextUpload(node, now);
      return;
    }
    for (let k = offsets[node], end = offsets[node + 1]; k < end; k++) {
      const peer = neighbors[k];
      // An inv the peer is bound to ignore is not scheduled: a tip never gets lower and a request is never withdrawn,
      // so a peer already at this height, or already fetching this block, ignores it on arrival too. Same outcome,
      // about half the events (only the random stream's order changes, not its distribution).
      if (peer === from || height[tip[peer]] >= h || (s !== null && (s[peer] & REQUESTED) !== 0)) continue;
      queue.push(now + latency(node, peer, block, INV) + config.messageOverheadMs, INV, peer, node, block);
    }
  };

  const startNextUpload = (sender: number, now: number) => {
    const pending = uploadQueue[sender];
    if (pending.length === 0) {
      sending[sender] = 0;
      return;
    }
    sending[sender] = 1;
    const to = pending.shift()!;
    const block = pending.shift()!;
    transfers[block]++;
    const sendMs = transferMs[region[sender] * r + region[to]];
    const arrival = now + sendMs + latency(sender, to, block, BLOCK);
    queue.push(arrival, BLOCK, to, sender, block);
    queue.push(senderHoldsUntilDelivered ? arrival : now + sendMs, SEND_DONE, sender, 0, 0);
  };

  let mined = 0;
  let events = 0;
  const nextWait = () => (config.blockArrivals === "periodic" ? config.blockIntervalMs : rng.exponential(config.blockIntervalMs));
  if (config.blocks > 0) queue.push(nextWait(), MINE, 0, 0, 0);

  while (queue.pop()) {
    events++;
    const now = queue.now;
    switch (queue.kind) {
      case MINE: {
        const m = drawMiner(topology, rng.next());
        const p = tip[m];
        const id = parent.length;
        parent.push(p);
        height.push(height[p] + 1);
        minedAt.push(now);
        miner.push(m);
        stale.push(height[p] < maxHeight);
        reached.push(0);
        weightedArrival.push(0);
        t50.push(null);
        t90.push(null);
        t100.push(null);
        transfers.push(0);
        state.push(new Uint8Array(n));
        if (height[id] > maxHeight) maxHeight = height[id];
        state[id]![m] |= REQUESTED;
        adopt(m, id, now, -1);
        if (++mined < config.blocks) queue.push(now + nextWait(), MINE, 0, 0, 0);
        break;
      }
      case INV: {
        const node = queue.a;
        const from = queue.b;
        const block = queue.c;
        if (height[block] <= height[tip[node]]) break;
        const s = state[block];
        if (s === null || (s[node] & REQUESTED) !== 0) break;
        s[node] |= REQUESTED;
        queue.push(now + latency(node, from, block, GETDATA) + config.messageOverheadMs, GETDATA, from, node, block);
        break;
      }
      case GETDATA: {
        const sender = queue.a;
        uploadQueue[sender].push(queue.b, queue.c);
        if (sending[sender] === 0) startNextUpload(sender, now);
        break;
      }
      case SEND_DONE:
        startNextUpload(queue.a, now);
        break;
      case BLOCK: {
        if (push) {
          // A pushed copy of a block the node already has (or is validating) is dropped on arrival.
          const s = state[queue.c];
          if (s === null || (s[queue.a] & REQUESTED) !== 0) break;
          s[queue.a] |= REQUESTED;
        }
        const validation = validationSorted === null ? config.validationMs : quantileSorted(validationSorted, hashUniform(latencySeed, queue.c, queue.a, queue.a, VALIDATED));
        if (validation > 0) queue.push(now + validation, VALIDATED, queue.a, queue.b, queue.c);
        else if (height[queue.c] > height[tip[queue.a]]) adopt(queue.a, queue.c, now, queue.b);
        break;
      }
      case VALIDATED:
        if (height[queue.c] > height[tip[queue.a]]) adopt(queue.a, queue.c, now, queue.b);
        break;
    }
  }

  // The main chain ends at the highest block; between equal heights, at the one most nodes hold, then the older.
  const holders = new Map<number, number>();
  for (let i = 0; i < n; i++) holders.set(tip[i], (holders.get(tip[i]) ?? 0) + 1);
  let best = 0;
  for (let id = 1; id < parent.length; id++) {
    const better =
      height[id] > height[best] || (height[id] === height[best] && (holders.get(id) ?? 0) > (holders.get(best) ?? 0));
    if (better) best = id;
  }
  const onMain = new Uint8Array(parent.length);
  for (let x = best; x >= 0; x = parent[x]) onMain[x] = 1;

  const blocks: BlockPropagation[] = [];
  let orphans = 0;
  let expectedSum = 0;
  let expectedCount = 0;
  for (let id = 1; id < parent.length; id++) {
    if (!onMain[id]) orphans++;
    const meanArrivalMs = reached[id] > 0 ? weightedArrival[id] / totalPower : 0;
    if (onMain[id] && reached[id] === n) {
      expectedSum += 1 - Math.exp(-meanArrivalMs / config.blockIntervalMs);
      expectedCount++;
    }
    blocks.push({
      id,
      height: height[id],
      parent: parent[id],
      miner: miner[id],
      minedAtMs: minedAt[id],
      onMainChain: onMain[id] === 1,
      minedOnStaleTip: stale[id],
      reachedNodes: reached[id],
      t50Ms: t50[id],
      t90Ms: t90[id],
      t100Ms: t100[id],
      meanArrivalMs,
      transfers: transfers[id],
    });
  }
  return {
    nodeCount: n,
    blocks,
    mainChainLength: height[best],
    orphans,
    forkRate: blocks.length === 0 ? 0 : orphans / blocks.length,
    expectedForkRate: expectedCount === 0 ? 0 : expectedSum / expectedCount,
    pooledArrivalMs: { p10: histogramQuantile(arrivals, 0.1), p50: histogramQuantile(arrivals, 0.5), p90: histogramQuantile(arrivals, 0.9) },
    events,
    simulatedMs: queue.now,
    meanPeers: offsets[n] / n,
  };
}

/** The q-quantile of a histogram of HISTOGRAM_BIN_MS bins, interpolated linearly inside the bin; 0 when empty. */
function histogramQuantile(counts: Float64Array, q: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return 0;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && seen + counts[i] >= target) return (i + (target - seen) / counts[i]) * HISTOGRAM_BIN_MS;
    seen += counts[i];
  }
  return counts.length * HISTOGRAM_BIN_MS;
}
