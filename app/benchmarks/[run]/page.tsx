/** One stored benchmark run (/benchmarks/<id>): machine facts, acceptance table, charts, the stage's tables and metrics. */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { AcceptanceTable } from "@/components/bench/acceptance-table";
import { BenchChartFigure } from "@/components/bench/bench-chart";
import { CompareForm } from "@/components/bench/compare-form";
import { formatBenchNumber, formatRunTime } from "@/components/bench/format";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { StatCard, StatGrid } from "@/components/ui/stat-card";
import { api } from "@/server/api/caller";

import { loadRun } from "../load-run";

type Params = Promise<{ run: string }>;

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const run = await loadRun((await params).run);
  return { title: run ? `Benchmark ${run.stage} #${run.id}` : "Benchmark run not found" };
}

export default async function BenchmarkRunPage({ params }: { params: Params }) {
  const run = await loadRun((await params).run);
  if (!run) notFound();
  const doc = run.document;
  const env = doc.environment;
  const sameStage = (await api.bench.runs({ stage: run.stage })).filter((r) => r.id !== run.id);
  // By key: a document read back from jsonb has lost its key order.
  const metrics = Object.entries(doc.metrics)
    .map(([key, m]) => ({ key, ...m }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return (
    <>
      <PageHeader
        title={`${run.stage}: ${doc.title}`}
        description={
          <>
            Run #{run.id}, started {formatRunTime(run.startedAt)}, {run.quick ? "quick (numbers indicative only)" : "full"}.{" "}
            <Link href="/benchmarks" className="text-sky-300 underline underline-offset-2 hover:text-sky-200">
              All runs
            </Link>
          </>
        }
      />
      <div className="space-y-4">
        <section aria-labelledby="machine-heading">
          <h2 id="machine-heading" className="sr-only">
            Machine and run
          </h2>
          <StatGrid>
            <StatCard
              label="Acceptance"
              value={run.counts.total === 0 ? "–" : `${run.counts.pass}/${run.counts.total} PASS`}
              tone={run.counts.total === 0 ? "neutral" : run.passed ? "good" : "bad"}
            />
            <StatCard label="Cores" value={env.cpu_count} detail={env.cpu_model} />
            <StatCard label="Load average" value={`${formatBenchNumber(env.load_average_start)} → ${formatBenchNumber(env.load_average_end)}`} detail="1-minute, at start and end" />
            <StatCard label="Duration" value={`${formatBenchNumber(doc.duration_ms / 1000)} s`} detail={`Node ${env.node}${env.git_commit ? `, ${env.git_commit.slice(0, 8)}` : ""}`} />
          </StatGrid>
        </section>
        <Card title="Acceptance">
          <AcceptanceTable acceptance={doc.acceptance} caption={`Acceptance of run #${run.id}: measured value, target, result and the plan's bar`} />
        </Card>
        {run.charts.length > 0 ? (
          <Card title="Charts">
            <div className="grid gap-6 lg:grid-cols-2">
              {run.charts.map((chart) => (
                <BenchChartFigure key={chart.id} chart={chart} />
              ))}
            </div>
          </Card>
        ) : null}
        {doc.tables.map((t) => (
          <Card key={t.id} title={t.title}>
            <DataTable
              caption={t.title}
              captionHidden
              rows={t.rows}
              rowKey={(r) => JSON.stringify(r)}
              empty="No rows."
              columns={t.columns.map((c) => ({ id: c.key, header: c.label, align: c.align, cell: (r: Record<string, string>) => r[c.key] ?? "" }))}
            />
            {(t.notes ?? []).map((n) => (
              <p key={n} className="mt-1 text-xs text-slate-400">
                {n}
              </p>
            ))}
          </Card>
        ))}
        <Card title="Metrics">
          <DataTable
            caption={`Metrics of run #${run.id}`}
            captionHidden
            rows={metrics}
            rowKey={(m) => m.key}
            empty="No metrics."
            columns={[
              { id: "key", header: "Metric", mono: true, cell: (m) => m.key },
              { id: "value", header: "Value", align: "right", mono: true, cell: (m) => `${formatBenchNumber(m.value)} ${m.unit}` },
              { id: "what", header: "What", cell: (m) => <span className="text-xs text-slate-400">{m.description}</span> },
            ]}
          />
        </Card>
        {doc.notes.length > 0 ? (
          <Card title="Notes">
            <ul className="list-disc space-y-1 pl-5 text-sm text-slate-300">
              {doc.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </Card>
        ) : null}
        {sameStage.length > 0 ? (
          <Card title={`Compare with another ${run.stage} run`}>
            <CompareForm runs={[run, ...sameStage]} a={sameStage[0].id} b={run.id} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
