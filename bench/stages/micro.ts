/**
 * Stage "micro": the cost of one hash call, by algorithm, input size and implementation.
 *
 * Matrix (PLAN.md §2, Micro-Benchmarks): SHA-256, SHA3-256 and BLAKE3 over 32 B .. 64 KB inputs, for the reference
 * suite (@noble/hashes, pure JS, what browsers run), the server suite (hash-wasm) and node:crypto (OpenSSL, for
 * reference; it has no BLAKE3). Small inputs show per-call overhead (what Merkle leaves and nodes pay), large ones raw
 * throughput. Before timing, every implementation's digest of each input is checked against noble's.
 */
import { createHash } from "node:crypto";
import { HASH_ALGORITHM_NAMES, listHashAlgorithms, nobleHashSuite, type HashAlgorithmInfo, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { loadPerCallWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { createMerkleWasm } from "../../lib/crypto/wasm/merkle-wasm";
import { createPrng } from "../../lib/devnet/statement-generator";
import { bytesEqual } from "../../lib/encoding/hex";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { measureGroup, type SamplingPlan, type TimedCase } from "../harness/measure";
import { formatNumber, formatSize } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";

const SIZES = [32, 64, 128, 256, 512, 1024, 4096, 16384, 65536];
const QUICK_SIZES = [32, 1024, 65536];

/** Samples of ≥ 8 ms: hash-wasm's wrapper allocates a few hundred bytes per call, so a sample must span a few
 * young-generation collections to carry its share of them (see consensus.ts). */
const FULL_PLAN: SamplingPlan = { warmupMs: 50, minSampleMs: 8, samples: 25, minSamples: 9, maxMs: 1500 };
const QUICK_PLAN: SamplingPlan = { warmupMs: 5, minSampleMs: 0.5, samples: 7, minSamples: 5, maxMs: 100 };

/** One implementation of the three algorithms; `digest` is null for an algorithm it lacks. */
interface HashImplementation {
  name: string;
  digest(algorithm: HashAlgorithmInfo): ((data: Uint8Array) => Uint8Array) | null;
}

function fromSuite(suite: HashSuite): HashImplementation {
  return {
    name: suite.implementation,
    digest: (algorithm) => {
      const alg = suite.get(algorithm.id);
      return (data) => alg.digest(data);
    },
  };
}

const NODE_CRYPTO_NAMES: Partial<Record<(typeof HASH_ALGORITHM_NAMES)[number], string>> = { "SHA-256": "sha256", "SHA3-256": "sha3-256" };

const nodeCrypto: HashImplementation = {
  name: "node:crypto",
  digest: (algorithm) => {
    const name = NODE_CRYPTO_NAMES[algorithm.name];
    return name === undefined ? null : (data) => createHash(name).update(data).digest();
  },
};

/** Deterministic input bytes (a fixed PRNG stream), allocated once per size. */
function inputOf(size: number): Uint8Array {
  const r = createPrng(size);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(r() * 256);
  return bytes;
}

async function runMicro(context: StageContext): Promise<StageResult> {
  const plan = context.quick ? QUICK_PLAN : FULL_PLAN;
  const sizes = context.quick ? QUICK_SIZES : SIZES;
  // merkle.wasm: this repository's module hashing one message per call (its strength is whole trees per call, which
  // the consensus stage measures; here it is on hash-wasm's ground).
  const merkle = createMerkleWasm();
  const merkleModule: HashImplementation = { name: "merkle.wasm", digest: (algorithm) => (data) => merkle.digest(algorithm.id, data) };
  const implementations = [fromSuite(nobleHashSuite), fromSuite(await loadPerCallWasmHashSuite()), merkleModule, nodeCrypto];
  const measurements: Measurement[] = [];
  const metrics: Record<string, Metric> = {};
  const tables: ReportTable[] = [];

  for (const algorithm of listHashAlgorithms()) {
    const table: ReportTable = {
      id: `micro-${algorithm.name.toLowerCase()}`,
      title: `${algorithm.name}: µs per call (median, p95) and MB/s (from the median)`,
      columns: [
        { key: "input", label: "input", align: "right" },
        ...implementations.flatMap((impl) => [
          { key: `${impl.name}:median`, label: `${impl.name} µs`, align: "right" as const },
          { key: `${impl.name}:p95`, label: "p95", align: "right" as const },
          { key: `${impl.name}:mbps`, label: "MB/s", align: "right" as const },
        ]),
        { key: "fastest", label: "fastest" },
      ],
      rows: [],
    };
    for (const size of sizes) {
      context.progress(`micro: ${algorithm.name} ${formatSize(size)}`);
      const input = inputOf(size);
      const reference = nobleHashSuite.get(algorithm.id).digest(input);
      const cases: TimedCase[] = [];
      for (const impl of implementations) {
        const digest = impl.digest(algorithm);
        if (digest === null) continue;
        if (!bytesEqual(new Uint8Array(digest(input)), reference)) {
          throw new Error(`micro: ${impl.name} ${algorithm.name} disagrees with noble on a ${size}-byte input`);
        }
        cases.push({
          id: `${impl.name}/${algorithm.name}/${size}`,
          label: `${impl.name} ${algorithm.name}(${formatSize(size)})`,
          params: { implementation: impl.name, algorithm: algorithm.name, bytes: size },
          bytesPerCall: size,
          run: () => digest(input),
        });
      }
      const results = measureGroup(cases, plan);
      measurements.push(...results);
      const row: Record<string, string> = { input: formatSize(size) };
      let fastest: Measurement | null = null;
      for (const m of results) {
        const impl = String(m.params.implementation);
        const mbps = size / m.us.median; // bytes per µs = MB/s
        row[`${impl}:median`] = formatNumber(m.us.median);
        row[`${impl}:p95`] = formatNumber(m.us.p95);
        row[`${impl}:mbps`] = formatNumber(mbps);
        metrics[`${impl}.${algorithm.name}.${size}.us_per_call`] = { value: m.us.median, unit: "µs", description: `${m.label}, median per call` };
        metrics[`${impl}.${algorithm.name}.${size}.mb_per_s`] = { value: mbps, unit: "MB/s", description: `${m.label}, throughput at the median` };
        if (fastest === null || m.us.median < fastest.us.median) fastest = m;
      }
      for (const impl of implementations) {
        if (row[`${impl.name}:median`] === undefined) row[`${impl.name}:median`] = "n/a";
      }
      row.fastest = fastest === null ? "" : String(fastest.params.implementation);
      table.rows.push(row);
    }
    tables.push(table);
  }

  return {
    stage: "micro",
    title: "Hash cost per call",
    measurements,
    metrics,
    tables,
    notes: [
      `µs per call: median over ${plan.samples} samples, each a batch of calls lasting ≥ ${plan.minSampleMs} ms; p95 over the same samples.`,
      "MB/s = input bytes / median time, MB = 10^6 bytes. n/a: node:crypto (OpenSSL) has no BLAKE3.",
    ],
  };
}

export const microStage: BenchStage = {
  id: "micro",
  title: "Hash cost per call",
  description: "SHA-256, SHA3-256, BLAKE3 over 32 B..64 KB: noble vs hash-wasm vs node:crypto, median/p95 µs and MB/s",
  runsByDefault: true,
  run: runMicro,
};
