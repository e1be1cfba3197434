/** Stored benchmark runs, newest first: stage, when, quick or full, the machine's cores and load, PASS/FAIL count. */
import Link from "next/link";

import { DataTable } from "@/components/ui/data-table";
import type { BenchRunSummary } from "@/server/bench/bench-run-repository";

import { VerdictBadge } from "./acceptance-table";
import { formatBenchNumber, formatRunTime } from "./format";

export function RunList({ runs }: { runs: readonly BenchRunSummary[] }) {
  return (
    <DataTable
      caption="Stored benchmark runs, newest first"
      rows={runs}
      rowKey={(r) => r.id}
      empty="No runs stored."
      columns={[
        {
          id: "stage",
          header: "Stage",
          cell: (r) => (
            <Link href={`/benchmarks/${r.id}`} className="font-medium text-sky-300 underline-offset-2 hover:underline">
              {r.stage} <span className="sr-only">run {r.id}</span>
            </Link>
          ),
        },
        { id: "when", header: "Started", mono: true, cell: (r) => formatRunTime(r.startedAt) },
        { id: "mode", header: "Mode", cell: (r) => (r.quick ? "quick" : "full") },
        {
          id: "machine",
          header: "Machine",
          cell: (r) => `${r.cpuCount} cores, load ${formatBenchNumber(r.loadAverageStart)} → ${formatBenchNumber(r.loadAverageEnd)}`,
        },
        {
          id: "result",
          header: "Acceptance",
          cell: (r) =>
            r.counts.total === 0 ? (
              <span className="text-slate-400">no criteria</span>
            ) : (
              <span className="inline-flex items-center gap-2">
                <VerdictBadge status={r.passed ? "PASS" : "FAIL"} />
                <span className="text-xs text-slate-300">
                  {r.counts.pass} PASS / {r.counts.notPassed} FAIL
                </span>
              </span>
            ),
        },
        { id: "commit", header: "Commit", mono: true, cell: (r) => (r.gitCommit ? r.gitCommit.slice(0, 8) : "–") },
      ]}
    />
  );
}
