"use client";
/**
 * The tally as one horizontal bar per quantity against the two lines that decide it: participation against the
 * quorum power (40% of frozen power) and YES against the approval threshold (667/1000 of YES + NO). Numbers come
 * from lib's tally (exact integers as decimal strings); the chart only draws them, and the table beside it states them.
 */
import { Bar, BarChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

import type { Tally } from "@/lib/governance/tally";

export function TallyChart({ tally }: { tally: Tally }) {
  const n = (s: string) => Number(s);
  const decided = n(tally.yes) + n(tally.no);
  const approvalNeeded = Math.ceil((decided * 667) / 1000);
  const rows = [
    { name: "Participation", value: n(tally.cast), line: n(tally.quorum_power) },
    { name: "YES", value: n(tally.yes), line: approvalNeeded },
    { name: "NO", value: n(tally.no), line: null },
    { name: "ABSTAIN", value: n(tally.abstain), line: null },
  ];
  return (
    <figure>
      <figcaption className="mb-1 text-xs text-slate-300">
        Participation {tally.cast} of {tally.total_power} (quorum {tally.quorum_power}, dashed) · YES {tally.yes} of {decided} decided (threshold 66.7%: {approvalNeeded}, dotted)
      </figcaption>
      <BarChart responsive layout="vertical" data={rows} style={{ width: "100%", height: 180 }} margin={{ left: 8, right: 16 }}>
        {/* Tick text coloured by hand (slate-400, about 7:1 on the card): axe does not measure SVG text. */}
        <XAxis type="number" domain={[0, Math.max(n(tally.total_power), 1)]} stroke="#94a3b8" tick={{ fill: "#94a3b8", fontSize: 11 }} />
        <YAxis type="category" dataKey="name" stroke="#94a3b8" tick={{ fill: "#94a3b8", fontSize: 11 }} width={90} />
        <Tooltip contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }} />
        <Bar dataKey="value" fill="#38bdf8" isAnimationActive={false} />
        <ReferenceLine x={n(tally.quorum_power)} stroke="#fbbf24" strokeDasharray="6 3" label={{ value: "quorum", fill: "#fbbf24", fontSize: 11, position: "top" }} />
        {decided > 0 ? <ReferenceLine x={approvalNeeded} stroke="#34d399" strokeDasharray="2 2" label={{ value: "66.7%", fill: "#34d399", fontSize: 11, position: "insideBottomRight" }} /> : null}
      </BarChart>
    </figure>
  );
}
