/**
 * A proposal's `benchmark_results` on its page. Filled from a stored run (lib/bench/bench-run.ts
 * proposalBenchmarkResults, checked by the node against that run on arrival): the run's stage, time, machine and
 * acceptance verdicts, with a link to the run on the Benchmarks page. Anything else: the JSON as the proposer wrote it.
 */
import Link from "next/link";

import { DataTable } from "@/components/ui/data-table";

interface Criterion {
  id: string;
  unit: string;
  comparison: "at-most" | "at-least";
  value: number | null;
  target: number;
  status: string;
  plan_bar: number | null;
  plan_status: string | null;
}

const fmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });
const withUnit = (v: number | null, unit: string) => (v === null ? "missing" : unit === "%" ? `${fmt.format(v)}%` : `${fmt.format(v)} ${unit}`);
const bound = (c: Criterion, v: number | null) => (v === null ? "–" : `${c.comparison === "at-most" ? "≤" : "≥"} ${withUnit(v, c.unit)}`);

function isRunResults(r: Record<string, unknown>): boolean {
  return r.source === "mathledger-pq bench" && typeof r.bench_run_id === "string" && Array.isArray(r.acceptance);
}

export function BenchmarkResultsView({ results }: { results: Record<string, unknown> }) {
  if (!isRunResults(results)) {
    return Object.keys(results).length === 0 ? (
      <p className="text-sm text-slate-300">None given.</p>
    ) : (
      <pre aria-label="benchmark results" className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950 p-2 text-xs text-slate-200">
        {JSON.stringify(results, null, 2)}
      </pre>
    );
  }
  const id = String(results.bench_run_id);
  const env = (results.environment ?? {}) as Record<string, unknown>;
  const criteria = results.acceptance as Criterion[];
  return (
    <div className="space-y-2" data-testid="proposal-benchmarks">
      <p className="text-sm text-slate-200">
        From benchmark run{" "}
        <Link href={`/benchmarks/${id}`} className="text-sky-300 underline underline-offset-2 hover:text-sky-200">
          {id}
        </Link>
        : stage <strong>{String(results.stage)}</strong>
        {results.quick ? " (quick run: indicative numbers only)" : ""}, started {String(results.started_at)}, on {String(env.cpu_count ?? "?")} cores
        {env.node ? `, Node ${String(env.node)}` : ""}. <strong>{results.passed ? "PASS" : "FAIL"}</strong>: {String(results.criteria_passed)} of {String(results.criteria_total)} criteria met. The node
        checked these figures against its stored run when the proposal arrived.
      </p>
      <DataTable
        caption={`Acceptance verdicts of benchmark run ${id}`}
        captionHidden
        rows={criteria}
        rowKey={(c) => c.id}
        empty="The run's stage has no acceptance criteria."
        columns={[
          { id: "id", header: "Criterion", cell: (c) => c.id, mono: true },
          { id: "value", header: "Measured", cell: (c) => withUnit(c.value, c.unit), align: "right" },
          { id: "target", header: "Target", cell: (c) => bound(c, c.target), align: "right" },
          { id: "status", header: "Result", cell: (c) => c.status },
          { id: "plan", header: "Plan bar", cell: (c) => (c.plan_bar === null ? "–" : `${bound(c, c.plan_bar)} (${c.plan_status ?? "-"})`), align: "right" },
        ]}
      />
    </div>
  );
}
