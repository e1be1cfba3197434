/**
 * Small labelled badges for chain states. Each carries its meaning in text, never in colour alone.
 */
import type { ReactNode } from "react";

type Tone = "good" | "bad" | "warn" | "info" | "muted";

const TONE: Record<Tone, string> = {
  good: "border-emerald-700/60 bg-emerald-950/60 text-emerald-300",
  bad: "border-rose-700/60 bg-rose-950/60 text-rose-300",
  warn: "border-amber-700/60 bg-amber-950/60 text-amber-300",
  info: "border-sky-700/60 bg-sky-950/60 text-sky-300",
  muted: "border-slate-700 bg-slate-900 text-slate-300",
};

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center gap-1 whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-medium ${TONE[tone]}`}>
      {children}
    </span>
  );
}

/** VALID / INVALID, as the consensus core judged the block. */
export function VerdictBadge({ verdict }: { verdict: string }) {
  return verdict === "VALID" ? (
    <Badge tone="good">
      <span aria-hidden="true">✓</span> VALID
    </Badge>
  ) : (
    <Badge tone="bad">
      <span aria-hidden="true">✗</span> {verdict}
    </Badge>
  );
}

const SEVERITY_TONE: Record<string, Tone> = { CRITICAL: "bad", HIGH: "bad", MEDIUM: "warn", LOW: "muted" };

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY_TONE[severity] ?? "muted"}>{severity}</Badge>;
}

/** Whether the block is on the canonical chain or stored beside it (competing branch or rejected). */
export function CanonicalBadge({ canonical }: { canonical: boolean }) {
  return canonical ? <Badge tone="info">canonical</Badge> : <Badge tone="muted">not canonical</Badge>;
}

