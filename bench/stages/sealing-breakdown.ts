/**
 * Where dual sealing's extra time goes, for the smallest block: there the second Merkle tree is cheap, and the fixed
 * per-block work (hex parsing, header encoding, the dual commitment) decides the dual sealing overhead.
 *
 * What sealBlock does for a v2-dual-required block beyond a v1-legacy one (lib/consensus/seal-block.ts): a second
 * Merkle tree (SHA3-256), a second hash of the predecessor's header (blockHash encodes the header again, parsing its
 * five hex fields), and the dual commitment (which parses the two roots back from hex). Each is timed alone, in one
 * interleaved group with both seals.
 */
import { SHA256_ID, SHA3_256_ID } from "../../lib/crypto/hash-algorithms";
import { blockHash, dualCommitment, encodeHeader, encodeStatements } from "../../lib/consensus/block";
import { merkleRoot } from "../../lib/consensus/merkle";
import { fromHex, toHex } from "../../lib/encoding/hex";
import type { Measurement, Metric } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { measureGroup, type SamplingPlan, type TimedCase } from "../harness/measure";
import { formatNumber } from "../harness/number-format";
import type { ConsensusScenario } from "./consensus-scenario";

export interface SealingBreakdown {
  measurements: Measurement[];
  metrics: Record<string, Metric>;
  tables: ReportTable[];
  notes: string[];
}

export function measureSealingBreakdown(scenario: ConsensusScenario, plan: SamplingPlan): SealingBreakdown {
  const { suite, dualPrev, dualBlock, statements } = scenario;
  const n = statements.length;
  const sha256 = suite.get(SHA256_ID);
  const sha3 = suite.get(SHA3_256_ID);
  const leaves = encodeStatements(statements);
  const root = dualBlock.merkle_root!;
  const pqRoot = dualBlock.pq_merkle_root!;
  const steps: [string, string, () => unknown][] = [
    ["seal_legacy", "sealBlock, v1-legacy", scenario.cases.seal_legacy.run],
    ["seal_dual", "sealBlock, v2-dual-required", scenario.cases.seal_dual.run],
    ["second_tree", "merkleRoot SHA3-256 + toHex (the second tree)", () => toHex(merkleRoot(sha3, leaves))],
    ["second_prev_hash", "blockHash(prev, SHA3-256) (the second prev hash, encodeHeader included)", () => blockHash(dualPrev, sha3)],
    ["dual_commitment", "dualCommitment (fromHex of both roots included)", () => dualCommitment(sha3, root, pqRoot)],
    ["encode_header", "encodeHeader(prev) alone", () => encodeHeader(dualPrev)],
    ["from_hex_32", "fromHex of one 32-byte hash", () => fromHex(root, 32)],
    ["prev_hash_sha256", "blockHash(prev, SHA-256), for comparison", () => blockHash(dualPrev, sha256)],
  ];
  const cases: TimedCase[] = steps.map(([key, label, run]) => ({
    id: `seal-breakdown/${suite.implementation}/${n}/${key}`,
    label,
    params: { suite: suite.implementation, statements: n, step: key },
    run,
  }));
  const results = measureGroup(cases, plan);
  const us = (key: string) => results.find((m) => m.params.step === key)!.us.median;
  const extra = us("seal_dual") - us("seal_legacy");
  const explained = us("second_tree") + us("second_prev_hash") + us("dual_commitment");

  const prefix = `seal_breakdown.${suite.implementation}.${n}`;
  const metrics: Record<string, Metric> = {};
  for (const m of results) metrics[`${prefix}.${m.params.step}_us`] = { value: m.us.median, unit: "µs", description: `${m.label}, median` };
  metrics[`${prefix}.dual_extra_us`] = { value: extra, unit: "µs", description: "seal v2 minus seal v1 (medians)" };

  const share = (value: number) => `${formatNumber((value / extra) * 100)}%`;
  const row = (step: string, value: number, showShare = true) => ({ step, us: formatNumber(value), share: showShare ? share(value) : "" });
  const table: ReportTable = {
    id: `sealing-breakdown-${suite.implementation}-${n}`,
    title: `Where dual sealing's extra time goes: ${n} statements, ${suite.implementation} (median µs, each step timed alone)`,
    columns: [
      { key: "step", label: "step" },
      { key: "us", label: "µs", align: "right" },
      { key: "share", label: "of the extra", align: "right" },
    ],
    rows: [
      row("sealBlock, v1-legacy", us("seal_legacy"), false),
      row("sealBlock, v2-dual-required", us("seal_dual"), false),
      row("extra for dual", extra),
      ...steps.slice(2, 5).map(([key, label]) => row(`  ${label}`, us(key))),
      row("  rest", extra - explained),
      row("encodeHeader(prev) alone", us("encode_header"), false),
      row("fromHex of one 32-byte hash", us("from_hex_32"), false),
    ],
  };
  const notes = [
    `Dual sealing of a ${n}-statement block costs ${formatNumber(extra)} µs more than legacy: the second tree ${formatNumber(us("second_tree"))} µs, ` +
      `the second prev hash ${formatNumber(us("second_prev_hash"))} µs (encodeHeader alone ${formatNumber(us("encode_header"))} µs, of which five fromHex at ` +
      `${formatNumber(us("from_hex_32"))} µs each), the dual commitment ${formatNumber(us("dual_commitment"))} µs.`,
  ];
  return { measurements: results, metrics, tables: [table], notes };
}
