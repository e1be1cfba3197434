/**
 * `mathledger-cli verify-chain --start-block A --end-block B`: re-validates the stored canonical chain from A to B
 * with the consensus core (lib/consensus/validate-chain.ts), each block under its own epoch and against its
 * predecessor, across epoch boundaries and page boundaries alike: the last block of one page is the `prev` of the
 * next, and block A is checked against the stored block A-1. Heights in the range with no canonical block are
 * reported as missing. Prints VALID (exit 0), or each invalid block with its violations and the missing heights
 * (exit 1).
 *
 * Memory stays flat over any range: blocks are read a page at a time (server/chain/canonical-blocks.ts) and only the
 * invalid results are kept, the first MAX_LISTED of them in full.
 */
import { AppError } from "../../lib/errors";
import type { Block } from "../../lib/consensus/block";
import type { Epoch } from "../../lib/consensus/epochs";
import { validateChain } from "../../lib/consensus/validate-chain";
import type { Violation } from "../../lib/consensus/violations";
import { canonicalTipNumber, loadEpochRegistry } from "../../server/chain/epoch-registry";
import { CANONICAL_PAGE_SIZE, canonicalBlockPages, loadCanonicalBlock } from "../../server/chain/canonical-blocks";
import { usageError } from "../args/parse-args";
import { defineCommand } from "../command";
import { duration, epochSpan, plural } from "../chain-text";
import { withChainDatabase } from "../database";
import { createProgress, progressMode } from "../progress";

const NAME = "verify-chain";
/** Invalid blocks reported in full; the rest are counted. */
export const MAX_LISTED = 1000;

export interface ChainReport {
  verdict: "VALID" | "INVALID";
  start_block: number;
  end_block: number;
  /** Blocks validated (present in the range). */
  checked: number;
  /** Whether block A was checked against a stored block A-1 (always true from genesis). */
  predecessor_checked: boolean;
  invalid_count: number;
  /** The first MAX_LISTED invalid blocks, in height order, with their violations. */
  invalid_blocks: Array<{ block_number: number; violations: Violation[] }>;
  truncated: boolean;
  /** Heights in the range with no canonical block, as inclusive ranges. */
  missing: Array<{ from: number; to: number }>;
  missing_count: number;
  /** The epochs the range crosses. */
  epochs: Epoch[];
  elapsed_seconds: number;
}

export function chainReportText(r: ChainReport): string {
  const range = `blocks ${r.start_block}-${r.end_block}`;
  const epochs = r.epochs.map((e) => `${e.rule_version} ${epochSpan(e).replace(/^blocks /, "")}`).join(", ");
  const rate = r.elapsed_seconds > 0 ? `, ${Math.round(r.checked / r.elapsed_seconds)} blocks/s` : "";
  const timing = `checked ${plural(r.checked, "block")} in ${duration(r.elapsed_seconds)}${rate}`;
  const links = r.start_block === 0 ? "from genesis" : r.predecessor_checked ? `linked to block ${r.start_block - 1}` : `block ${r.start_block - 1} is not stored, so the links of block ${r.start_block} were not checked`;
  if (r.verdict === "VALID") {
    return `VALID: ${range} (${plural(r.checked, "block")}; ${plural(r.epochs.length, "epoch")}: ${epochs}; ${links})\n${timing}`;
  }
  const problems = [r.invalid_count > 0 ? `${r.invalid_count} of ${r.checked} blocks invalid` : "", r.missing_count > 0 ? `${plural(r.missing_count, "height")} missing` : ""];
  const lines = [`INVALID: ${range}: ${problems.filter(Boolean).join(", ")}`];
  for (const b of r.invalid_blocks) {
    lines.push("", `block ${b.block_number}:`);
    for (const v of b.violations) lines.push(`  ${v.severity} ${v.code}${v.field === null ? "" : ` field ${v.field}`}: ${v.message}`);
  }
  if (r.truncated) lines.push("", `... and ${r.invalid_count - r.invalid_blocks.length} more invalid blocks (the first ${MAX_LISTED} are listed)`);
  if (r.missing.length > 0) {
    lines.push("", `missing (no canonical block): ${r.missing.map((m) => (m.from === m.to ? `${m.from}` : `${m.from}-${m.to}`)).join(", ")}`);
  }
  lines.push("", timing);
  return lines.join("\n");
}

export const verifyChainCommand = defineCommand({
  name: NAME,
  summary: "re-validate the stored canonical chain over a range of heights",
  description:
    "Validates the canonical blocks A to B of the node's database with the consensus core: each block under the " +
    "rules of its own epoch and against its predecessor (block A against the stored block A-1), across epoch " +
    "boundaries. Reads a page of blocks at a time, so any range runs in constant memory. Heights with no canonical " +
    "block are reported as missing. On a terminal, a progress bar on stderr follows a long range (not with --json). " +
    "Exit 0: VALID. Exit 1: INVALID, listing each invalid block with its violation codes and messages, and the " +
    "missing heights. Exit 2: B below A, a height above the tip, or the database cannot be reached.",
  flags: {
    "start-block": { kind: "integer", value: "A", required: true, description: "the first height to verify" },
    "end-block": { kind: "integer", value: "B", required: true, description: "the last height to verify (inclusive; at most the tip)" },
  },
  examples: ["mathledger-cli verify-chain --start-block 0 --end-block 1000", "mathledger-cli verify-chain --start-block 190 --end-block 210 --json"],
  async run(flags, context) {
    const from = flags["start-block"];
    const to = flags["end-block"];
    if (to < from) throw usageError(NAME, `--end-block ${to} is below --start-block ${from}`);
    return withChainDatabase(context, async ({ pool }) => {
      const [epochs, tip, prevBlock] = await Promise.all([
        loadEpochRegistry(pool),
        canonicalTipNumber(pool),
        from > 0 ? loadCanonicalBlock(pool, from - 1) : Promise.resolve<Block | null>(null),
      ]);
      if (epochs.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "the database has no epoch registry yet (every start seeds the default one into an empty registry: run any command again)");
      if (tip < 0) throw new AppError("BLOCK_NOT_FOUND", `no canonical block ${from} (the chain is empty)`);
      if (from > tip) throw new AppError("BLOCK_NOT_FOUND", `no canonical block ${from} (the tip is ${tip})`);
      if (to > tip) throw new AppError("BLOCK_NOT_FOUND", `no canonical block ${to} (the tip is ${tip}); verify up to --end-block ${tip}`);

      const suite = await context.hashSuite();
      const total = to - from + 1;
      const mode = progressMode(context.stderr, { json: context.json, long: total > CANONICAL_PAGE_SIZE, linesWhenNotTTY: false });
      const progress = createProgress(context.stderr, mode, { label: NAME, unit: "blocks" });
      const started = performance.now();
      const report: ChainReport = {
        verdict: "VALID",
        start_block: from,
        end_block: to,
        checked: 0,
        predecessor_checked: from === 0 || prevBlock !== null,
        invalid_count: 0,
        invalid_blocks: [],
        truncated: false,
        missing: [],
        missing_count: 0,
        epochs: epochs.filter((e) => e.start_block <= to && (e.end_block === null || e.end_block >= from)),
        elapsed_seconds: 0,
      };
      const noteMissing = (a: number, b: number) => {
        report.missing.push({ from: a, to: b });
        report.missing_count += b - a + 1;
      };

      let prev = prevBlock;
      let expected = from;
      try {
        for await (const page of canonicalBlockPages(pool, from, to)) {
          // A gap splits the page into runs: the block after a gap has no stored predecessor to link to.
          let start = 0;
          for (let i = 0; i <= page.length; i++) {
            const gapAhead = i < page.length && page[i].block_number !== expected + (i - start);
            if (i < page.length && !gapAhead) continue;
            const run = page.slice(start, i);
            if (run.length > 0) {
              const result = validateChain(run, { epochs, prev, suite });
              report.checked += result.checked;
              for (const r of result.results) {
                if (r.verdict !== "INVALID") continue;
                report.invalid_count++;
                if (report.invalid_blocks.length < MAX_LISTED) report.invalid_blocks.push({ block_number: r.block_number!, violations: r.violations });
              }
              prev = run[run.length - 1];
              expected = prev.block_number + 1;
            }
            if (gapAhead) {
              noteMissing(expected, page[i].block_number - 1);
              expected = page[i].block_number;
              prev = null;
              start = i;
            }
          }
          progress.update(expected - from, total);
        }
      } finally {
        progress.finish();
      }
      if (expected <= to) noteMissing(expected, to);
      report.truncated = report.invalid_count > report.invalid_blocks.length;
      report.verdict = report.invalid_count > 0 || report.missing_count > 0 ? "INVALID" : "VALID";
      report.elapsed_seconds = Math.round((performance.now() - started) / 10) / 100;
      return { outcome: report.verdict === "VALID" ? "ok" : "invalid", json: report, text: chainReportText(report) };
    });
  },
});
