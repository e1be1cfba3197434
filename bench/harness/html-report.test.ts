// The HTML report (lib/bench/html-report.ts) of a real result document: the consensus stage run in --quick mode,
// wrapped as bench/run.ts wraps it, written by writeResultFiles beside its JSON and CSV. Shape only, never speed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAcceptance } from "../../lib/bench/acceptance";
import { BENCH_RESULT_SCHEMA, metricValues, toAcceptanceRecord, type BenchResultDocument } from "../../lib/bench/bench-result";
import { parseBenchResultDocument } from "../../lib/bench/bench-run";
import { consensusStage } from "../stages/consensus";
import { captureEnvironment, loadAverage } from "./environment";
import { writeResultFiles, type WrittenFiles } from "./result-files";

describe("writeResultFiles: the HTML report of a quick consensus run", () => {
  let dir: string;
  let doc: BenchResultDocument;
  let files: WrittenFiles;
  let html: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-bench-report-"));
    const startedAt = new Date();
    const loadStart = loadAverage();
    const result = await consensusStage.run({ quick: true, progress: () => {} });
    doc = {
      schema: BENCH_RESULT_SCHEMA,
      ...result,
      quick: true,
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      duration_ms: Date.now() - startedAt.getTime(),
      argv: ["--stage", "consensus", "--quick"],
      environment: captureEnvironment(process.cwd(), loadStart),
      acceptance: evaluateAcceptance({ consensus: metricValues(result) }).map(toAcceptanceRecord),
    };
    files = writeResultFiles(doc, dir);
    html = readFileSync(files.html, "utf8");
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes <stage>-<timestamp>.html beside the CSV", () => {
    expect(path.dirname(files.html)).toBe(path.dirname(files.csv));
    expect(path.basename(files.html, ".html")).toBe(path.basename(files.csv, ".csv"));
  });

  it("the document it reports passes the import validation (what --import and the database store)", () => {
    expect(parseBenchResultDocument(JSON.parse(readFileSync(files.json, "utf8"))).stage).toBe("consensus");
  });

  it("has one acceptance row per verdict, with the measured value's verdict", () => {
    expect(doc.acceptance.length).toBeGreaterThan(0);
    for (const a of doc.acceptance) {
      expect(html).toContain(`${a.id}: `);
    }
    const rows = html.slice(html.indexOf("<caption>Acceptance of consensus")).split("</table>")[0].match(/<tr>/g) ?? [];
    expect(rows.length).toBe(doc.acceptance.length + 1); // + the header row
    expect(html).toMatch(/<span class="(pass|fail)">(PASS|FAIL)<\/span>/);
  });

  it("draws the stage's charts as inline SVG with a text alternative, and the values as tables", () => {
    expect(html).toContain("<svg");
    expect(html).toContain("Dual-hash overhead over legacy by statements per block");
    expect(html).toContain("Storage overhead of dual blocks by statements per block");
    expect(html).toMatch(/<svg [^>]*role="img" aria-label="Sealing and validation overhead/);
  });

  it("is self-contained: no script, no external resource", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toMatch(/^<!doctype html>/);
  });
});
