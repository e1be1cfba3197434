/**
 * Chain export: the canonical chain (or a range of it) as NDJSON, one block per line in height order, behind a header
 * line carrying the epoch registry, so that `mathledger-cli import` can rebuild a node from the file alone:
 *
 *   {"mathledger_export":1,"registry":[...epochs...],"start_block":0,"end_block":41,"blocks":42,"exported_at":"..."}
 *   {"block_number":0,"timestamp":...,"prev_hash":"0x00...","merkle_root":"0x...",...,"statements":[...]}
 *   ...
 *
 * The whole export reads one REPEATABLE READ snapshot, so a devnet block sealed or a reorg adopted meanwhile cannot
 * mix two states into one file; and it is written to a temporary file renamed into place at the end, so a failed or
 * killed export never leaves a truncated file under the requested name.
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { blockToJson } from "../../lib/consensus/block";
import { parseEpochRegistry, type Epoch } from "../../lib/consensus/epochs";
import { describeValue } from "../../lib/encoding/hex";
import { canonicalTipNumber, loadEpochRegistry } from "../chain/epoch-registry";
import { canonicalBlockPages } from "../chain/canonical-blocks";

/** The header key and the format version this code writes and reads. */
export const EXPORT_HEADER_KEY = "mathledger_export";
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportHeader {
  mathledger_export: typeof EXPORT_FORMAT_VERSION;
  registry: Epoch[];
  start_block: number;
  end_block: number;
  blocks: number;
  exported_at: string;
}

/** True when a decoded NDJSON line is an export header (whatever its version): a block never has this key. */
export function isExportHeader(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && EXPORT_HEADER_KEY in value;
}

/** Reads an export header from untrusted JSON; throws AppError("INVALID_INPUT") saying what is wrong. */
export function parseExportHeader(value: Record<string, unknown>): { version: number; registry: Epoch[] } {
  const version = value[EXPORT_HEADER_KEY];
  if (version !== EXPORT_FORMAT_VERSION) {
    throw new AppError("INVALID_INPUT", `export header: format ${describeValue(version)} is not supported (this node reads format ${EXPORT_FORMAT_VERSION})`);
  }
  try {
    return { version, registry: parseEpochRegistry(value.registry) };
  } catch (error) {
    throw new AppError("INVALID_INPUT", `export header: registry: ${(error as Error).message}`);
  }
}

export interface ExportOptions {
  /** First height (default 0). */
  startBlock?: number;
  /** Last height, inclusive (default: the canonical tip when the export starts). */
  endBlock?: number;
  /** Called after each page of blocks is written. */
  onProgress?: (written: number, total: number) => void;
}

export interface ExportSummary {
  file: string;
  start_block: number;
  end_block: number;
  blocks: number;
  bytes: number;
  registry: Epoch[];
}

/** Writes the export to `outPath` (replacing it only once complete). Throws AppError for an empty chain or range. */
export async function exportChain(pool: pg.Pool, outPath: string, options: ExportOptions = {}): Promise<ExportSummary> {
  const client = await pool.connect();
  const temp = `${outPath}.partial-${process.pid}`;
  let committed = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const [registry, tip] = [await loadEpochRegistry(client), await canonicalTipNumber(client)];
    if (registry.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "the database has no epoch registry, so there is nothing to export");
    if (tip < 0) throw new AppError("BLOCK_NOT_FOUND", "the chain is empty: there is nothing to export");
    const from = options.startBlock ?? 0;
    const to = options.endBlock ?? tip;
    if (from > tip) throw new AppError("BLOCK_NOT_FOUND", `no canonical block ${from} (the tip is ${tip})`);
    if (to > tip) throw new AppError("BLOCK_NOT_FOUND", `no canonical block ${to} (the tip is ${tip}); export up to --end-block ${tip}`);
    const total = to - from + 1;
    const header: ExportHeader = {
      mathledger_export: EXPORT_FORMAT_VERSION,
      registry,
      start_block: from,
      end_block: to,
      blocks: total,
      exported_at: new Date().toISOString(),
    };

    const out = createWriteStream(temp, { flags: "wx", mode: 0o644 });
    const failed = new Promise<never>((_, reject) => out.once("error", reject));
    failed.catch(() => undefined);
    const write = async (text: string) => {
      if (!out.write(text)) await Promise.race([once(out, "drain"), failed]);
    };
    let written = 0;
    let expected = from;
    try {
      await write(JSON.stringify(header) + "\n");
      for await (const page of canonicalBlockPages(client, from, to)) {
        let chunk = "";
        for (const block of page) {
          // The canonical chain is contiguous; a hole would make the file unimportable, so say so instead.
          if (block.block_number !== expected) {
            throw new AppError("BLOCK_NOT_FOUND", `the canonical chain has no block ${expected} (next stored: ${block.block_number}); run verify-chain`);
          }
          chunk += JSON.stringify(blockToJson(block)) + "\n";
          expected++;
        }
        await write(chunk);
        written += page.length;
        options.onProgress?.(written, total);
      }
      if (expected !== to + 1) throw new AppError("BLOCK_NOT_FOUND", `the canonical chain has no block ${expected}; run verify-chain`);
      out.end();
      await Promise.race([once(out, "finish"), failed]);
    } catch (error) {
      out.destroy();
      throw error;
    }
    await client.query("COMMIT");
    committed = true;
    await rename(temp, outPath);
    return { file: outPath, start_block: from, end_block: to, blocks: written, bytes: out.bytesWritten, registry };
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (!committed) await client.query("ROLLBACK").catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "EACCES" || code === "ENOENT" || code === "EISDIR" || code === "ENOSPC" || code === "EROFS") {
      throw new AppError("FILE_UNWRITABLE", `cannot write ${outPath}: ${code}`);
    }
    throw error;
  } finally {
    client.release();
  }
}
