/**
 * Writes a stage's result document: bench/results/<stage>-<timestamp>.json, .csv and .html (the report), and the same content as
 * latest-<stage>.json and latest-<stage>.csv (the files a dashboard reads). bench/results/ is gitignored.
 *
 * Each file is written to a temporary name and renamed into place, so a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resultToCsv, type BenchResultDocument } from "../../lib/bench/bench-result";
import { renderHtmlReport } from "../../lib/bench/html-report";

export interface WrittenFiles {
  json: string;
  csv: string;
  /** The self-contained report (lib/bench/html-report.ts): opens offline, no scripts. */
  html: string;
  latestJson: string;
  latestCsv: string;
}

/** "2025-05-04T10:11:12.345Z" → "20250504T101112Z": sortable, and safe in file names on every platform. */
export function fileTimestamp(isoTime: string): string {
  return isoTime.replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

export function writeResultFiles(doc: BenchResultDocument, directory: string): WrittenFiles {
  mkdirSync(directory, { recursive: true });
  const base = `${doc.stage}-${fileTimestamp(doc.started_at)}`;
  const files: WrittenFiles = {
    json: path.join(directory, `${base}.json`),
    csv: path.join(directory, `${base}.csv`),
    html: path.join(directory, `${base}.html`),
    latestJson: path.join(directory, `latest-${doc.stage}.json`),
    latestCsv: path.join(directory, `latest-${doc.stage}.csv`),
  };
  const json = JSON.stringify(doc, null, 2) + "\n";
  const csv = resultToCsv(doc);
  writeAtomically(files.json, json);
  writeAtomically(files.csv, csv);
  writeAtomically(files.html, renderHtmlReport(doc));
  writeAtomically(files.latestJson, json);
  writeAtomically(files.latestCsv, csv);
  return files;
}
