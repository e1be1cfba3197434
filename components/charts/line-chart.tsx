"use client";
/**
 * Line chart wrapper over Recharts. It draws what it is given: series arrive already shaped (see ./series.ts) and
 * this component only lays them out, so the numbers on screen are exactly the ones lib/ computed.
 */
import { CartesianGrid, Legend, Line, LineChart as RechartsLineChart, Tooltip, XAxis, YAxis } from "recharts";

import { usePrefersReducedMotion } from "../ui/use-reduced-motion";
import { formatValue, toChartRows, type ChartSeries, type ValueFormat } from "./series";

/** Series colours in order; chosen to stay distinct on the slate background (each over 3:1 against it, WCAG 1.4.11). */
const PALETTE = ["#38bdf8", "#fbbf24", "#34d399", "#f472b6", "#a78bfa", "#fb7185"];
/** Tick labels are text: slate-400 (#90a1b9) is about 7:1 on the card background, where slate-500 was under 4.5:1. */
const AXIS_TEXT = "#90a1b9";
/** Axis lines are graphics, not text: slate-500 keeps them over 3:1 without competing with the data. */
const AXIS_LINE = "#64748b";
const TICK = { fill: AXIS_TEXT, fontSize: 11 };

export interface LineChartProps {
  /** Visible title; also names the chart for assistive technology. */
  title: string;
  series: readonly ChartSeries[];
  xFormat?: ValueFormat;
  yFormat?: ValueFormat;
  /** Pixel height; the chart takes the container's full width. */
  height?: number;
  /** Shown instead of an empty plot when no series has a point. */
  empty?: string;
}

export function LineChart({ title, series, xFormat = "integer", yFormat = "decimal", height = 220, empty = "No data yet." }: LineChartProps) {
  const rows = toChartRows(series);
  // Lines never animate (the live charts redraw on every poll); the tooltip follows the preference.
  const reducedMotion = usePrefersReducedMotion();
  return (
    <figure className="w-full">
      <figcaption className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">{title}</figcaption>
      {rows.length === 0 ? (
        <p className="flex items-center justify-center text-sm text-slate-400" style={{ height }}>
          {empty}
        </p>
      ) : (
        <RechartsLineChart responsive data={rows} style={{ width: "100%", height }} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(v: number) => formatValue(v, xFormat)}
            stroke={AXIS_LINE}
            tick={TICK}
          />
          <YAxis tickFormatter={(v: number) => formatValue(v, yFormat)} stroke={AXIS_LINE} tick={TICK} width={56} />
          <Tooltip
            isAnimationActive={!reducedMotion}
            contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
            labelStyle={{ color: "#e2e8f0" }}
            labelFormatter={(v) => formatValue(Number(v), xFormat)}
            formatter={(v) => (typeof v === "number" ? formatValue(v, yFormat) : String(v ?? "–"))}
          />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {series.map((s, i) => (
            <Line
              key={s.id}
              dataKey={s.id}
              name={s.label}
              type="monotone"
              stroke={PALETTE[i % PALETTE.length]}
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </RechartsLineChart>
      )}
    </figure>
  );
}
