/** Benchmarks (/benchmarks): the stored `npm run bench` runs, newest first, and the form to compare two of them. */
import type { Metadata } from "next";

import { CompareForm } from "@/components/bench/compare-form";
import { RunList } from "@/components/bench/run-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/server/api/caller";

export const metadata: Metadata = { title: "Benchmarks" };
export const dynamic = "force-dynamic";

export default async function BenchmarksPage() {
  const runs = await api.bench.runs();
  return (
    <>
      <PageHeader
        title="Benchmarks"
        description="Results of npm run bench stored in this node's database: acceptance against the plan's criteria and the project's targets."
      />
      {runs.length === 0 ? (
        <Card title="No runs stored yet">
          <div className="space-y-2 text-sm text-slate-300">
            <p>
              Run a benchmark on this node to see it here. A quick smoke run of the hash micro-benchmarks takes under a minute:
            </p>
            <pre className="overflow-x-auto rounded bg-slate-950 px-3 py-2 font-mono text-xs text-slate-100">npm run bench -- --quick</pre>
            <p>
              Each run is stored here when the node&apos;s database is reachable (DATABASE_URL, or the embedded PostgreSQL of{" "}
              <code className="font-mono text-xs">npm start</code> running), and always written to bench/results/ as JSON, CSV and an HTML
              report. An earlier result file is stored with <code className="font-mono text-xs">npm run bench -- --import FILE.json</code>.
            </p>
          </div>
        </Card>
      ) : (
        <div className="space-y-4">
          <Card title="Runs">
            <RunList runs={runs} />
          </Card>
          {runs.length > 1 ? (
            <Card title="Compare two runs">
              <CompareForm runs={runs} />
            </Card>
          ) : null}
        </div>
      )}
    </>
  );
}
