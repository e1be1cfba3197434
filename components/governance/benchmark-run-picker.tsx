"use client";
/**
 * Picks a stored benchmark run (bench_runs) to fill a proposal's `benchmark_results` with: a labelled native select
 * (keyboard and screen-reader friendly as is), one option per stage result, grouped by the `npm run bench`
 * invocation that produced it (a `--week all` run is one group of several stages), each saying when it ran, its
 * stage and its acceptance PASS/FAIL count. Choosing one fetches `bench.proposalResults` and hands the object, as
 * JSON, to the form; the sign panel then shows it in the canonical message. The node re-derives the same object from
 * the run when the proposal arrives and refuses one that differs, so a hand edit after filling is flagged here.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";

import { useTRPC } from "@/app/_trpc/react";

interface RunOption {
  id: string;
  runId: string;
  stage: string;
  quick: boolean;
  startedAt: string;
  counts: { pass: number; fail: number; notPassed: number; total: number };
}

/** "2026-12-03 16:34 UTC": the same text on the server and in every browser. */
function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function verdictText(c: RunOption["counts"]): string {
  if (c.total === 0) return "no acceptance criteria";
  const missing = c.notPassed - c.fail;
  return `${c.pass} PASS, ${c.fail} FAIL${missing > 0 ? `, ${missing} missing` : ""}`;
}

export function optionLabel(r: RunOption): string {
  return `${utcMinute(r.startedAt)} · ${r.stage}${r.quick ? " (quick)" : ""} · ${verdictText(r.counts)}`;
}

/** Stage results grouped by invocation, newest first, keeping the list's order inside a group. */
function groupByInvocation(runs: readonly RunOption[]): { runId: string; rows: RunOption[] }[] {
  const groups = new Map<string, RunOption[]>();
  for (const r of runs) groups.set(r.runId, [...(groups.get(r.runId) ?? []), r]);
  return [...groups.entries()].map(([runId, rows]) => ({ runId, rows }));
}

export function BenchmarkRunPicker({ current, onFill }: { current: string; onFill: (json: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery(trpc.bench.runs.queryOptions({ limit: 100 }));
  const [selected, setSelected] = useState("");
  const [filled, setFilled] = useState<{ id: string; json: string; summary: string } | null>(null);
  const [status, setStatus] = useState<{ error: boolean; text: string }>({ error: false, text: "" });
  // Arrow keys on a closed select change it once per press: only the latest choice may fill the field.
  const latest = useRef(0);

  const choose = async (id: string) => {
    setSelected(id);
    const ticket = ++latest.current;
    if (id === "") {
      setStatus({ error: false, text: "" });
      return;
    }
    const run = runs.data?.find((r) => r.id === id);
    setStatus({ error: false, text: `Reading benchmark run ${id}…` });
    try {
      const results = await queryClient.fetchQuery(trpc.bench.proposalResults.queryOptions({ id }));
      if (ticket !== latest.current) return;
      const json = JSON.stringify(results, null, 2);
      const summary = `Filled from benchmark run ${id}${run ? ` (${optionLabel(run)})` : ""}.`;
      setFilled({ id, json, summary });
      onFill(json);
      setStatus({ error: false, text: summary });
    } catch (error) {
      if (ticket !== latest.current) return;
      setStatus({ error: true, text: `Cannot read benchmark run ${id}: ${(error as Error).message}` });
    }
  };

  const edited = filled !== null && selected === filled.id && current !== filled.json;
  const groups = groupByInvocation(runs.data ?? []);
  return (
    <div data-testid="benchmark-run-picker">
      <label htmlFor="benchmark_run" className="mb-1 block text-sm text-slate-200">
        Fill benchmark results from a stored run
      </label>
      <select
        id="benchmark_run"
        name="benchmark_run"
        value={selected}
        onChange={(e) => void choose(e.target.value)}
        disabled={!runs.data}
        aria-describedby="benchmark_run-hint benchmark_run-status"
        className="w-full rounded border border-slate-600 bg-slate-950 px-2 py-1.5 text-sm text-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-60 md:w-auto"
      >
        <option value="">{runs.data ? (runs.data.length === 0 ? "No stored runs" : "None: write the JSON below") : "Loading stored runs…"}</option>
        {groups.map((g) => (
          <optgroup key={g.runId} label={`npm run bench of ${utcMinute(g.rows[g.rows.length - 1].startedAt)}: ${g.rows.map((r) => r.stage).join(", ")}`}>
            {g.rows.map((r) => (
              <option key={r.id} value={r.id}>
                {optionLabel(r)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p id="benchmark_run-hint" className="mt-1 text-xs text-slate-400">
        {runs.error
          ? `Cannot list stored runs: ${runs.error.message}`
          : runs.data?.length === 0
            ? "No benchmark run is stored on this node yet: npm run bench stores one when the node's database is reachable (or npm run bench -- --import FILE.json)."
            : "Fills the field with the run's acceptance verdicts and machine facts. The node re-derives them from the stored run when the proposal arrives and refuses any that differ."}
      </p>
      <p id="benchmark_run-status" role="status" className={`mt-1 text-xs ${status.error ? "text-rose-300" : edited ? "text-amber-200" : "text-emerald-300"}`} data-testid="benchmark-run-status">
        {edited ? `Edited since it was filled from run ${filled.id}: the node will refuse benchmark results that differ from the stored run.` : status.text}
      </p>
    </div>
  );
}
