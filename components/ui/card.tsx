/**
 * A titled panel for grouping one view of data (a table, a chart, a list). `min-w-0` lets a card shrink inside a grid
 * or flex row, so a wide table scrolls inside the card (DataTable's overflow-x-auto) instead of widening the page.
 */
import type { ReactNode } from "react";

export function Card({ title, actions, children, className = "" }: { title?: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`min-w-0 rounded-md border border-slate-800 bg-slate-900/60 ${className}`}>
      {title || actions ? (
        <div className="flex items-center justify-between gap-2 border-b border-slate-800 px-3 py-2">
          {title ? <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-400">{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      <div className="p-3">{children}</div>
    </section>
  );
}
