"use client";
/**
 * The Validate page's workbench: blocks in (pasted JSON, or a dropped or chosen file: one block, a JSON array or
 * NDJSON of up to 10,000 blocks), an optional registry, the switch for the browser cross-check; then the input is read
 * with lib's reader (which names the line of any problem), planned into requests the node accepts (batch-plan.ts),
 * sent one by one with a progress bar and a Cancel button (run-validation.ts), and the verdicts shown as they arrive.
 */
import { useCallback, useRef, useState, useSyncExternalStore, type DragEvent } from "react";

import { useTRPCClient } from "@/app/_trpc/react";
import { describeJsonTextError, parseJsonText } from "@/lib/encoding/json-text";
import { exportFileName, formatTable, type ExportFormat } from "@/lib/export/tabular";
import { formatBytes, MAX_INPUT_BYTES, readBlockInput } from "@/lib/validation/block-input";
import { VALIDATION_RESULT_COLUMNS, validationResultRows } from "@/lib/validation/result-table";
import type { ReportDifference } from "@/lib/validation/validation-report";
import type { BlockResult, ValidationContext } from "@/server/validation/validate-blocks";

import { planBatches } from "./batch-plan";
import { runValidation, ValidationRequestError } from "./run-validation";
import { ValidationResults } from "./validation-results";

type Status = { kind: "idle" } | { kind: "running" } | { kind: "done" } | { kind: "cancelled" } | { kind: "failed"; message: string };

interface LoadedFile {
  name: string;
  size: number;
  text: string;
}

/** useSyncExternalStore's subscription for a value that never changes after hydration (true in the browser). */
const subscribeNothing = () => () => undefined;

const BUTTON = "rounded border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50";

export function ValidateWorkbench({ maxRequestBytes }: { maxRequestBytes: number }) {
  const [pasted, setPasted] = useState("");
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [registryText, setRegistryText] = useState("");
  const [crossCheck, setCrossCheck] = useState(false);
  const [inputError, setInputError] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [results, setResults] = useState<BlockResult[]>([]);
  const [lines, setLines] = useState<number[]>([]);
  const [differences, setDifferences] = useState<Map<number, ReportDifference[]> | null>(null);
  /** What the node judged the first request under (registry, predecessor), shown above the results. */
  const [firstContext, setFirstContext] = useState<ValidationContext | null>(null);
  const [dragging, setDragging] = useState(false);
  const controller = useRef<AbortController | null>(null);
  // Inputs stay inert until React has hydrated them, so nothing typed or clicked before that is lost.
  const ready = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const trpcClient = useTRPCClient();
  const [registryNote, setRegistryNote] = useState<string | null>(null);

  /** Fills the registry box with this node's registry, as a starting point for a proposed one. */
  async function loadNodeRegistry() {
    setRegistryNote(null);
    try {
      const overview = await trpcClient.epochs.overview.query();
      const epochs = overview.epochs.map((e) => ({
        start_block: e.start_block,
        end_block: e.end_block,
        algorithm_id: e.algorithm_id,
        algorithm_name: e.algorithm_name,
        rule_version: e.rule_version,
        activation_timestamp: e.activation_timestamp,
        governance_hash: e.governance_hash,
      }));
      setRegistryText(JSON.stringify(epochs, null, 2));
      setRegistryNote(`This node's registry (${epochs.length} epoch${epochs.length === 1 ? "" : "s"}): edit it to judge the blocks under a proposal.`);
    } catch (error) {
      setRegistryNote(`Could not read this node's registry: ${(error as Error).message}`);
    }
  }

  const loadFile = useCallback(async (f: File) => {
    setInputError(null);
    if (f.size > MAX_INPUT_BYTES) {
      setFile(null);
      setInputError(`${f.name} is ${formatBytes(f.size)}, larger than the ${formatBytes(MAX_INPUT_BYTES)} limit for one input.`);
      return;
    }
    try {
      setFile({ name: f.name, size: f.size, text: await f.text() });
    } catch {
      setInputError(`${f.name} could not be read.`);
    }
  }, []);

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void loadFile(f);
  };

  async function validate() {
    setInputError(null);
    const read = readBlockInput(file ? file.text : pasted);
    if (!read.ok) {
      setInputError(`${file ? `${file.name}: ` : ""}${read.error.message}`);
      return;
    }
    let registryJson: string | null = null;
    if (registryText.trim() !== "") {
      const parsed = parseJsonText(registryText);
      if (!parsed.ok) return setInputError(`Registry: not valid JSON at ${describeJsonTextError(parsed.error)}.`);
      if (!Array.isArray(parsed.value)) return setInputError("Registry: must be a JSON array of epochs (or empty for this node's registry).");
      registryJson = JSON.stringify(parsed.value);
    }
    const { blocks, lines: blockLines } = read.input;
    const plan = planBatches(blocks, { maxBytes: maxRequestBytes, registryJson, lines: blockLines });
    if (!plan.ok) return setInputError(plan.message);

    const abort = new AbortController();
    controller.current = abort;
    setResults([]);
    setFirstContext(null);
    setLines(blockLines);
    setDifferences(crossCheck ? new Map() : null);
    setProgress({ done: 0, total: blocks.length });
    setStatus({ kind: "running" });
    const collected: BlockResult[] = [];
    const diffs = new Map<number, ReportDifference[]>();
    try {
      await runValidation(plan.batches, blocks, { signal: abort.signal, crossCheck }, (outcome) => {
        if (outcome.batch.start === 0) setFirstContext(outcome.context);
        collected.push(...outcome.results);
        for (const d of outcome.differences ?? []) diffs.set(d.index, [...(diffs.get(d.index) ?? []), d]);
        setResults([...collected]);
        if (crossCheck) setDifferences(new Map(diffs));
        setProgress({ done: outcome.batch.end, total: blocks.length });
      });
      setStatus({ kind: "done" });
    } catch (error) {
      if (abort.signal.aborted) setStatus({ kind: "cancelled" });
      else if (error instanceof ValidationRequestError) setStatus({ kind: "failed", message: `The node refused the request (${error.status} ${error.code}): ${error.message}` });
      else setStatus({ kind: "failed", message: `The validation stopped: ${(error as Error).message}` });
    } finally {
      controller.current = null;
    }
  }

  function download(format: ExportFormat) {
    const text = formatTable(format, VALIDATION_RESULT_COLUMNS, results.flatMap((r) => validationResultRows(r, lines[r.index] ?? null)));
    const url = URL.createObjectURL(new Blob([text], { type: format === "csv" ? "text/csv" : "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = exportFileName("validation-results", format);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const running = status.kind === "running";
  const valid = results.filter((r) => r.verdict === "VALID").length;
  const disagreeing = differences ? differences.size : 0;
  const allDiffs = differences ? [...differences.values()].flat() : [];

  return (
    <div className="space-y-4">
      <section aria-labelledby="validate-input" className="rounded-md border border-slate-800 bg-slate-900/60 p-3">
        <h2 id="validate-input" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-400">
          Blocks
        </h2>
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="drop-zone"
          data-ready={ready ? "true" : "false"}
          className={`rounded border-2 border-dashed p-2 ${dragging ? "border-sky-500 bg-slate-800/60" : "border-slate-700"}`}
        >
          {file ? (
            <p className="flex flex-wrap items-center gap-2 p-2 text-sm text-slate-200">
              File <strong>{file.name}</strong> ({formatBytes(file.size)})
              <button type="button" className={`${BUTTON} border-slate-600 py-0.5`} onClick={() => setFile(null)} disabled={running}>
                Use pasted text instead
              </button>
            </p>
          ) : (
            <>
              <label htmlFor="blocks-json" className="block text-sm text-slate-300">
                Paste a block, a JSON array of blocks or NDJSON (one block per line), or drop a file here
              </label>
              <textarea
                id="blocks-json"
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                readOnly={!ready}
                rows={8}
                spellCheck={false}
                className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-2 font-mono text-xs text-slate-100"
                placeholder='{"block_number": 201, "timestamp": ..., "prev_hash": "0x...", "statements": [...]}'
              />
            </>
          )}
          <label className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-300">
            Or choose a file (.json, .ndjson):
            <input
              type="file"
              accept=".json,.ndjson,.jsonl,application/json,application/x-ndjson,text/plain"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void loadFile(f);
                e.target.value = "";
              }}
              disabled={!ready || running}
              className="text-sm file:mr-2 file:rounded file:border file:border-slate-600 file:bg-slate-800 file:px-2 file:py-1 file:text-slate-100"
            />
          </label>
        </div>
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-slate-300">Registry (optional): judge under a proposed epoch registry</summary>
          <label htmlFor="registry-json" className="mt-2 block text-sm text-slate-300">
            A JSON array of epochs; leave empty to use this node&apos;s registry
          </label>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <button type="button" className={`${BUTTON} border-slate-600 py-0.5 text-slate-100`} onClick={() => void loadNodeRegistry()} disabled={!ready || running}>
              Start from this node&apos;s registry
            </button>
            {registryNote ? (
              <span role="status" className="text-xs text-slate-300">
                {registryNote}
              </span>
            ) : null}
          </div>
          <textarea
            id="registry-json"
            value={registryText}
            onChange={(e) => setRegistryText(e.target.value)}
            readOnly={!ready}
            rows={5}
            spellCheck={false}
            className="mt-1 w-full rounded border border-slate-700 bg-slate-950 p-2 font-mono text-xs text-slate-100"
          />
        </details>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-200">
            <input type="checkbox" role="switch" aria-checked={crossCheck} checked={crossCheck} onChange={(e) => setCrossCheck(e.target.checked)} disabled={!ready || running} />
            Check in this browser too (same rules, noble hash suite)
          </label>
          <button type="button" onClick={() => void validate()} disabled={!ready || running} className={`${BUTTON} border-sky-700 bg-sky-800 text-white hover:bg-sky-700`}>
            Validate
          </button>
          {running ? (
            <button type="button" onClick={() => controller.current?.abort()} className={`${BUTTON} border-slate-600 text-slate-100 hover:bg-slate-800`}>
              Cancel
            </button>
          ) : null}
        </div>
        {inputError ? (
          <p role="alert" className="mt-3 rounded border border-rose-800 bg-rose-950/50 px-3 py-2 text-sm text-rose-100">
            {inputError}
          </p>
        ) : null}
      </section>

      {status.kind !== "idle" ? (
        <section aria-labelledby="validate-results" className="rounded-md border border-slate-800 bg-slate-900/60 p-3">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 id="validate-results" className="text-xs font-semibold uppercase tracking-wide text-slate-400">
              Results
            </h2>
            <div className="flex gap-2">
              <button type="button" className={`${BUTTON} border-slate-600 py-0.5 text-slate-100`} disabled={results.length === 0} onClick={() => download("csv")}>
                Download CSV
              </button>
              <button type="button" className={`${BUTTON} border-slate-600 py-0.5 text-slate-100`} disabled={results.length === 0} onClick={() => download("json")}>
                Download JSON
              </button>
            </div>
          </div>
          <div
            role="progressbar"
            aria-label="Blocks validated"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
            aria-valuetext={`${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} blocks`}
            className="h-2 w-full overflow-hidden rounded bg-slate-800"
          >
            <div className="h-full bg-sky-500 transition-[width] motion-reduce:transition-none" style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 0}%` }} />
          </div>
          <p aria-live="polite" className="mt-2 text-sm text-slate-200">
            {status.kind === "running" ? `Validating… ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} blocks.` : null}
            {status.kind === "done" ? `Done: ${results.length.toLocaleString("en-US")} blocks, ${valid.toLocaleString("en-US")} valid, ${(results.length - valid).toLocaleString("en-US")} invalid.` : null}
            {status.kind === "cancelled" ? `Cancelled after ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} blocks.` : null}
          </p>
          {firstContext ? (
            <p className="mt-1 text-xs text-slate-400" data-testid="validation-context">
              Judged under {firstContext.registry.source === "node" ? "this node's epoch registry" : "the registry you gave"}; the first block&apos;s
              predecessor: {firstContext.predecessor.note}. Nothing was stored.
            </p>
          ) : null}
          {status.kind === "failed" ? (
            <p role="alert" className="mt-2 rounded border border-rose-800 bg-rose-950/50 px-3 py-2 text-sm text-rose-100">
              {status.message}
            </p>
          ) : null}
          {differences && results.length > 0 ? (
            <div data-testid="cross-check" className={`mt-2 rounded border px-3 py-2 text-sm ${disagreeing ? "border-rose-800 bg-rose-950/50 text-rose-100" : "border-emerald-800 bg-emerald-950/40 text-emerald-100"}`}>
              {disagreeing === 0
                ? `Browser cross-check: this browser agrees with the node on all ${results.length.toLocaleString("en-US")} blocks (verdicts, violations, epochs, hashes, content ids).`
                : `Browser cross-check: this browser differs from the node on ${disagreeing} block${disagreeing === 1 ? "" : "s"}.`}
              {disagreeing > 0 ? (
                <ul className="mt-1 list-disc pl-5 font-mono text-xs">
                  {allDiffs.slice(0, 20).map((d, i) => (
                    <li key={i}>
                      line {lines[d.index] ?? d.index + 1}, {d.field}: node {d.first.slice(0, 120)} · browser {d.second.slice(0, 120)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <div className="mt-3">
            <ValidationResults results={results} lines={lines} differences={differences} />
          </div>
        </section>
      ) : null}
    </div>
  );
}
