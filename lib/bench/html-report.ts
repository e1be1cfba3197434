/**
 * A self-contained HTML report of one stage result (bench/results/<stage>-<timestamp>.html): inline CSS and inline
 * SVG charts, no script, no external resource, so it opens offline from a file or an e-mail attachment. It shows
 * what the Benchmarks page shows for a run: the machine, the acceptance table, the charts (lib/bench/bench-charts.ts,
 * each with its values as a table) and the stage's own tables and notes.
 *
 * Pure: a document in, a string out.
 */
import { chartsForDocument, chartTable, type BenchChart } from "./bench-charts";
import type { BenchResultDocument } from "./bench-result";
import { acceptanceCounts } from "./bench-run";

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const fmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

function formatNumber(value: number | null): string {
  return value === null ? "–" : fmt.format(value);
}

// The dashboard's palette (components/charts/line-chart.tsx), each over 3:1 on the dark background; text colours
// over 4.5:1 (WCAG AA).
const PALETTE = ["#38bdf8", "#fbbf24", "#34d399", "#f472b6", "#a78bfa", "#fb7185", "#2dd4bf"];
const CSS = `
body{margin:0;padding:24px;background:#0f172a;color:#e2e8f0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:1100px;margin:0 auto}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}h3{font-size:14px;margin:16px 0 6px}
p.meta,figcaption,.note{color:#cbd5e1}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
caption{text-align:left;color:#cbd5e1;padding-bottom:4px}
th,td{border-bottom:1px solid #334155;padding:4px 6px;text-align:left;vertical-align:top}
th{color:#cbd5e1;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto}
.pass{color:#4ade80;font-weight:600}.fail{color:#f87171;font-weight:600}
figure{margin:12px 0;padding:8px;border:1px solid #334155;border-radius:6px;background:#111c31}
svg text{fill:#cbd5e1;font-size:11px}
details summary{cursor:pointer;color:#cbd5e1}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dt{color:#94a3b8}dd{margin:0}
`;

const W = 720;
const H = 260;
const M = { top: 12, right: 32, bottom: 56, left: 64 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function legend(chart: BenchChart): string {
  const rows = Math.ceil(chart.series.length / 4);
  return chart.series
    .map((s, i) => {
      const x = M.left + (i % 4) * 165;
      const y = H - 6 - (rows - 1 - Math.floor(i / 4)) * 14;
      return `<g transform="translate(${x},${y})"><rect width="10" height="10" y="-9" fill="${PALETTE[i % PALETTE.length]}"/><text x="14">${escapeHtml(s.label)}</text></g>`;
    })
    .join("");
}

/** One chart as inline SVG: axes with ticks, a line (with dots) or grouped bars per series, a legend. */
export function renderChartSvg(chart: BenchChart): string {
  const points = chart.series.flatMap((s) => s.points);
  const innerW = W - M.left - M.right;
  const legendRows = Math.ceil(chart.series.length / 4);
  const innerH = H - M.top - M.bottom - (legendRows - 1) * 14;
  const yMax = niceMax(Math.max(...points.map((p) => p.y), 0));
  const yOf = (y: number) => M.top + innerH - (y / yMax) * innerH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const y = yOf(v);
    parts.push(`<line x1="${M.left}" x2="${M.left + innerW}" y1="${y}" y2="${y}" stroke="#334155" stroke-dasharray="3 3"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${escapeHtml(formatNumber(v))}</text>`);
  }
  parts.push(`<text x="12" y="${M.top + innerH / 2}" transform="rotate(-90 12 ${M.top + innerH / 2})" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>`);
  parts.push(`<line x1="${M.left}" x2="${M.left + innerW}" y1="${M.top + innerH}" y2="${M.top + innerH}" stroke="#64748b"/>`);
  if (chart.kind === "bar") {
    const groups = Math.max(chart.categories.length, 1);
    const groupW = innerW / groups;
    const barW = Math.max(2, (groupW * 0.8) / Math.max(chart.series.length, 1));
    chart.series.forEach((s, si) => {
      for (const p of s.points) {
        const x = M.left + p.x * groupW + groupW * 0.1 + si * barW;
        const y = yOf(p.y);
        parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${(M.top + innerH - y).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeHtml(`${s.label}, ${chart.categories[p.x] ?? p.x}: ${formatNumber(p.y)} ${chart.yLabel}`)}</title></rect>`);
      }
    });
    chart.categories.forEach((c, i) => {
      const x = M.left + i * groupW + groupW / 2;
      const label = c.length > 14 ? `${c.slice(0, 13)}…` : c;
      parts.push(`<text x="${x.toFixed(1)}" y="${M.top + innerH + 14}" text-anchor="middle">${escapeHtml(label)}</text>`);
    });
  } else {
    const xs = points.map((p) => p.x);
    const log = chart.xScale === "log" && xs.every((x) => x > 0);
    const t = (x: number) => (log ? Math.log10(x) : x);
    // A linear axis starts at 0 (a CDF's times, overheads); a log axis spans the data (64 B to 1 MB).
    const lo = log ? Math.min(...xs.map(t)) : 0;
    const hi = log ? Math.max(...xs.map(t)) : niceMax(Math.max(...xs));
    const span = hi - lo || 1;
    const xOf = (x: number) => M.left + ((t(x) - lo) / span) * innerW;
    const ticks = log ? [...new Set(xs)].sort((a, b) => a - b) : [0, 1, 2, 3, 4].map((i) => (hi * i) / 4);
    let lastTick = Number.NEGATIVE_INFINITY;
    for (const x of ticks) {
      // Skip a tick label that would overlap the previous one.
      if (xOf(x) - lastTick < 48) continue;
      lastTick = xOf(x);
      parts.push(`<text x="${xOf(x).toFixed(1)}" y="${M.top + innerH + 14}" text-anchor="middle">${escapeHtml(formatNumber(x))}</text>`);
    }
    chart.series.forEach((s, si) => {
      const colour = PALETTE[si % PALETTE.length];
      const d = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${xOf(p.x).toFixed(1)},${yOf(p.y).toFixed(1)}`).join(" ");
      // Every other series dashed, so one drawn exactly over another (PQ over legacy at equal times) stays visible.
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"${si % 2 === 1 ? ' stroke-dasharray="6 4"' : ""}/>`);
      for (const p of s.points) {
        parts.push(`<circle cx="${xOf(p.x).toFixed(1)}" cy="${yOf(p.y).toFixed(1)}" r="2.5" fill="${colour}"><title>${escapeHtml(`${s.label}: ${formatNumber(p.x)} ${chart.xLabel} → ${formatNumber(p.y)} ${chart.yLabel}`)}</title></circle>`);
      }
    });
  }
  parts.push(`<text x="${M.left + innerW / 2}" y="${M.top + innerH + 28}" text-anchor="middle">${escapeHtml(chart.xLabel)}${chart.xScale === "log" && chart.kind === "line" ? " (log scale)" : ""}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(chart.summary)}">${parts.join("")}${legend(chart)}</svg>`;
}

function table(caption: string, header: string[], rows: string[][], numeric: (column: number) => boolean = () => false, raw = false): string {
  const cell = (text: string, column: number) => `<td${numeric(column) ? ' class="num"' : ""}>${raw ? text : escapeHtml(text)}</td>`;
  return `<div class="scroll"><table><caption>${escapeHtml(caption)}</caption><thead><tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join("")}</tr>`)
    .join("")}</tbody></table></div>`;
}

function acceptanceSection(doc: BenchResultDocument): string {
  if (doc.acceptance.length === 0) return `<h2>Acceptance</h2><p>This stage has no acceptance criteria.</p>`;
  const rows = doc.acceptance.map((a) => {
    const bound = a.comparison === "at-most" ? "≤" : "≥";
    const status = `<span class="${a.status === "PASS" ? "pass" : "fail"}">${escapeHtml(a.status)}</span>`;
    return [
      escapeHtml(`${a.id}: ${a.description}`),
      escapeHtml(`${formatNumber(a.value)} ${a.unit}`),
      escapeHtml(`${bound} ${formatNumber(a.target)} ${a.unit}`),
      status,
      escapeHtml(a.plan_bar === null ? "–" : `${bound} ${formatNumber(a.plan_bar)} ${a.unit}${a.plan_status ? ` (${a.plan_status})` : ""}`),
    ];
  });
  const counts = acceptanceCounts(doc.acceptance);
  return `<h2>Acceptance: ${counts.pass} of ${counts.total} PASS</h2>${table(
    `Acceptance of ${doc.stage}: measured value, the project's target, verdict and the plan's bar`,
    ["criterion", "measured", "target", "result", "plan bar"],
    rows,
    (c) => c === 1 || c === 2 || c === 4,
    true,
  )}`;
}

function chartSection(charts: BenchChart[]): string {
  if (charts.length === 0) return "";
  return `<h2>Charts</h2>${charts
    .map((chart) => {
      const data = chartTable(chart);
      return `<figure><figcaption>${escapeHtml(chart.title)}</figcaption>${renderChartSvg(chart)}<details><summary>Values of “${escapeHtml(chart.title)}”</summary>${table(
        chart.title,
        data.header,
        data.rows,
        (c) => c > 0,
      )}</details></figure>`;
    })
    .join("")}`;
}

/** A whole HTML page around `body`: the report's inline style, nothing fetched. */
export function renderReportPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

/** A table of display strings (for reports built from several documents, lib/bench/week-report.ts). */
export function renderHtmlTable(caption: string, header: string[], rows: string[][], numeric: (column: number) => boolean = () => false): string {
  return table(caption, header, rows, numeric);
}

/** The machine and run facts of a document, as a definition list. */
export function renderFacts(doc: BenchResultDocument): string {
  const env = doc.environment;
  const facts: [string, string][] = [
    ["started", doc.started_at],
    ["duration", `${formatNumber(doc.duration_ms / 1000)} s`],
    ["mode", doc.quick ? "quick (indicative numbers only)" : "full"],
    ["machine", `${env.cpu_count} cores, ${env.cpu_model ?? "unknown CPU"}, ${formatNumber(env.total_memory_mb)} MB`],
    ["load average", `${formatNumber(env.load_average_start)} at start, ${formatNumber(env.load_average_end)} at end`],
    ["versions", `Node ${env.node}, ${env.platform ?? ""} ${env.arch ?? ""}${env.git_commit ? `, commit ${env.git_commit.slice(0, 12)}` : ""}`],
  ];
  return `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

/**
 * A document's sections (acceptance, charts, tables, metrics, notes), headed from `<h{level}>` down, so a report
 * of several stages can nest each under its own heading.
 */
export function renderStageSections(doc: BenchResultDocument, level: 2 | 3 = 2): string {
  const charts = chartsForDocument(doc);
  const metricRows = Object.entries(doc.metrics).map(([key, m]) => [key, formatNumber(m.value), m.unit, m.description]);
  const tables = doc.tables
    .map((t) =>
      `<h3>${escapeHtml(t.title)}</h3>${table(t.title, t.columns.map((c) => c.label), t.rows.map((r) => t.columns.map((c) => r[c.key] ?? "")), (i) => t.columns[i]?.align === "right")}${(t.notes ?? [])
        .map((n) => `<p class="note">${escapeHtml(n)}</p>`)
        .join("")}`,
    )
    .join("");
  const html = `${acceptanceSection(doc)}
${chartSection(charts)}
${tables ? `<h2>Tables</h2>${tables}` : ""}
${metricRows.length > 0 ? `<h2>Metrics</h2>${table(`Metrics of ${doc.stage}`, ["metric", "value", "unit", "what"], metricRows, (c) => c === 1)}` : ""}
${doc.notes.length > 0 ? `<h2>Notes</h2>${doc.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("")}` : ""}`;
  // One level down: h3 → h4 first, then h2 → h3.
  return level === 2 ? html : html.replace(/<(\/?)h3>/g, "<$1h4>").replace(/<(\/?)h2>/g, "<$1h3>");
}

/** The whole report as one HTML document. */
export function renderHtmlReport(doc: BenchResultDocument): string {
  return renderReportPage(
    `Benchmark ${doc.stage} ${doc.started_at}`,
    `<h1>${escapeHtml(doc.title)}</h1>
<p class="meta">Stage <strong>${escapeHtml(doc.stage)}</strong> of <code>npm run bench</code>, ${escapeHtml(doc.schema)}</p>
${renderFacts(doc)}
${renderStageSections(doc)}`,
  );
}
