/**
 * The reports of the plan's weeks (lib/bench/plan-weeks.ts): per week a self-contained HTML page (the week's CSV as a
 * table, the plan criteria it produces, then each of its stages' sections as in a stage report), and the run's
 * closing acceptance table (the plan's four criteria, then our own targets) as a report table for the terminal and
 * the HTML. Pure: documents and verdicts in, strings and tables out.
 */
import type { AcceptanceRecord, BenchResultDocument } from "./bench-result";
import { escapeHtml, renderFacts, renderHtmlTable, renderReportPage, renderStageSections } from "./html-report";
import { weekCsvCells, type PlanRow, type PlanVerdict, type PlanWeek } from "./plan-weeks";
import type { ReportTable } from "./report-table";

const fmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  // Integers (sizes, counts) in full; measured values to four significant digits, as the stage reports show them.
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en-US") : Number.isFinite(value) ? fmt.format(value) : String(value);
  return String(value);
}

function bound(comparison: "at-most" | "at-least", value: number, unit: string): string {
  return `${comparison === "at-most" ? "≤" : "≥"} ${fmt.format(value)}${unit === "%" ? "%" : ` ${unit}`}`;
}

function valueText(value: number | null, unit: string): string {
  if (value === null) return "missing";
  return unit === "%" ? `${fmt.format(value)}%` : `${fmt.format(value)} ${unit}`;
}

/** The plan's four criteria as a table: verdict, worst judged value, the bar, which stage judged it, or why not. */
export function planCriteriaTable(verdicts: readonly PlanVerdict[]): ReportTable {
  return {
    id: "plan-acceptance",
    title: "The plan's acceptance criteria (PLAN.md §2, ACCEPTANCE_CRITERIA), over the whole run",
    columns: [
      { key: "criterion", label: "criterion" },
      { key: "measured", label: "measured (worst)", align: "right" },
      { key: "bar", label: "plan bar", align: "right" },
      { key: "status", label: "result" },
      { key: "judged", label: "judged on" },
    ],
    rows: verdicts.map((v) => ({
      criterion: `${v.criterion.id} (${v.criterion.label})`,
      measured: v.worst === null ? "–" : valueText(v.worst, v.criterion.unit),
      bar: bound("at-most", v.criterion.bar, v.criterion.unit),
      status: v.status,
      judged:
        v.reason !== null
          ? v.reason
          : `${v.judged.map((j) => `${j.stage} ${j.record.id}`).join(", ")}${v.supporting.length > 0 ? `; also reported: ${v.supporting.map((s) => `${s.stage} ${s.record.id} ${valueText(s.record.value, s.record.unit)} (${s.record.plan_status ?? "-"})`).join(", ")}` : ""}`,
    })),
  };
}

/** Our own targets (every verdict of every stage of the run) in one table: PASS/FAIL against the project's target. */
export function projectTargetsTable(docs: readonly Pick<BenchResultDocument, "stage" | "acceptance">[]): ReportTable {
  const rows: Record<string, string>[] = [];
  for (const doc of docs) {
    for (const a of doc.acceptance as AcceptanceRecord[]) {
      rows.push({ stage: doc.stage, criterion: a.id, measured: valueText(a.value, a.unit), target: bound(a.comparison, a.target, a.unit), status: a.status });
    }
  }
  return {
    id: "project-targets",
    title: "Our own targets (lib/bench/acceptance.ts), stage by stage",
    columns: [
      { key: "stage", label: "stage" },
      { key: "criterion", label: "criterion" },
      { key: "measured", label: "measured", align: "right" },
      { key: "target", label: "target", align: "right" },
      { key: "status", label: "result" },
    ],
    rows,
  };
}

export interface WeekReportInput {
  week: PlanWeek;
  /** The documents of the week's stages that ran. */
  docs: readonly BenchResultDocument[];
  rows: readonly PlanRow[];
  /** Stages the week names that are not in this build or failed, with why. */
  skipped: readonly { stage: string; reason: string }[];
  /** The plan criteria this week produces. */
  verdicts: readonly PlanVerdict[];
  /** Stored row ids by stage, for links to the Benchmarks page (relative URLs; absent when kept in files only). */
  storedIds: Readonly<Record<string, string>>;
}

function tableHtml(table: ReportTable): string {
  return renderHtmlTable(
    table.title,
    table.columns.map((c) => c.label),
    table.rows.map((r) => table.columns.map((c) => r[c.key] ?? "")),
    (i) => table.columns[i]?.align === "right",
  );
}

/** One week's report as a self-contained HTML page. */
export function renderWeekReport(input: WeekReportInput): string {
  const { week, docs, rows, skipped, verdicts, storedIds } = input;
  const cells = weekCsvCells(week, rows);
  const numeric = week.columns.map((_, i) => cells.some((r) => typeof r[i] === "number") && cells.every((r) => r[i] === null || typeof r[i] === "number"));
  const csv = renderHtmlTable(
    `${week.csvName}: ${rows.length} rows`,
    [...week.columns],
    cells.map((r) => r.map(cellText)),
    (i) => numeric[i],
  );
  const parts = [
    `<h1>${escapeHtml(week.title)}</h1>`,
    `<p class="meta">PLAN.md §2, week ${week.week} of the five-week benchmark programme: stages ${week.stages.map((s) => `<code>${escapeHtml(s)}</code>`).join(", ")} of <code>npm run bench</code>${docs[0]?.quick ? " (--quick: indicative numbers only)" : ""}.</p>`,
    docs[0] ? renderFacts(docs[0]) : "",
    ...skipped.map((s) => `<p class="fail">Stage ${escapeHtml(s.stage)} did not run: ${escapeHtml(s.reason)}</p>`),
    verdicts.length > 0 ? `<h2>The plan's criteria from this week</h2>${tableHtml(planCriteriaTable(verdicts))}` : "",
    `<h2>${escapeHtml(week.csvName)}</h2>${csv}`,
    ...docs.map(
      (doc) =>
        `<section><h2>Stage ${escapeHtml(doc.stage)}: ${escapeHtml(doc.title)}</h2>${storedIds[doc.stage] ? `<p class="meta">Stored as benchmark run ${escapeHtml(storedIds[doc.stage])} (/benchmarks/${escapeHtml(storedIds[doc.stage])} on the node's portal).</p>` : ""}${renderStageSections(doc, 3)}</section>`,
    ),
  ];
  return renderReportPage(week.title, parts.filter((p) => p !== "").join("\n"));
}
