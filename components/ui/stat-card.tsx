/** One headline figure (current block, epoch, blocks per minute...) with a label and an optional detail line. */
import type { ReactNode } from "react";

export type StatTone = "neutral" | "good" | "warn" | "bad";

const TONE_CLASS: Record<StatTone, string> = {
  neutral: "text-slate-50",
  good: "text-emerald-400",
  warn: "text-amber-400",
  bad: "text-rose-400",
};

export function StatCard({ label, value, detail, tone = "neutral" }: { label: string; value: ReactNode; detail?: ReactNode; tone?: StatTone }) {
  return (
    <div className="rounded-md border border-slate-800 bg-slate-900/60 px-3 py-2">
      <dt className="text-xs uppercase tracking-wide text-slate-400">{label}</dt>
      <dd className={`mt-0.5 font-mono text-xl font-semibold ${TONE_CLASS[tone]}`}>{value}</dd>
      {detail ? <dd className="mt-0.5 text-xs text-slate-400">{detail}</dd> : null}
    </div>
  );
}

/** The grid that holds StatCards (a <dl>, since each card is a term and its value). */
export function StatGrid({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-4">{children}</dl>;
}
