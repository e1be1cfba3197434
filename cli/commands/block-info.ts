/**
 * `mathledger-cli block-info --block-number N`: the canonical block N as stored (the block detail the explorer shows,
 * server/chain/block-queries.ts): every header field, both header hashes, the statement count, the verdict and
 * violations recorded when it was ingested, and the other blocks stored at that height (competing branches, rejected
 * copies). To judge the block again, use validate-block --block-number N.
 */
import { getCanonicalBlock, type BlockDetail } from "../../server/chain/block-queries";
import { defineCommand } from "../command";
import { hexId, isoTime, plural, table } from "../chain-text";
import { noCanonicalBlock, withChainDatabase } from "../database";
import { MAX_STORED_BLOCK_NUMBER } from "../../lib/ingest/storage-limits";

/** The --json document: the stored detail without the statements and the raw payload (both can be megabytes). */
export function blockInfoJson(detail: BlockDetail): Record<string, unknown> {
  const { statements: _statements, raw_json: _raw, ...rest } = detail;
  return rest;
}

export function blockInfoText(d: BlockDetail): string {
  const none = "none";
  const epochName = d.epoch ? `${d.epoch.rule_version}, ${d.epoch.algorithm_name} (${hexId(d.epoch.algorithm_id)}), from block ${d.epoch.start_block}` : "no epoch covers this height";
  const pqName = d.pq_algorithm_name ?? (d.epoch && d.epoch.algorithm_id !== 0 ? d.epoch.algorithm_name : null);
  const lines = [
    `Block ${d.block_number}: ${d.canonical ? "canonical" : "not canonical"}, ${d.verdict}`,
    ...table([
      ["content id", d.content_id],
      ["timestamp", `${d.timestamp} (${isoTime(d.timestamp)})`],
      ["epoch", epochName],
      ["prev_hash", d.prev_hash ?? none],
      ["merkle_root", d.merkle_root ?? none],
      ["pq_algorithm", d.pq_algorithm === null ? none : `${hexId(d.pq_algorithm)} (${d.pq_algorithm_name ?? "unknown"})`],
      ["pq_prev_hash", d.pq_prev_hash ?? none],
      ["pq_merkle_root", d.pq_merkle_root ?? none],
      ["dual_commitment", d.dual_commitment ?? none],
      ["legacy hash", `${d.legacy_hash} (SHA-256 header hash)`],
      ["pq hash", d.pq_hash === null ? "none (no PQ chain at this height)" : `${d.pq_hash} (${pqName ?? "PQ"} header hash)`],
      ["statements", String(d.statement_count)],
      ["source", `${d.source}, received ${isoTime(d.received_at / 1000)}`],
    ]),
    "",
  ];
  if (d.violations.length === 0) lines.push("Violations: none");
  else {
    lines.push(`Violations (${d.violations.length}):`);
    for (const v of d.violations) {
      lines.push(`  ${v.severity} ${v.code}${v.field === null ? "" : ` field ${v.field}`}`);
      lines.push(`    expected: ${v.expected ?? "-"}`, `    actual:   ${v.actual ?? "-"}`, `    ${v.message}`);
    }
  }
  if (d.siblings.length === 0) lines.push(`Other blocks stored at height ${d.block_number}: none`);
  else {
    lines.push(`Other blocks stored at height ${d.block_number} (${d.siblings.length}):`);
    for (const s of d.siblings) {
      lines.push(`  ${s.content_id}  ${s.verdict}, ${plural(s.violation_count, "violation")}, ${s.canonical ? "canonical" : "not canonical"}, ${s.source}, received ${isoTime(s.received_at / 1000)}`);
    }
  }
  return lines.join("\n");
}

export const blockInfoCommand = defineCommand({
  name: "block-info",
  summary: "a stored canonical block: header fields, both hashes, verdict, violations, other blocks at its height",
  description:
    "Prints the canonical block N as the node stored it: every header field (prev_hash, merkle_root, pq_algorithm, " +
    "pq_prev_hash, pq_merkle_root, dual_commitment), its SHA-256 and PQ header hashes, content id, timestamp, epoch, " +
    "statement count, source, the verdict and violations recorded at ingest, and the other blocks stored at the " +
    "same height (competing branches, invalid copies). Exit 0; exit 2 when there is no canonical block N or the " +
    "database cannot be reached. To judge the block again, use validate-block --block-number N.",
  flags: {
    "block-number": { kind: "integer", max: MAX_STORED_BLOCK_NUMBER, value: "N", required: true, description: "the height of the canonical block" },
  },
  examples: ["mathledger-cli block-info --block-number 200", "mathledger-cli block-info --block-number 200 --json"],
  async run(flags, context) {
    return withChainDatabase(context, async ({ pool }) => {
      const detail = await getCanonicalBlock(pool, flags["block-number"]);
      if (!detail) throw await noCanonicalBlock(pool, flags["block-number"]);
      return { outcome: "ok", json: blockInfoJson(detail), text: blockInfoText(detail) };
    });
  },
});
