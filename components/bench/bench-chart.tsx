/**
 * One benchmark chart as a figure: its title (figcaption), the drawing, a sentence saying what it shows (the
 * drawing's text alternative) and every value in a table under a disclosure, so nothing is only in the picture.
 */
import type { BenchChart } from "@/lib/bench/bench-charts";
import { chartTable } from "@/lib/bench/bench-charts";

import { BenchChartPlot } from "./bench-chart-plot";

export function BenchChartFigure({ chart, idPrefix = "" }: { chart: BenchChart; idPrefix?: string }) {
  const table = chartTable(chart);
  const summaryId = `${idPrefix}${chart.id}-summary`;
  return (
    <figure className="w-full min-w-0" aria-describedby={summaryId} data-chart={chart.id}>
      <figcaption className="mb-1 text-sm font-semibold text-slate-200">{chart.title}</figcaption>
      <BenchChartPlot chart={chart} />
      <p id={summaryId} className="mt-1 text-xs text-slate-400">
        {chart.summary}
      </p>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-slate-300">Values as a table</summary>
        <div className="overflow-x-auto">
          <table className="mt-1 w-full border-collapse">
            <caption className="sr-only">{chart.title}: values</caption>
            <thead>
              <tr className="border-b border-slate-800 text-slate-400">
                {table.header.map((h, i) => (
                  <th key={h} scope="col" className={`px-2 py-1 font-medium ${i === 0 ? "text-left" : "text-right"}`}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r} className="border-b border-slate-800/60">
                  {row.map((cell, i) =>
                    i === 0 ? (
                      <th key={i} scope="row" className="px-2 py-0.5 text-left font-normal text-slate-300">
                        {cell}
                      </th>
                    ) : (
                      <td key={i} className="px-2 py-0.5 text-right font-mono text-slate-200">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
