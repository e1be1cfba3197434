"use client";
/**
 * Draws one benchmark chart (lib/bench/bench-charts.ts) with Recharts: a line per series over a numeric (optionally
 * logarithmic) x axis, or grouped bars over categories. It only lays out the values it is given; the figure around it
 * (components/bench/bench-chart.tsx) carries the title, a summary in words and the values as a table.
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

import type { BenchChart } from "@/lib/bench/bench-charts";

import { usePrefersReducedMotion } from "../ui/use-reduced-motion";

/** The dashboard's series colours (components/charts/line-chart.tsx), each over 3:1 against the card background. */
const PALETTE = ["#38bdf8", "#fbbf24", "#34d399", "#f472b6", "#a78bfa", "#fb7185", "#2dd4bf"];
const AXIS_TEXT = "#90a1b9";
const AXIS_LINE = "#64748b";
const TICK = { fill: AXIS_TEXT, fontSize: 11 };
const TOOLTIP = { background: "#0f172a", border: "1px solid #334155", fontSize: 12 };

const number = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const fmt = (v: unknown) => (typeof v === "number" ? number.format(v) : String(v ?? "–"));

export function BenchChartPlot({ chart, height = 260 }: { chart: BenchChart; height?: number }) {
  const reducedMotion = usePrefersReducedMotion();
  if (chart.kind === "bar") {
    const rows = chart.categories.map((category, x) => {
      const row: Record<string, string | number | null> = { category };
      for (const s of chart.series) row[s.id] = s.points.find((p) => p.x === x)?.y ?? null;
      return row;
    });
    return (
      <BarChart responsive data={rows} style={{ width: "100%", height }} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
        <XAxis dataKey="category" stroke={AXIS_LINE} tick={TICK} interval={0} angle={chart.categories.length > 5 ? -25 : 0} textAnchor={chart.categories.length > 5 ? "end" : "middle"} height={chart.categories.length > 5 ? 70 : 30} />
        <YAxis tickFormatter={fmt} stroke={AXIS_LINE} tick={TICK} width={56} label={{ value: chart.yLabel, angle: -90, position: "insideLeft", fill: AXIS_TEXT, fontSize: 11 }} />
        <Tooltip isAnimationActive={!reducedMotion} contentStyle={TOOLTIP} labelStyle={{ color: "#e2e8f0" }} formatter={fmt} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {chart.series.map((s, i) => (
          <Bar key={s.id} dataKey={s.id} name={s.label} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const log = chart.xScale === "log" && xs.every((x) => x > 0);
  return (
    <LineChart responsive style={{ width: "100%", height }} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
      <XAxis
        dataKey="x"
        type="number"
        scale={log ? "log" : "linear"}
        domain={["dataMin", "dataMax"]}
        ticks={xs.length <= 12 ? xs : undefined}
        tickFormatter={fmt}
        stroke={AXIS_LINE}
        tick={TICK}
        allowDuplicatedCategory={false}
        label={{ value: chart.xLabel, position: "insideBottom", offset: -2, fill: AXIS_TEXT, fontSize: 11 }}
        height={36}
      />
      <YAxis tickFormatter={fmt} stroke={AXIS_LINE} tick={TICK} width={56} label={{ value: chart.yLabel, angle: -90, position: "insideLeft", fill: AXIS_TEXT, fontSize: 11 }} />
      <Tooltip isAnimationActive={!reducedMotion} contentStyle={TOOLTIP} labelStyle={{ color: "#e2e8f0" }} labelFormatter={fmt} formatter={fmt} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {chart.series.map((s, i) => (
        <Line
          key={s.id}
          data={s.points}
          dataKey="y"
          name={s.label}
          type="linear"
          stroke={PALETTE[i % PALETTE.length]}
          strokeWidth={1.5}
          dot={{ r: 2.5 }}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
