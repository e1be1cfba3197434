/**
 * The charts a result document supports, shaped for drawing (the Benchmarks page's Recharts and the HTML report's
 * inline SVG draw the same series). Charts are found by the document's metric keys and table ids, not by its stage
 * name, so a stage that adds a metric of a known shape gets its chart, and a stage (or a quick run) that lacks one
 * gets none rather than an empty frame:
 *
 *   hash throughput     <impl>.<algorithm>.<bytes>.mb_per_s                      (micro)
 *   dual overhead       <suite>.<statements>.dual_{sealing,validation}_overhead_pct (consensus)
 *   storage overhead    storage.<statements>.{block,header}_overhead_pct         (consensus)
 *   ingest rounds       table "ingest-rounds": columns round, kind, blocks       (ingest)
 *   scale p95           {small,large}.<endpoint>.p95_ms                          (scale)
 *   propagation CDF     <prefix>.cdf.<side>.p<NN>_ms, or <prefix>.<side>_t90_p<NN>_ms with side legacy|dual|pq
 *                       (network stages: each percentile is a point of the cumulative distribution)
 */
import type { BenchResultDocument } from "./bench-result";

export interface BenchChartPoint {
  x: number;
  y: number;
}

export interface BenchChartSeries {
  id: string;
  label: string;
  points: BenchChartPoint[];
}

export interface BenchChart {
  /** Stable within a document ("micro-throughput"); used for element ids. */
  id: string;
  title: string;
  /** "line": x is a number; "bar": x indexes `categories`. */
  kind: "line" | "bar";
  xLabel: string;
  yLabel: string;
  /** Input sizes span 64 B to 1 MB: a log axis keeps them apart. */
  xScale: "linear" | "log";
  /** Bar charts: the label of each x index. */
  categories: string[];
  series: BenchChartSeries[];
  /** One sentence a screen reader hears in place of the picture (the data table below it has every value). */
  summary: string;
}

type Metrics = BenchResultDocument["metrics"];

function groupSeries(entries: { series: string; x: number; y: number }[], label: (series: string) => string = (s) => s): BenchChartSeries[] {
  const bySeries = new Map<string, BenchChartPoint[]>();
  for (const e of entries) {
    if (!Number.isFinite(e.x) || !Number.isFinite(e.y)) continue;
    const points = bySeries.get(e.series) ?? [];
    points.push({ x: e.x, y: e.y });
    bySeries.set(e.series, points);
  }
  // Sorted, not in the document's key order: a document read back from PostgreSQL's jsonb has its keys reordered.
  return [...bySeries.entries()]
    .sort(([a], [b]) => seriesRank(a) - seriesRank(b) || a.localeCompare(b))
    .map(([id, points]) => ({ id, label: label(id), points: points.sort((a, b) => a.x - b.x) }));
}

/** Baselines first: legacy before PQ, the small chain before the large one; anything else alphabetically after. */
const SERIES_ORDER = ["small", "large", "legacy", "dual", "pq"];
function seriesRank(id: string): number {
  const i = SERIES_ORDER.indexOf(id);
  return i === -1 ? SERIES_ORDER.length : i;
}

function matchMetrics(metrics: Metrics, pattern: RegExp): { match: RegExpMatchArray; value: number }[] {
  const out: { match: RegExpMatchArray; value: number }[] = [];
  for (const [key, metric] of Object.entries(metrics)) {
    const match = key.match(pattern);
    if (match) out.push({ match, value: metric.value });
  }
  return out;
}

const number = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
/** x values are sizes and counts (1,024 bytes, 1,000 statements): shown exactly, never rounded to 3 digits. */
const exact = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

/** "series A from 1.2 to 3.4 (units)" for each series: the gist of a line chart in words. */
function rangeSummary(series: BenchChartSeries[], unit: string): string {
  return series
    .map((s) => {
      const ys = s.points.map((p) => p.y);
      return `${s.label}: ${number.format(Math.min(...ys))} to ${number.format(Math.max(...ys))} ${unit}`;
    })
    .join("; ");
}

function throughputChart(metrics: Metrics): BenchChart | null {
  const found = matchMetrics(metrics, /^([^.]+)\.([^.]+)\.(\d+)\.mb_per_s$/);
  const series = groupSeries(found.map(({ match, value }) => ({ series: `${match[1]} ${match[2]}`, x: Number(match[3]), y: value })));
  if (series.length === 0) return null;
  return {
    id: "hash-throughput",
    title: "Hash throughput by input size",
    kind: "line",
    xLabel: "input bytes",
    yLabel: "MB/s",
    xScale: "log",
    categories: [],
    series,
    summary: `Throughput in MB/s by input size for ${series.length} hash implementations. ${rangeSummary(series, "MB/s")}.`,
  };
}

function overheadChart(metrics: Metrics): BenchChart | null {
  const found = matchMetrics(metrics, /^([^.]+)\.(\d+)\.dual_(sealing|validation)_overhead_pct$/);
  const series = groupSeries(found.map(({ match, value }) => ({ series: `${match[1]} ${match[3]}`, x: Number(match[2]), y: value })));
  if (series.length === 0) return null;
  return {
    id: "dual-overhead",
    title: "Dual-hash overhead over legacy by statements per block",
    kind: "line",
    xLabel: "statements per block",
    yLabel: "overhead %",
    xScale: "log",
    categories: [],
    series,
    summary: `Sealing and validation overhead of dual over legacy blocks, in percent, by statement count. ${rangeSummary(series, "%")}.`,
  };
}

function storageChart(metrics: Metrics): BenchChart | null {
  const found = matchMetrics(metrics, /^storage\.(\d+)\.(block|header)_overhead_pct$/);
  const series = groupSeries(found.map(({ match, value }) => ({ series: match[2], x: Number(match[1]), y: value })), (s) => `${s} bytes`);
  if (series.length === 0) return null;
  return {
    id: "storage-overhead",
    title: "Storage overhead of dual blocks by statements per block",
    kind: "line",
    xLabel: "statements per block",
    yLabel: "overhead %",
    xScale: "log",
    categories: [],
    series,
    summary: `Extra bytes of a dual block over a legacy one, in percent, by statement count. ${rangeSummary(series, "%")}.`,
  };
}

/** "1,234.5" → 1234.5; table cells are display strings. */
function cellNumber(cell: string | undefined): number {
  return cell === undefined ? Number.NaN : Number(cell.replace(/[,\s]/g, ""));
}

function ingestRoundsChart(doc: Pick<BenchResultDocument, "tables">): BenchChart | null {
  const table = doc.tables.find((t) => t.id === "ingest-rounds");
  if (!table) return null;
  const series = groupSeries(table.rows.map((r) => ({ series: r.kind ?? "run", x: cellNumber(r.round), y: cellNumber(r.blocks) })));
  if (series.length === 0) return null;
  const rounds = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  return {
    id: "ingest-rounds",
    title: "Ingest rate per round",
    kind: "bar",
    xLabel: "round",
    yLabel: "blocks/s",
    xScale: "linear",
    categories: rounds.map((r) => `round ${r}`),
    // Bars are placed by category index.
    series: series.map((s) => ({ ...s, points: s.points.map((p) => ({ x: rounds.indexOf(p.x), y: p.y })) })),
    summary: `Blocks per second in each of ${rounds.length} rounds. ${rangeSummary(series, "blocks/s")}.`,
  };
}

function scaleChart(metrics: Metrics): BenchChart | null {
  const found = matchMetrics(metrics, /^(small|large)\.([^.]+)\.p95_ms$/);
  if (found.length === 0) return null;
  const endpoints = [...new Set(found.map((f) => f.match[2]))];
  const stored = metrics.stored_blocks?.value;
  const series = groupSeries(
    found.map(({ match, value }) => ({ series: match[1], x: endpoints.indexOf(match[2]), y: value })),
    (s) => (s === "large" && stored !== undefined ? `large (${number.format(stored)} blocks)` : s),
  );
  return {
    id: "scale-p95",
    title: "One-client p95 latency by endpoint, small and large chain",
    kind: "bar",
    xLabel: "endpoint",
    yLabel: "p95 ms",
    xScale: "linear",
    categories: endpoints,
    series,
    summary: `95th-percentile latency in ms of ${endpoints.length} endpoints with a small and a large chain. ${rangeSummary(series, "ms")}.`,
  };
}

const SIDE_LABEL: Record<string, string> = { legacy: "legacy", dual: "PQ (dual)", pq: "PQ" };

/** Percentile points as a cumulative distribution: x = time, y = share of blocks reached by then. */
function propagationCharts(metrics: Metrics): BenchChart[] {
  const found = [
    ...matchMetrics(metrics, /^(.+)\.cdf\.(legacy|dual|pq)\.p(\d+)_ms$/),
    ...matchMetrics(metrics, /^(.+)\.(legacy|dual|pq)_t90_p(\d+)_ms$/),
  ];
  const prefixes = [...new Set(found.map((f) => f.match[1]))];
  return prefixes.flatMap((prefix, i) => {
    const mine = found.filter((f) => f.match[1] === prefix);
    const series = groupSeries(
      mine.map(({ match, value }) => ({ series: match[2], x: value, y: Number(match[3]) / 100 })),
      (s) => SIDE_LABEL[s] ?? s,
    );
    if (series.length === 0) return [];
    return [
      {
        id: `propagation-cdf-${i}`,
        title: `Propagation, legacy vs PQ: cumulative distribution (${prefix})`,
        kind: "line" as const,
        xLabel: "ms",
        yLabel: "share of blocks",
        xScale: "linear" as const,
        categories: [],
        series,
        summary: `Time in ms by which each share of blocks had propagated, ${series.map((s) => s.label).join(" against ")}. ${series
          .map((s) => `${s.label}: ${s.points.map((p) => `p${Math.round(p.y * 100)} ${number.format(p.x)} ms`).join(", ")}`)
          .join("; ")}.`,
      },
    ];
  });
}

/** Every chart the document has data for, in a fixed order. */
export function chartsForDocument(doc: Pick<BenchResultDocument, "metrics" | "tables">): BenchChart[] {
  return [
    throughputChart(doc.metrics),
    overheadChart(doc.metrics),
    storageChart(doc.metrics),
    ingestRoundsChart(doc),
    scaleChart(doc.metrics),
    ...propagationCharts(doc.metrics),
  ].filter((c): c is BenchChart => c !== null);
}

/** The chart's values as table rows (x label, then one cell per series), for its text alternative. */
export function chartTable(chart: BenchChart): { header: string[]; rows: string[][] } {
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const header = [chart.xLabel, ...chart.series.map((s) => `${s.label} (${chart.yLabel})`)];
  const rows = xs.map((x) => [
    chart.kind === "bar" ? (chart.categories[x] ?? String(x)) : exact.format(x),
    ...chart.series.map((s) => {
      const p = s.points.find((q) => q.x === x);
      return p === undefined ? "–" : number.format(p.y);
    }),
  ]);
  return { header, rows };
}
