/**
 * Memory side of validation: bytes allocated per call by validateBlock and its parts, and the share of wall time
 * that garbage-collection pauses take while validating back to back (bench/harness/memory-probe.ts).
 *
 * Same scenario and variants as validation-breakdown.ts, so an allocation figure explains a time in the table above.
 */
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { encodeStatements } from "../../lib/consensus/block";
import { validateBlock } from "../../lib/consensus/validate-block";
import type { Metric } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { allocationPerCall, gcShare } from "../harness/memory-probe";
import { formatNumber } from "../harness/number-format";
import type { ConsensusScenario } from "./consensus-scenario";
import { encodeStatementsIntoOneBuffer } from "./single-buffer-suite";

export interface ValidationMemory {
  metrics: Record<string, Metric>;
  tables: ReportTable[];
  notes: string[];
}

export function measureValidationMemory(scenario: ConsensusScenario, variantSuite: HashSuite, gcWindowMs: number): ValidationMemory {
  const { suite, dualBlock, dualPrev, dualEpochs, statements } = scenario;
  const n = statements.length;
  const validateStock = () => validateBlock(dualBlock, { epochs: dualEpochs, prev: dualPrev, suite });
  const validateVariant = () => validateBlock(dualBlock, { epochs: dualEpochs, prev: dualPrev, suite: variantSuite });
  const subjects = [
    ["validate_v2", "validateBlock(v2 block, prev), stock", validateStock],
    ["validate_v2_single_buffer", "validateBlock with the single-buffer wasm suite", validateVariant],
    ["seal_dual", "sealBlock v2-dual-required, stock", scenario.cases.seal_dual.run],
    ["bare_dual", "bare hashing of the dual block", scenario.cases.bare_dual.run],
    ["encode_statements", "encodeStatements, stock", () => encodeStatements(statements)],
    ["encode_statements_one_buffer", "encodeInto one shared buffer", () => encodeStatementsIntoOneBuffer(statements)],
  ] as const;

  const metrics: Record<string, Metric> = {};
  const notes: string[] = [];
  const tables: ReportTable[] = [];
  const prefix = `memory.${suite.implementation}.${n}`;

  const allocations = subjects.map(([key, label, run]) => ({ key, label, allocation: allocationPerCall(run) }));
  if (allocations.every((a) => a.allocation !== null)) {
    for (const { key, label, allocation } of allocations) {
      metrics[`${prefix}.${key}_heap_bytes`] = { value: allocation!.heapBytes, unit: "bytes", description: `${label}: JS heap allocated per call` };
      if (allocation!.arrayBufferBytes !== null) {
        metrics[`${prefix}.${key}_array_buffer_bytes`] = { value: allocation!.arrayBufferBytes, unit: "bytes", description: `${label}: ArrayBuffer bytes created per call` };
      }
    }
    tables.push({
      id: `validation-allocation-${suite.implementation}-${n}`,
      title: `Allocation per call, ${n} statements, ${suite.implementation} (median of single calls after a forced collection)`,
      columns: [
        { key: "subject", label: "call" },
        { key: "heap", label: "JS heap KB", align: "right" },
        { key: "buffers", label: "ArrayBuffer KB", align: "right" },
      ],
      rows: allocations.map(({ label, allocation }) => ({
        subject: label,
        heap: formatNumber(allocation!.heapBytes / 1000),
        buffers: allocation!.arrayBufferBytes === null ? "n/a" : formatNumber(allocation!.arrayBufferBytes / 1000),
      })),
      notes: ["ArrayBuffer KB counts backing stores outside the JS heap: statement encodings, and each small digest whose .buffer hash-wasm's update() reads (n/a: every call triggered a collection)."],
    });
  } else {
    notes.push("Allocation per call was not measured: this runtime refused to expose gc().");
  }

  const shares = [
    ["validate_v2", "validateBlock, stock", gcShare(validateStock, gcWindowMs)],
    ["validate_v2_single_buffer", "validateBlock, single-buffer wasm suite", gcShare(validateVariant, gcWindowMs)],
  ] as const;
  for (const [key, label, share] of shares) {
    metrics[`${prefix}.${key}_gc_pause_share_pct`] = { value: (share.pauseMs / share.wallMs) * 100, unit: "%", description: `${label}: GC pause time over wall time, back-to-back calls` };
    metrics[`${prefix}.${key}_gc_pause_ms_per_call`] = { value: share.pauseMs / share.calls, unit: "ms", description: `${label}: GC pause per call` };
  }
  tables.push({
    id: `validation-gc-${suite.implementation}-${n}`,
    title: `Garbage collection while validating back to back for ${formatNumber(gcWindowMs / 1000)} s (${n} statements, ${suite.implementation})`,
    columns: [
      { key: "subject", label: "call" },
      { key: "calls", label: "calls", align: "right" },
      { key: "perCall", label: "ms/call (mean)", align: "right" },
      { key: "collections", label: "GCs per call", align: "right" },
      { key: "pause", label: "GC pause ms/call", align: "right" },
      { key: "share", label: "GC share", align: "right" },
    ],
    rows: shares.map(([, label, s]) => ({
      subject: label,
      calls: String(s.calls),
      perCall: formatNumber(s.wallMs / s.calls),
      collections: formatNumber(s.collections / s.calls),
      pause: formatNumber(s.pauseMs / s.calls),
      share: `${formatNumber((s.pauseMs / s.wallMs) * 100)}%`,
    })),
    notes: ["Pause = main-thread time inside collections (v8.GCProfiler); concurrent GC threads compete for the same two cores on top of it."],
  });
  return { metrics, tables, notes };
}
