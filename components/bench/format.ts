/** Display formats shared by the Benchmarks page's components. */
import type { BenchRunSummary } from "@/server/bench/bench-run-repository";

const number = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

export function formatBenchNumber(value: number | null): string {
  return value === null ? "–" : number.format(value);
}

/** "2026-12-03 14:17 UTC": runs are compared across machines, so times are shown in UTC. */
export function formatRunTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The label a run has in a select: "micro · 2026-12-03 14:17 UTC · quick · #12". */
export function runOptionLabel(run: Pick<BenchRunSummary, "id" | "stage" | "startedAt" | "quick">): string {
  return `${run.stage} · ${formatRunTime(run.startedAt)} · ${run.quick ? "quick" : "full"} · #${run.id}`;
}
