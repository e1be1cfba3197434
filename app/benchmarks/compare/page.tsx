/**
 * Two runs of one stage side by side (/benchmarks/compare?a=<id>&b=<id>): acceptance, every metric with the ratio
 * B / A, and each chart of both runs next to each other.
 */
import type { Metadata } from "next";
import Link from "next/link";

import { TRPCError } from "@trpc/server";

import { AcceptanceTable } from "@/components/bench/acceptance-table";
import { BenchChartFigure } from "@/components/bench/bench-chart";
import { CompareForm } from "@/components/bench/compare-form";
import { formatBenchNumber, runOptionLabel } from "@/components/bench/format";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/server/api/caller";

export const metadata: Metadata = { title: "Compare benchmark runs" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

async function load(a: string, b: string) {
  try {
    return { comparison: await api.bench.compare({ a, b }), error: null };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return { comparison: null, error: error.message };
    throw error;
  }
}

export default async function CompareRunsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const a = one(params.a);
  const b = one(params.b);
  const runs = await api.bench.runs();
  const result = a && b ? await load(a, b) : null;
  const c = result?.comparison ?? null;
  return (
    <>
      <PageHeader
        title="Compare benchmark runs"
        description={
          <>
            Two runs of the same stage; ratios are B / A.{" "}
            <Link href="/benchmarks" className="text-sky-300 underline underline-offset-2 hover:text-sky-200">
              All runs
            </Link>
          </>
        }
      />
      <div className="space-y-4">
        <Card title="Runs to compare">
          {runs.length === 0 ? (
            <p className="text-sm text-slate-300">
              No runs stored yet: <code className="font-mono text-xs">npm run bench -- --quick</code> stores one.
            </p>
          ) : (
            <CompareForm runs={runs} a={a} b={b} />
          )}
        </Card>
        {result?.error ? (
          <p role="alert" className="rounded border border-rose-700/60 bg-rose-950/60 px-3 py-2 text-sm text-rose-200">
            {result.error}
          </p>
        ) : null}
        {c ? (
          <>
            <div className="grid gap-4 lg:grid-cols-2">
              {[
                { tag: "A", run: c.a },
                { tag: "B", run: c.b },
              ].map(({ tag, run }) => (
                <Card key={tag} title={`Run ${tag}: ${runOptionLabel(run)}`}>
                  <p className="mb-2 text-xs text-slate-400">
                    {run.document.environment.cpu_count} cores, load {formatBenchNumber(run.document.environment.load_average_start)} →{" "}
                    {formatBenchNumber(run.document.environment.load_average_end)} ·{" "}
                    <Link href={`/benchmarks/${run.id}`} className="text-sky-300 underline underline-offset-2 hover:text-sky-200">
                      open run #{run.id}
                    </Link>
                  </p>
                  <AcceptanceTable acceptance={run.document.acceptance} caption={`Acceptance of run ${tag} (#${run.id})`} />
                </Card>
              ))}
            </div>
            <Card title="Metrics side by side">
              <DataTable
                caption={`Metrics of run A (#${c.a.id}) and run B (#${c.b.id}); ratio is B / A`}
                rows={c.metrics}
                rowKey={(m) => m.key}
                empty="Neither run has metrics."
                columns={[
                  { id: "key", header: "Metric", mono: true, cell: (m) => m.key },
                  { id: "a", header: `A (#${c.a.id})`, align: "right", mono: true, cell: (m) => `${formatBenchNumber(m.a)} ${m.unit}` },
                  { id: "b", header: `B (#${c.b.id})`, align: "right", mono: true, cell: (m) => `${formatBenchNumber(m.b)} ${m.unit}` },
                  { id: "ratio", header: "B / A", align: "right", mono: true, cell: (m) => (m.ratio === null ? "–" : `${formatBenchNumber(m.ratio)}×`) },
                ]}
              />
            </Card>
            {c.a.charts.length + c.b.charts.length > 0 ? (
              <Card title="Charts side by side">
                <div className="grid gap-6 lg:grid-cols-2">
                  {[...new Set([...c.a.charts, ...c.b.charts].map((ch) => ch.id))].flatMap((id) =>
                    [
                      { tag: "A", run: c.a },
                      { tag: "B", run: c.b },
                    ].map(({ tag, run }) => {
                      const chart = run.charts.find((ch) => ch.id === id);
                      return chart ? (
                        <BenchChartFigure key={`${tag}-${id}`} idPrefix={`${tag}-`} chart={{ ...chart, title: `Run ${tag}: ${chart.title}` }} />
                      ) : (
                        <p key={`${tag}-${id}`} className="text-sm text-slate-400">
                          Run {tag} has no data for this chart.
                        </p>
                      );
                    }),
                  )}
                </div>
              </Card>
            ) : null}
          </>
        ) : null}
      </div>
    </>
  );
}
