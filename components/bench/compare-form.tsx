/**
 * Choose two runs to compare: a plain GET form (two labelled selects and a submit button), so it works with the
 * keyboard and without JavaScript, and the comparison has a URL (/benchmarks/compare?a=..&b=..).
 */
import type { BenchRunSummary } from "@/server/bench/bench-run-repository";

import { runOptionLabel } from "./format";

export function CompareForm({ runs, a, b }: { runs: readonly BenchRunSummary[]; a?: string; b?: string }) {
  const stages = [...new Set(runs.map((r) => r.stage))];
  const options = stages.map((stage) => (
    <optgroup key={stage} label={stage}>
      {runs
        .filter((r) => r.stage === stage)
        .map((r) => (
          <option key={r.id} value={r.id}>
            {runOptionLabel(r)}
          </option>
        ))}
    </optgroup>
  ));
  // By default: the newest run against the previous run of its stage.
  const defaultB = b ?? runs[0]?.id;
  const stageOfB = runs.find((r) => r.id === defaultB)?.stage;
  const defaultA = a ?? runs.find((r) => r.stage === stageOfB && r.id !== defaultB)?.id ?? defaultB;
  const select = "mt-1 block w-full rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";
  return (
    <form action="/benchmarks/compare" method="get" className="flex flex-wrap items-end gap-3" aria-label="Compare two runs">
      <label className="min-w-64 flex-1 text-xs text-slate-300">
        Run A (baseline)
        <select name="a" defaultValue={defaultA} className={select}>
          {options}
        </select>
      </label>
      <label className="min-w-64 flex-1 text-xs text-slate-300">
        Run B
        <select name="b" defaultValue={defaultB} className={select}>
          {options}
        </select>
      </label>
      <button type="submit" className="rounded border border-sky-600 bg-sky-900/60 px-3 py-1 text-sm font-medium text-sky-100 hover:bg-sky-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
        Compare
      </button>
    </form>
  );
}
