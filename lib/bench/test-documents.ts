/** Small, complete result documents for tests (the shape bench/run.ts writes); not used by the product. */
import { BENCH_RESULT_SCHEMA, type BenchResultDocument } from "./bench-result";

/** A small but complete document (the shape bench/run.ts writes). */
export function sampleDocument(overrides: Partial<BenchResultDocument> = {}): BenchResultDocument {
  return {
    schema: BENCH_RESULT_SCHEMA,
    stage: "micro",
    title: "Hash micro-benchmarks",
    measurements: [],
    metrics: {
      "hash-wasm.sha256.64.mb_per_s": { value: 70, unit: "MB/s", description: "sha256 64 B" },
      "hash-wasm.sha256.1024.mb_per_s": { value: 230, unit: "MB/s", description: "sha256 1 KB" },
      "noble.sha3-256.64.mb_per_s": { value: 8, unit: "MB/s", description: "sha3 64 B" },
    },
    tables: [],
    notes: [],
    quick: true,
    started_at: "2026-12-03T10:00:00.000Z",
    finished_at: "2026-12-03T10:00:05.000Z",
    duration_ms: 5000,
    argv: ["--quick"],
    environment: {
      node: "20.20.2",
      v8: "11",
      platform: "linux",
      arch: "x64",
      cpu_model: "test cpu",
      cpu_count: 2,
      total_memory_mb: 24000,
      load_average_start: 1.5,
      load_average_end: 2,
      git_commit: "0123456789abcdef",
      packages: {},
    },
    acceptance: [
      {
        id: "crit_a",
        plan_criterion: "block_validation_latency",
        description: "a",
        metric: "x",
        unit: "ms",
        comparison: "at-most",
        value: 2,
        target: 3,
        status: "PASS",
        plan_bar: 100,
        plan_status: "PASS",
        source: "test",
      },
      {
        id: "crit_b",
        plan_criterion: null,
        description: "b",
        metric: "y",
        unit: "blocks/s",
        comparison: "at-least",
        value: 10,
        target: 20,
        status: "FAIL",
        plan_bar: null,
        plan_status: null,
        source: "test",
      },
    ],
    ...overrides,
  };
}
