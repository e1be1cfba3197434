/**
 * Stage "network": the real half of the plan's network benchmarks (issue 9 §1, PLAN.md §2 "Network Benchmarks").
 *
 * A local testnet (bench/harness/testnet.ts) of N real nodes (default 5: the built web server and the worker, each on
 * its own database), peers 2-3 each, relaying blocks over HTTP through shaped links: network namespaces with tbf for
 * bandwidth and delay proxies for latency where this process may create them, loopback with both in the proxies
 * otherwise. Node 1 produces (devnet), the others receive by relay. Two chains of the same statements (the devnet's
 * generator is deterministic in the block number), one after the other on fresh databases:
 *   legacy: the registry keeps v1-legacy for good;  dual: v2-dual-required (SHA3-256) from block 1.
 * Measured per block, from the arrival time each node's database recorded (blocks.received_at, one machine, one
 * clock), from the producer's store: time to 90 % of nodes and to all of them (consensus: every node's tip is the
 * block), relay bytes and blocks sent (the nodes' /metrics counters, and the proxies' own byte counts, headers
 * included), orphans (blocks some node holds off the producer's chain). p50/p90/p95 over blocks; the plan's criterion,
 * PQ propagation ≤ 2.0× legacy, is judged on time to 90 %.
 *
 * Then the simulator (lib/netsim) configured as this testnet: the same nodes and links, each link's shaped latency
 * (constant) and bandwidth, the measured wire bytes per transfer, and the per-hop processing measured on the testnet
 * (each receiving node's arrival minus the earliest delivery its peers could make); its time to 90 % must be
 * within 25 % of the testnet's, for both chains. The simulator's PQ against legacy at p50/p90/p95 is reported beside
 * the testnet's.
 *
 * `--quick`: two nodes on loopback and a few blocks; shape only (npm test). `--nodes N` and `--blocks N` size a run.
 */
import pg from "pg";
import type { Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { quantile } from "../../lib/bench/statistics";
import { simulate } from "../../lib/netsim/simulate";
import { summarizeRun } from "../../lib/netsim/summary";
import { hopDistances, perHopProcessingSamples, propagationTimes, testnetSimulationInputs, type BlockPropagationTimes, type TestnetGraph } from "../../lib/netsim/testnet-model";
import { buildWebApp, webBuildIsStale } from "../../scripts/web/web-build";
import { formatBytes, formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { nodePools, startTestnet, type LinkMode, type RunningTestnet } from "../harness/testnet";
import { NETWORK_COLUMNS, NETWORK_CSV_NAME, type NetworkBenchmarkResult } from "./network-sim";

interface Shape {
  nodes: number;
  /** Blocks measured per chain, after the warm-up blocks. */
  blocks: number;
  warmupBlocks: number;
  intervalSeconds: number;
  latency: { minMs: number; maxMs: number };
  uploadBps: number;
  downloadBps: number;
  mode: "auto" | LinkMode;
  /**
   * The chains, in order; each is a fresh testnet measuring `blocks` / (its side's runs) blocks. Legacy, dual, dual,
   * legacy (ABBA) so that whatever drifts during the run (the machine's load, warm caches) weighs on both sides alike.
   */
  order: readonly ("legacy" | "dual")[];
}

const FULL: Shape = { nodes: 5, blocks: 40, warmupBlocks: 3, intervalSeconds: 1, latency: { minMs: 10, maxMs: 40 }, uploadBps: 2_000_000, downloadBps: 8_000_000, mode: "auto", order: ["legacy", "dual", "dual", "legacy"] };
const QUICK: Shape = { nodes: 2, blocks: 3, warmupBlocks: 1, intervalSeconds: 0.5, latency: { minMs: 5, maxMs: 10 }, uploadBps: 2_000_000, downloadBps: 8_000_000, mode: "loopback", order: ["legacy", "dual"] };

const GRAPH_SEED = 20_261_203;
/** The legacy chain's dual epoch is scheduled past any block this stage produces (the largest block number stored). */
const NEVER = 2_147_483_647;
const PERCENTILES = [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100] as const;

interface Phase {
  side: "legacy" | "dual";
  mode: LinkMode;
  fallbackReason: string | null;
  graph: TestnetGraph;
  times: BlockPropagationTimes[];
  /** Measured blocks some node never stored. */
  unpropagated: number;
  /** Blocks stored by some node that are not on the producer's final chain, over all distinct blocks stored. */
  orphans: number;
  distinctBlocks: number;
  tipsAgree: boolean;
  /** Blocks of the measured range whose kind (legacy / dual) was not the chain's: a misconfigured registry. */
  wrongKind: number;
  relayBlocksSent: number | null;
  relayBytesSent: number | null;
  /** Bytes the link proxies forwarded, requests and responses (HTTP headers included). */
  wireForward: number;
  wireBackward: number;
  runMs: number;
  /** Blocks produced (warm-up and block 0 included): what the relay counters cover. */
  producedBlocks: number;
}

/** Two runs of the same side as one: their blocks pooled, their counters added. */
function mergePhases(a: Phase, b: Phase): Phase {
  const add = (x: number | null, y: number | null) => (x === null || y === null ? null : x + y);
  return {
    ...a,
    times: [...a.times, ...b.times],
    unpropagated: a.unpropagated + b.unpropagated,
    orphans: a.orphans + b.orphans,
    distinctBlocks: a.distinctBlocks + b.distinctBlocks,
    tipsAgree: a.tipsAgree && b.tipsAgree,
    wrongKind: a.wrongKind + b.wrongKind,
    relayBlocksSent: add(a.relayBlocksSent, b.relayBlocksSent),
    relayBytesSent: add(a.relayBytesSent, b.relayBytesSent),
    wireForward: a.wireForward + b.wireForward,
    wireBackward: a.wireBackward + b.wireBackward,
    runMs: a.runMs + b.runMs,
    producedBlocks: a.producedBlocks + b.producedBlocks,
  };
}

/** value / baseline, NaN when either is missing (a chain that produced no figure): reported, and judged FAIL. */
function ratio(value: number, baseline: number): number {
  return Number.isFinite(value) && Number.isFinite(baseline) && baseline > 0 ? value / baseline : Number.NaN;
}

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sum of a Prometheus counter over its label sets, or null when the family is absent. */
export function sumCounter(text: string, name: string): number | null {
  let sum: number | null = null;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== "{" && rest[0] !== " ") continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

async function canonicalTip(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ tip: number | null }>("SELECT max(block_number) AS tip FROM blocks WHERE canonical");
  return rows[0]?.tip ?? -1;
}

interface StoredBlock {
  content_id: string;
  block_number: number;
  canonical: boolean;
  dual: boolean;
  at_ms: number;
}

async function storedBlocks(pool: pg.Pool): Promise<StoredBlock[]> {
  const { rows } = await pool.query<StoredBlock>(
    `SELECT content_id, block_number, canonical, pq_hash IS NOT NULL AS dual, extract(epoch FROM received_at)::float8 * 1000 AS at_ms FROM blocks`,
  );
  return rows;
}

async function runPhase(side: "legacy" | "dual", shape: Shape, blocks: number, context: StageContext): Promise<Phase> {
  const log = (m: string) => context.progress(`network (${side}): ${m}`);
  const t0 = performance.now();
  const testnet: RunningTestnet = await startTestnet({
    nodes: shape.nodes,
    seed: GRAPH_SEED,
    latency: shape.latency,
    uploadBps: shape.uploadBps,
    downloadBps: shape.downloadBps,
    intervalSeconds: shape.intervalSeconds,
    dualActivationBlock: side === "legacy" ? NEVER : 1,
    mode: shape.mode,
    label: side,
    log,
  });
  const pools = nodePools(testnet);
  try {
    const last = shape.warmupBlocks + blocks;
    log(`producing ${last} blocks (${shape.warmupBlocks} warm-up) every ${shape.intervalSeconds} s`);
    await testnet.startProducing();
    const deadline = Date.now() + (last * shape.intervalSeconds * 4 + 60) * 1000;
    while ((await canonicalTip(pools[0])) < last) {
      if (Date.now() > deadline) throw new Error(`the producer did not reach block ${last} in time:\n${testnet.logTail(0)}`);
      await sleep(250);
    }
    await testnet.stopProducing();
    const finalTip = await canonicalTip(pools[0]);
    // Let the last blocks reach everyone (or give up after a while: unpropagated blocks are reported, not hidden).
    const drainUntil = Date.now() + 15_000;
    while (Date.now() < drainUntil) {
      const tips = await Promise.all(pools.map(canonicalTip));
      if (tips.every((t) => t >= finalTip)) break;
      await sleep(250);
    }

    const metricsText = await Promise.all(
      testnet.nodes.map(async (n) => {
        try {
          const res = await fetch(`${n.baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
          return res.ok ? await res.text() : "";
        } catch {
          return "";
        }
      }),
    );
    const counter = (name: string) => {
      const values = metricsText.map((t) => sumCounter(t, name));
      return values.every((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
    };
    const wire = testnet.linkBytes();

    const perNode = await Promise.all(pools.map(storedBlocks));
    const producerChain = new Map(perNode[0].filter((b) => b.canonical).map((b) => [b.content_id, b]));
    const arrivals = new Map<string, (number | null)[]>();
    for (const [i, blocks] of perNode.entries()) {
      for (const b of blocks) {
        if (!producerChain.has(b.content_id)) continue;
        const row = arrivals.get(b.content_id) ?? new Array<number | null>(shape.nodes).fill(null);
        row[i] = b.at_ms;
        arrivals.set(b.content_id, row);
      }
    }
    const measured = [...producerChain.values()].filter((b) => b.block_number > shape.warmupBlocks && b.block_number <= last).sort((a, b) => a.block_number - b.block_number);
    const times = measured.map((b) => propagationTimes({ id: b.content_id, blockNumber: b.block_number, origin: 0, arrivalsMs: arrivals.get(b.content_id)! }));
    const distinct = new Set(perNode.flat().map((b) => b.content_id));
    const tips = await Promise.all(pools.map(canonicalTip));
    return {
      side,
      mode: testnet.mode,
      fallbackReason: testnet.fallbackReason,
      graph: testnet.graph,
      times,
      unpropagated: times.filter((t) => t.t100Ms === null).length,
      orphans: [...distinct].filter((id) => !producerChain.has(id)).length,
      distinctBlocks: distinct.size,
      tipsAgree: tips.every((t) => t === tips[0]),
      wrongKind: measured.filter((b) => b.dual !== (side === "dual")).length,
      relayBlocksSent: counter("mathledger_relay_blocks_sent_total"),
      relayBytesSent: counter("mathledger_relay_bytes_sent_total"),
      wireForward: wire.reduce((a, l) => a + l.forward, 0),
      wireBackward: wire.reduce((a, l) => a + l.backward, 0),
      runMs: performance.now() - t0,
      producedBlocks: finalTip + 1,
    };
  } finally {
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    log("stopping the testnet (processes, proxies, databases, namespaces)");
    await testnet.stop();
  }
}

interface Dist {
  p50: number;
  p90: number;
  p95: number;
}

function dist(values: number[]): Dist {
  if (values.length === 0) return { p50: Number.NaN, p90: Number.NaN, p95: Number.NaN };
  return { p50: quantile(values, 0.5), p90: quantile(values, 0.9), p95: quantile(values, 0.95) };
}

const ms = (v: number) => (Number.isFinite(v) ? `${formatNumber(v)} ms` : "–");

interface Derived {
  t90: Dist;
  t100: Dist;
  t90Values: number[];
  /** Relay POSTs per block and wire bytes per POST. */
  transfersPerBlock: number;
  wireBytesPerTransfer: number;
  relayBytesPerBlock: number;
  processingMs: number;
  sim: { t90: Dist; t100: Dist; transfersPerBlock: number };
  simErrorPct: number;
}

function derive(phase: Phase, shape: Shape): Derived {
  const producedBlocks = phase.producedBlocks;
  const t90Values = phase.times.flatMap((t) => (t.t90Ms === null ? [] : [t.t90Ms]));
  const t100Values = phase.times.flatMap((t) => (t.t100Ms === null ? [] : [t.t100Ms]));
  // Every produced block (warm-up included) was relayed; the counters cover them all.
  const transfers = phase.relayBlocksSent ?? Number.NaN;
  const transfersPerBlock = transfers / producedBlocks;
  const wireBytesPerTransfer = phase.wireForward / transfers;
  const rateBps = Math.min(shape.uploadBps, shape.downloadBps);
  const processingSamples = Number.isFinite(wireBytesPerTransfer) ? perHopProcessingSamples(phase.times, phase.graph, 0, { bytesPerTransfer: wireBytesPerTransfer, rateBps }) : [];
  const processingMs = processingSamples.length === 0 ? Number.NaN : quantile(processingSamples, 0.5);
  const { model, topology } = testnetSimulationInputs(phase.graph, { uploadBps: shape.uploadBps, downloadBps: shape.downloadBps });
  const t90 = dist(t90Values);
  let sim: Derived["sim"] = { t90: dist([]), t100: dist([]), transfersPerBlock: Number.NaN };
  if (processingSamples.length > 0 && wireBytesPerTransfer > 0) {
    const run = simulate(
      {
        nodeCount: phase.graph.nodeCount,
        model,
        blockSizeBytes: wireBytesPerTransfer,
        blockIntervalMs: shape.intervalSeconds * 1000,
        blockArrivals: "periodic",
        // More simulated blocks than measured ones: the draws of per-hop time then cover the measured distribution.
        blocks: Math.max(200, phase.times.length),
        seed: GRAPH_SEED,
        validationMs: processingMs,
        // Each hop draws from the per-hop times measured on every receiving node, not their median: the time to the last
        // node is a maximum over paths, and the spread of per-hop times on 2 shared cores makes it longer than the
        // median path.
        validationSamplesMs: processingSamples,
        senderProcessingMs: 0,
        messageOverheadMs: 0,
        miningPower: { mean: 1, stdev: 0 },
        relay: "push",
        latencyJitter: "none",
        senderBusy: "transmission",
      },
      topology,
    );
    const summary = summarizeRun(run);
    sim = { t90: { p50: summary.t90.p50, p90: summary.t90.p90, p95: summary.t90.p95 }, t100: { p50: summary.t100.p50, p90: summary.t100.p90, p95: summary.t100.p95 }, transfersPerBlock: summary.meanTransfers };
  }
  return {
    t90,
    t100: dist(t100Values),
    t90Values,
    transfersPerBlock,
    wireBytesPerTransfer,
    relayBytesPerBlock: (phase.relayBytesSent ?? Number.NaN) / producedBlocks,
    processingMs,
    sim,
    simErrorPct: (Math.abs(sim.t90.p50 - t90.p50) / t90.p50) * 100,
  };
}

function phaseMetrics(phase: Phase, d: Derived): Record<string, Metric> {
  const s = phase.side;
  const out: Record<string, Metric> = {
    [`testnet.${s}.blocks`]: metric(phase.times.length, "blocks", `${s} chain: blocks measured (after the warm-up)`),
    [`testnet.${s}.unpropagated_blocks`]: metric(phase.unpropagated, "blocks", `${s} chain: measured blocks some node never stored`),
    [`testnet.${s}.orphan_rate_pct`]: metric(phase.distinctBlocks === 0 ? 0 : (phase.orphans / phase.distinctBlocks) * 100, "%", `${s} chain: blocks stored anywhere that are off the producer's final chain, over all distinct blocks stored`),
    [`testnet.${s}.tips_agree`]: metric(phase.tipsAgree ? 1 : 0, "bool", `${s} chain: 1 when every node's canonical tip is the same block at the end`),
    [`testnet.${s}.wrong_kind_blocks`]: metric(phase.wrongKind, "blocks", `${s} chain: measured blocks not of the chain's kind (legacy without a PQ hash, dual with one)`),
    [`testnet.${s}.relay_transfers_per_block`]: metric(d.transfersPerBlock, "POSTs", `${s} chain: relay POSTs per block, all nodes (mathledger_relay_blocks_sent_total)`),
    [`testnet.${s}.relay_bytes_per_block`]: metric(d.relayBytesPerBlock, "bytes", `${s} chain: relay bytes sent per block, all nodes (mathledger_relay_bytes_sent_total)`),
    [`testnet.${s}.wire_bytes_per_transfer`]: metric(d.wireBytesPerTransfer, "bytes", `${s} chain: bytes one relay POST puts on a link, HTTP headers included (the link proxies' count)`),
    [`testnet.${s}.per_hop_processing_ms`]: metric(d.processingMs, "ms", `${s} chain: per-hop time off the wire (every receiving node, median); the simulator draws from all of them`),
    [`sim.${s}.error_pct`]: metric(d.simErrorPct, "%", `${s} chain: |simulated − measured| time to 90 % of nodes, p50, over measured`),
  };
  for (const q of ["p50", "p90", "p95"] as const) {
    out[`testnet.${s}.t90_${q}_ms`] = metric(d.t90[q], "ms", `${s} blocks on the testnet: time to 90% of nodes, ${q} over blocks`);
    out[`testnet.${s}.consensus_${q}_ms`] = metric(d.t100[q], "ms", `${s} blocks on the testnet: time until every node's tip is the block, ${q} over blocks`);
    out[`sim.${s}.t90_${q}_ms`] = metric(d.sim.t90[q], "ms", `${s} blocks, simulator configured as the testnet: time to 90% of nodes, ${q}`);
  }
  // The Benchmarks page's propagation CDF: share of blocks (y) that had reached 90 % of nodes by x ms.
  for (const p of PERCENTILES) {
    out[`testnet.cdf.${s}.p${p}_ms`] = metric(d.t90Values.length === 0 ? Number.NaN : quantile(d.t90Values, p / 100), "ms", `${s} blocks: ${p}th percentile of the time to 90% of nodes`);
  }
  return out;
}

function networkRows(phases: { phase: Phase; d: Derived }[], shape: Shape): NetworkBenchmarkResult[] {
  return phases.map(({ phase, d }) => ({
    scenario_name: `testnet_${phase.mode}_${phase.side}`,
    node_count: phase.graph.nodeCount,
    block_size_bytes: Math.round(d.wireBytesPerTransfer),
    propagation_time_ms: d.t90.p50,
    consensus_latency_ms: d.t100.p50,
    // What the relay puts on all links per second at this block interval.
    bandwidth_usage_mbps: (d.transfersPerBlock * d.wireBytesPerTransfer * 8) / shape.intervalSeconds / 1e6,
    orphan_rate: phase.distinctBlocks === 0 ? 0 : phase.orphans / phase.distinctBlocks,
  }));
}

async function runNetwork(context: StageContext): Promise<StageResult> {
  const base = context.quick ? QUICK : FULL;
  const shape: Shape = { ...base, nodes: context.nodes ?? base.nodes, blocks: context.blocks ?? base.blocks };
  if (shape.nodes < 2) throw new RangeError(`--nodes ${shape.nodes}: a testnet needs at least 2 nodes`);
  if (webBuildIsStale()) {
    context.progress("network: building the web app (next build), the nodes run the production server");
    await buildWebApp(process.env, "stderr");
  }

  const done: Phase[] = [];
  for (const side of shape.order) {
    const runs = shape.order.filter((x) => x === side).length;
    done.push(await runPhase(side, shape, Math.max(1, Math.ceil(shape.blocks / runs)), context));
  }
  const legacy = done.filter((p) => p.side === "legacy").reduce(mergePhases);
  const dual = done.filter((p) => p.side === "dual").reduce(mergePhases);
  const dl = derive(legacy, shape);
  const dd = derive(dual, shape);

  const metrics: Record<string, Metric> = {
    "testnet.nodes": metric(shape.nodes, "nodes", "nodes in the testnet (node 1 produces, the others receive by relay)"),
    "testnet.links": metric(legacy.graph.links.length, "links", "peer links (each carried both ways)"),
    "testnet.namespaces": metric(legacy.mode === "namespaces" ? 1 : 0, "bool", "1: network namespaces, veth and tc tbf; 0: loopback, latency and bandwidth in the proxies"),
    "testnet.interval_ms": metric(shape.intervalSeconds * 1000, "ms", "the producer's block interval"),
    ...phaseMetrics(legacy, dl),
    ...phaseMetrics(dual, dd),
    "testnet.unpropagated_blocks": metric(legacy.unpropagated + dual.unpropagated, "blocks", "measured blocks (both chains) that some node never stored"),
    "sim.t90_error_pct": metric(Math.max(dl.simErrorPct, dd.simErrorPct), "%", "simulator configured as the testnet against the testnet: the larger |error| of time to 90% of nodes (p50) over the two chains"),
  };
  for (const q of ["p50", "p90", "p95"] as const) {
    metrics[`testnet.t90_${q}_ratio`] = metric(ratio(dd.t90[q], dl.t90[q]), "×", `testnet: dual over legacy, time to 90% of nodes, ${q} over blocks`);
    metrics[`sim.t90_${q}_ratio`] = metric(ratio(dd.sim.t90[q], dl.sim.t90[q]), "×", `simulator configured as the testnet: dual over legacy, time to 90% of nodes, ${q}`);
  }

  const hops = Math.max(...hopDistances(legacy.graph, 0));
  const modeLine =
    legacy.mode === "namespaces"
      ? `Links: each node in its own network namespace; tc tbf on each veth (upload ${formatNumber(shape.uploadBps / 1e6)} Mbit/s node side, download ${formatNumber(shape.downloadBps / 1e6)} Mbit/s bridge side); latency from a delay proxy per link direction.`
      : `Links: loopback (${legacy.fallbackReason}); each link direction's proxy adds its latency and caps it at ${formatNumber(Math.min(shape.uploadBps, shape.downloadBps) / 1e6)} Mbit/s (a token bucket).`;
  const graphLine = `Peers: ${legacy.graph.links.map((l) => `${l.a + 1}–${l.b + 1} ${l.latencyMs} ms`).join(", ")} (one-way latency); the producer is node 1, the farthest node ${hops} hop(s) away.`;
  const planRows = networkRows(
    [
      { phase: legacy, d: dl },
      { phase: dual, d: dd },
    ],
    shape,
  );
  const tables: ReportTable[] = [
    {
      id: "network-testnet",
      title: `Local testnet: ${shape.nodes} nodes, ${legacy.times.length} legacy and ${dual.times.length} dual blocks (same statements) every ${shape.intervalSeconds} s`,
      columns: [
        { key: "figure", label: "figure" },
        { key: "legacy", label: "legacy (v1)", align: "right" },
        { key: "dual", label: "PQ (v2 dual)", align: "right" },
        { key: "ratio", label: "PQ / legacy", align: "right" },
      ],
      rows: [
        ...(["p50", "p90", "p95"] as const).map((q) => ({ figure: `time to 90% of nodes, ${q}`, legacy: ms(dl.t90[q]), dual: ms(dd.t90[q]), ratio: formatNumber(ratio(dd.t90[q], dl.t90[q])) })),
        ...(["p50", "p90", "p95"] as const).map((q) => ({ figure: `consensus (every node's tip), ${q}`, legacy: ms(dl.t100[q]), dual: ms(dd.t100[q]), ratio: formatNumber(ratio(dd.t100[q], dl.t100[q])) })),
        { figure: "relay bytes sent per block (all nodes)", legacy: formatBytes(Math.round(dl.relayBytesPerBlock)), dual: formatBytes(Math.round(dd.relayBytesPerBlock)), ratio: formatNumber(ratio(dd.relayBytesPerBlock, dl.relayBytesPerBlock)) },
        { figure: "relay POSTs per block", legacy: formatNumber(dl.transfersPerBlock), dual: formatNumber(dd.transfersPerBlock), ratio: "" },
        { figure: "wire bytes per POST (headers included)", legacy: formatBytes(Math.round(dl.wireBytesPerTransfer)), dual: formatBytes(Math.round(dd.wireBytesPerTransfer)), ratio: formatNumber(ratio(dd.wireBytesPerTransfer, dl.wireBytesPerTransfer)) },
        { figure: "per-hop time off the wire (median)", legacy: ms(dl.processingMs), dual: ms(dd.processingMs), ratio: formatNumber(ratio(dd.processingMs, dl.processingMs)) },
        { figure: "orphans / blocks stored", legacy: `${legacy.orphans} / ${legacy.distinctBlocks}`, dual: `${dual.orphans} / ${dual.distinctBlocks}`, ratio: "" },
        { figure: "blocks some node never stored", legacy: String(legacy.unpropagated), dual: String(dual.unpropagated), ratio: "" },
        { figure: "all tips agree at the end", legacy: legacy.tipsAgree ? "yes" : "NO", dual: dual.tipsAgree ? "yes" : "NO", ratio: "" },
        { figure: "chain run (start to clean-up)", legacy: `${formatNumber(legacy.runMs / 1000)} s`, dual: `${formatNumber(dual.runMs / 1000)} s`, ratio: "" },
      ],
      notes: [
        modeLine,
        graphLine,
        `Times run from the producer's store to each node's (blocks.received_at, the same clock for every node). 90% of ${shape.nodes} nodes is ${Math.ceil(shape.nodes * 0.9)} (⌈0.9·n⌉), as the simulator counts it. Chains run in the order ${shape.order.join(", ")}, each on a fresh testnet; a side's runs are pooled.`,
        "The nodes share this machine's 2 cores: per-hop time is mostly CPU (HTTP, JSON, validation, a PostgreSQL transaction, the relay's wake-up), not the wire.",
      ],
    },
    {
      id: "network-testnet-simulation",
      title: "The simulator (lib/netsim) configured as this testnet, against the testnet",
      columns: [
        { key: "chain", label: "chain" },
        { key: "bytes", label: "bytes / POST", align: "right" },
        { key: "processing", label: "per-hop processing", align: "right" },
        { key: "measured", label: "testnet t90 p50", align: "right" },
        { key: "simulated", label: "simulated t90 p50 / p90 / p95", align: "right" },
        { key: "error", label: "error (p50)", align: "right" },
        { key: "transfers", label: "POSTs / block, testnet / sim", align: "right" },
      ],
      rows: [
        { phase: legacy, d: dl },
        { phase: dual, d: dd },
      ].map(({ phase, d }) => ({
        chain: phase.side,
        bytes: formatBytes(Math.round(d.wireBytesPerTransfer)),
        processing: ms(d.processingMs),
        measured: ms(d.t90.p50),
        simulated: `${ms(d.sim.t90.p50)} / ${ms(d.sim.t90.p90)} / ${ms(d.sim.t90.p95)}`,
        error: `${formatNumber(d.simErrorPct)}%`,
        transfers: `${formatNumber(d.transfersPerBlock)} / ${formatNumber(d.sim.transfersPerBlock)}`,
      })),
      notes: [
        "Simulator inputs: the testnet's peer graph, each link's latency as a constant, min(upload, download) as the rate, the measured wire bytes per POST as the block size, push relay (each node sends to every peer but the sender), and per-hop processing drawn from the per-hop times measured on the testnet (each receiving node's arrival minus the earliest delivery its peers could make; 200 simulated blocks). Target: within 25% of the measured time to 90% of nodes.",
        `PQ over legacy in the simulator (same graph, same seed, so the same draws), p50 / p90 / p95: ${(["p50", "p90", "p95"] as const).map((q) => formatNumber(ratio(dd.sim.t90[q], dl.sim.t90[q]))).join(" / ")}.`,
      ],
    },
    {
      id: "week4_network_results",
      title: `Network (${NETWORK_CSV_NAME}): the plan's NetworkBenchmarkResult fields, measured on the local testnet`,
      columns: NETWORK_COLUMNS.map((key) => ({ key, label: key, align: key === "scenario_name" ? ("left" as const) : ("right" as const) })),
      rows: planRows.map((r) => ({
        scenario_name: r.scenario_name,
        node_count: String(r.node_count),
        block_size_bytes: String(r.block_size_bytes),
        propagation_time_ms: formatNumber(r.propagation_time_ms),
        consensus_latency_ms: formatNumber(r.consensus_latency_ms),
        bandwidth_usage_mbps: formatNumber(r.bandwidth_usage_mbps),
        orphan_rate: formatNumber(r.orphan_rate),
      })),
      notes: ["propagation = median time to 90% of nodes; consensus latency = median time until every node's tip is the block; bandwidth = relay POSTs × wire bytes per block over the block interval, all links; orphan rate = blocks off the producer's chain / blocks stored (a fraction)."],
    },
  ];
  const notes = [modeLine];
  if (context.quick) notes.push("--quick: two nodes on loopback and a few blocks; the figures show the shape of the result only.");
  // The week 4 CSV (npm run bench -- --week 4) takes these at full precision.
  return { stage: "network", title: networkStage.title, measurements: [], metrics, tables, notes, plan_rows: { week4_network_results: planRows.map((r) => ({ ...r })) } };
}

export const networkStage: BenchStage = {
  id: "network",
  title: "Network: a local testnet of real nodes, legacy against PQ propagation, and the simulator against it",
  description: "N real nodes (web server + worker, own databases) relaying over shaped links (namespaces + tbf + delay proxies, or loopback); time to 90%, consensus, bytes, orphans; simulator within 25% (--nodes N, --blocks N)",
  runsByDefault: false,
  run: runNetwork,
};
