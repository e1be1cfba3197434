/**
 * `radar`: what the drift radar adds to ingest (issue 7: at most 15%). Each round ingests the same chain into two
 * fresh databases, in the same batches: once without the radar (no block observations), once with it, followed by
 * the radar's monitors catching up on every block (RadarRunner ticks until the cursor reaches the end). The
 * overhead is (ingest with observations + monitors) / (ingest without) - 1, medians over rounds, alternating order.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { median } from "../../lib/bench/statistics";
import type { Metric, StageResult } from "../../lib/bench/bench-result";
import { ingestBlocks } from "../../server/ingest/ingest-blocks";
import { RadarRunner } from "../../server/drift/radar-runner";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";
import { freshBenchDatabase, writeChainFile } from "./ingest-fixture";

const metric = (value: number, unit: string, description: string): Metric => ({ value, unit, description });

interface Round {
  round: number;
  withoutSeconds: number;
  ingestSeconds: number;
  monitorSeconds: number;
}

async function run(context: StageContext): Promise<StageResult> {
  const blocks = context.quick ? 1000 : 4000;
  const statements = 100;
  const batch = 500;
  const rounds = context.quick ? 2 : 4;
  const suite = await loadWasmHashSuite();
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-bench-radar-"));
  const results: Round[] = [];
  try {
    context.progress(`radar: sealing ${blocks} blocks × ${statements} statements`);
    const chain = writeChainFile(dir, { blocks, statementsPerBlock: () => statements, suite, keepRows: false });
    const raws = readFileSync(chain.path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
    const ingestAll = async (pool: import("pg").Pool, observe: boolean) => {
      const t0 = performance.now();
      for (let i = 0; i < raws.length; i += batch) await ingestBlocks(pool, raws.slice(i, i + batch), { source: "import", suite, observe });
      return (performance.now() - t0) / 1000;
    };
    for (let round = 1; round <= rounds; round++) {
      const figures: Partial<Round> = { round };
      const order = round % 2 === 1 ? [false, true] : [true, false];
      for (const observe of order) {
        const fresh = await freshBenchDatabase();
        try {
          if (!observe) {
            figures.withoutSeconds = await ingestAll(fresh.pool, false);
          } else {
            figures.ingestSeconds = await ingestAll(fresh.pool, true);
            const runner = new RadarRunner(fresh.pool, { holder: "bench" });
            const t0 = performance.now();
            let seen = 0;
            while (seen < blocks) seen += (await runner.tick()).observations;
            figures.monitorSeconds = (performance.now() - t0) / 1000;
            await runner.stop();
          }
        } finally {
          await fresh.close();
        }
      }
      results.push(figures as Round);
      context.progress(`radar: round ${round}/${rounds} done`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const perBlockMs = (s: number) => (s * 1000) / blocks;
  const without = median(results.map((r) => perBlockMs(r.withoutSeconds)));
  const ingest = median(results.map((r) => perBlockMs(r.ingestSeconds)));
  const monitors = median(results.map((r) => perBlockMs(r.monitorSeconds)));
  const overhead = median(results.map((r) => ((r.ingestSeconds + r.monitorSeconds) / r.withoutSeconds - 1) * 100));
  return {
    stage: "radar",
    title: "Drift radar: cost added to ingest",
    measurements: [],
    metrics: {
      "radar.ingest_overhead_pct": metric(overhead, "%", "(ingest with observations + monitors catching up) over ingest without, per round, median"),
      "radar.ingest_ms_per_block": metric(ingest, "ms", "ingest with the radar's observation rows, per block, median"),
      "radar.ingest_without_ms_per_block": metric(without, "ms", "ingest without observation rows, per block, median"),
      "radar.monitors_ms_per_block": metric(monitors, "ms", "the seven monitors over the stored observations (RadarRunner ticks), per block, median"),
    },
    tables: [
      {
        id: "radar-rounds",
        title: `Radar overhead: ${blocks} blocks × ${statements} statements, batches of ${batch}, each side into a fresh database`,
        columns: [
          { key: "round", label: "round", align: "right" },
          { key: "without", label: "ingest without s", align: "right" },
          { key: "with", label: "ingest with s", align: "right" },
          { key: "monitors", label: "monitors s", align: "right" },
          { key: "overhead", label: "overhead", align: "right" },
        ],
        rows: results.map((r) => ({
          round: String(r.round),
          without: formatNumber(r.withoutSeconds),
          with: formatNumber(r.ingestSeconds),
          monitors: formatNumber(r.monitorSeconds),
          overhead: `${formatNumber(((r.ingestSeconds + r.monitorSeconds) / r.withoutSeconds - 1) * 100)}%`,
        })),
        notes: ["The monitors run in the radar's own process (the worker or `mathledger-cli radar`), not inside ingest; both costs are counted here."],
      },
    ],
    notes: [],
  };
}

export const radarStage: BenchStage = {
  id: "radar",
  title: "Drift radar overhead",
  description: "what the drift radar (observation rows + the seven monitors) adds to per-block ingest (PostgreSQL)",
  runsByDefault: false,
  run,
};
