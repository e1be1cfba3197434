/**
 * `mathledger-cli export [--start-block A] [--end-block B] --out FILE`: writes the canonical chain (all of it, or
 * heights A to B) as NDJSON, one block per line, behind a header line carrying the epoch registry
 * (server/ingest/export-file.ts). `mathledger-cli import --file FILE` reads it back: into a fresh node it brings the
 * registry too, so the export of a whole chain is enough to rebuild a node's chain. A whole database (import jobs,
 * violations of non-canonical blocks, heartbeats...) is backed up with pg_dump instead: see the README.
 */
import path from "node:path";
import { existsSync } from "node:fs";
import { AppError } from "../../lib/errors";
import { usageError } from "../args/parse-args";
import { defineCommand } from "../command";
import { plural } from "../chain-text";
import { withChainDatabase } from "../database";
import { createProgress, progressMode } from "../progress";

const NAME = "export";

export interface ExportResult {
  file: string;
  start_block: number;
  end_block: number;
  blocks: number;
  bytes: number;
  epochs: number;
}

export const exportCommand = defineCommand({
  name: NAME,
  summary: "write the canonical chain as NDJSON, with the epoch registry in a header line",
  description:
    "Writes the canonical blocks A to B (default: genesis to the tip) of the node's database to FILE, one JSON " +
    "block per line in height order, after a first line {\"mathledger_export\":1,\"registry\":[...],...} holding " +
    "the epoch registry. The blocks come from one consistent snapshot, even while the node keeps producing; the file " +
    "appears under its name only once complete. `mathledger-cli import --file FILE` reads it back (a fresh node " +
    "adopts the registry). FILE must not exist unless --force is given. Exit 2: a range past the tip, B below A, " +
    "an empty chain, an unwritable FILE, or the database cannot be reached.",
  flags: {
    out: { kind: "string", value: "FILE", required: true, description: "the NDJSON file to write" },
    "start-block": { kind: "integer", value: "A", description: "the first height to export (default 0)" },
    "end-block": { kind: "integer", value: "B", description: "the last height to export, inclusive (default: the tip)" },
    force: { kind: "boolean", description: "replace FILE if it exists" },
  },
  examples: ["mathledger-cli export --out chain.ndjson", "mathledger-cli export --start-block 0 --end-block 999 --out first-1000.ndjson --json"],
  async run(flags, context) {
    const from = flags["start-block"];
    const to = flags["end-block"];
    if (from !== undefined && to !== undefined && to < from) throw usageError(NAME, `--end-block ${to} is below --start-block ${from}`);
    if (flags.out === "") throw usageError(NAME, "--out needs a file name");
    const out = path.resolve(context.cwd, flags.out);
    if (existsSync(out) && !flags.force) throw new AppError("FILE_EXISTS", `${flags.out} exists; choose another name or add --force to replace it`);
    return withChainDatabase(context, async ({ pool }) => {
      const { exportChain } = await import("../../server/ingest/export-file");
      const mode = progressMode(context.stderr, { json: context.json, long: true, linesWhenNotTTY: false });
      const progress = createProgress(context.stderr, mode, { label: NAME, unit: "blocks" });
      let summary;
      try {
        summary = await exportChain(pool, out, { startBlock: from, endBlock: to, onProgress: (done, total) => progress.update(done, total) });
      } finally {
        progress.finish();
      }
      const result: ExportResult = {
        file: summary.file,
        start_block: summary.start_block,
        end_block: summary.end_block,
        blocks: summary.blocks,
        bytes: summary.bytes,
        epochs: summary.registry.length,
      };
      const text = `Exported ${plural(result.blocks, "block")} (heights ${result.start_block}-${result.end_block}) and the epoch registry (${plural(result.epochs, "epoch")}) to ${flags.out} (${result.bytes} bytes)`;
      return { outcome: "ok", json: result, text };
    });
  },
});
