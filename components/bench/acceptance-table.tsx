/** A run's acceptance verdicts: criterion, measured value, the project's target, PASS/FAIL and the plan's bar. */
import { Badge } from "@/components/chain/badges";
import { DataTable } from "@/components/ui/data-table";
import type { AcceptanceRecord } from "@/lib/bench/bench-result";

import { formatBenchNumber } from "./format";

function bound(a: AcceptanceRecord, value: number): string {
  return `${a.comparison === "at-most" ? "≤" : "≥"} ${formatBenchNumber(value)} ${a.unit}`;
}

export function VerdictBadge({ status }: { status: string }) {
  return status === "PASS" ? (
    <Badge tone="good">
      <span aria-hidden="true">✓</span> PASS
    </Badge>
  ) : (
    <Badge tone="bad">
      <span aria-hidden="true">✗</span> {status}
    </Badge>
  );
}

export function AcceptanceTable({ acceptance, caption }: { acceptance: readonly AcceptanceRecord[]; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={acceptance}
      rowKey={(a) => a.id}
      empty="This stage has no acceptance criteria."
      columns={[
        {
          id: "criterion",
          header: "Criterion",
          cell: (a) => (
            <>
              <span className="font-mono text-xs text-slate-200">{a.id}</span>
              <span className="block text-xs text-slate-400">{a.description}</span>
            </>
          ),
        },
        { id: "measured", header: "Measured", align: "right", mono: true, cell: (a) => `${formatBenchNumber(a.value)} ${a.unit}` },
        { id: "target", header: "Target", align: "right", mono: true, cell: (a) => bound(a, a.target) },
        { id: "result", header: "Result", cell: (a) => <VerdictBadge status={a.status} /> },
        {
          id: "plan",
          header: "Plan bar",
          align: "right",
          mono: true,
          cell: (a) => (a.plan_bar === null ? "–" : `${bound(a, a.plan_bar)}${a.plan_status ? ` (${a.plan_status})` : ""}`),
        },
      ]}
    />
  );
}
