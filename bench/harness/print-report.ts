/**
 * The readable report of one stage's result document, as printed on stdout: a header with the machine's state,
 * the stage's tables and notes, then the acceptance verdicts of its criteria.
 */
import { formatBound } from "../../lib/bench/acceptance";
import type { AcceptanceRecord, BenchResultDocument } from "../../lib/bench/bench-result";
import { renderTextTable, type ReportTable } from "../../lib/bench/report-table";
import { formatNumber } from "./number-format";

function formatValue(value: number | null, unit: string): string {
  if (value === null) return "missing";
  return unit === "%" ? `${formatNumber(value)}%` : `${formatNumber(value)} ${unit}`;
}

export function acceptanceTable(records: readonly AcceptanceRecord[]): ReportTable {
  return {
    id: "acceptance",
    title: "Acceptance: our targets (issues 2 and 3) and the plan's bar (PLAN.md §2) where it has one",
    columns: [
      { key: "criterion", label: "criterion" },
      { key: "measured", label: "measured", align: "right" },
      { key: "target", label: "target", align: "right" },
      { key: "status", label: "result" },
      { key: "plan", label: "plan bar", align: "right" },
      { key: "planStatus", label: "plan" },
    ],
    rows: records.map((r) => ({
      criterion: r.description,
      measured: formatValue(r.value, r.unit),
      target: formatBound(r.comparison, r.target, r.unit),
      status: r.status,
      plan: r.plan_bar === null ? "-" : formatBound(r.comparison, r.plan_bar, r.unit),
      planStatus: r.plan_status ?? "-",
    })),
  };
}

export function renderStageReport(doc: BenchResultDocument): string {
  const env = doc.environment;
  const lines = [
    `=== ${doc.stage}: ${doc.title}${doc.quick ? " (--quick: few samples, numbers indicative only)" : ""}`,
    `node ${env.node}, ${env.cpu_count} × ${env.cpu_model}, load average ${formatNumber(env.load_average_start)} → ${formatNumber(env.load_average_end)}, ` +
      `hash-wasm ${env.packages["hash-wasm"] ?? "?"}, @noble/hashes ${env.packages["@noble/hashes"] ?? "?"}, ${formatNumber(doc.duration_ms / 1000)} s`,
  ];
  if (env.load_average_start > env.cpu_count * 0.75) {
    lines.push(`warning: the machine was busy when the stage started (load ${formatNumber(env.load_average_start)} on ${env.cpu_count} cores); absolute times may be inflated, same-run ratios less so.`);
  }
  for (const table of doc.tables) lines.push("", renderTextTable(table));
  if (doc.notes.length > 0) lines.push("", "Notes:", ...doc.notes.map((n) => `  - ${n}`));
  if (doc.acceptance.length > 0) lines.push("", renderTextTable(acceptanceTable(doc.acceptance)));
  return lines.join("\n");
}
