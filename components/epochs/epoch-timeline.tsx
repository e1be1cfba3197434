/**
 * The epoch registry drawn along the chain's heights: one band per epoch (coloured by rule version, labelled), a tick
 * at each activation, and a marker at the tip, so "how far is the chain into which epoch" is seen at a glance.
 * Plain positioned boxes rather than a chart library: the picture is a ruler, not a plot.
 */
import type { EpochRow } from "@/server/chain/block-query-types";

import { formatInteger } from "../chain/format";

const BAND: Record<string, string> = {
  "v1-legacy": "bg-slate-600/70 text-slate-50",
  "v1.5-pq-optional": "bg-indigo-700/70 text-indigo-50",
  "v2-dual-required": "bg-sky-700/80 text-sky-50",
  "v2.5-pq-primary": "bg-teal-700/80 text-teal-50",
  "v3-pq-only": "bg-emerald-700/80 text-emerald-50",
};

export function EpochTimeline({ epochs, tip }: { epochs: readonly EpochRow[]; tip: number | null }) {
  if (epochs.length === 0) return null;
  const lastStart = epochs[epochs.length - 1].start_block;
  const closedEnd = epochs[epochs.length - 1].end_block;
  // Show the whole registry and the tip, with some room after the last activation for the open-ended epoch.
  const reach = Math.max(tip ?? 0, closedEnd ?? lastStart, 1);
  const domain = closedEnd !== null && (tip ?? 0) <= closedEnd ? closedEnd + 1 : Math.ceil(reach * 1.15) + 10;
  const pct = (height: number) => `${Math.min(100, Math.max(0, (height / domain) * 100))}%`;
  const description =
    epochs.map((e) => `${e.rule_version} (${e.algorithm_name}) from block ${e.start_block}${e.end_block === null ? "" : ` to ${e.end_block}`}`).join("; ") +
    (tip === null ? "; no blocks yet" : `; tip at block ${tip}`);
  return (
    <figure>
      <div role="img" aria-label={`Epoch timeline: ${description}`} className="relative h-12 overflow-hidden rounded border border-slate-700 bg-slate-900">
        {epochs.map((e) => {
          const end = e.end_block === null ? domain : e.end_block + 1;
          return (
            <div
              key={e.start_block}
              className={`absolute inset-y-0 flex items-center overflow-hidden border-r border-slate-950 px-2 text-xs font-medium ${BAND[e.rule_version] ?? "bg-slate-700"}`}
              style={{ left: pct(e.start_block), width: `calc(${pct(end)} - ${pct(e.start_block)})` }}
              title={`${e.rule_version} · ${e.algorithm_name} · blocks ${e.start_block}–${e.end_block ?? "open"}`}
            >
              <span className="truncate">
                {e.rule_version} · {e.algorithm_name}
              </span>
            </div>
          );
        })}
        {tip !== null ? (
          <div aria-hidden="true" className="absolute inset-y-0 w-0.5 bg-amber-300 shadow-[0_0_0_1px_rgba(0,0,0,0.6)]" style={{ left: pct(tip + 1) }} />
        ) : null}
      </div>
      <div aria-hidden="true" className="relative mt-1 h-8 text-[11px] text-slate-400">
        {epochs.map((e) => (
          <span key={e.start_block} className="absolute -translate-x-1/2 whitespace-nowrap font-mono first:translate-x-0" style={{ left: pct(e.start_block) }}>
            │ {formatInteger(e.start_block)}
          </span>
        ))}
        {tip !== null ? (
          <span className="absolute top-4 -translate-x-1/2 whitespace-nowrap font-mono text-amber-300" style={{ left: pct(tip + 1) }}>
            ▲ tip #{formatInteger(tip)}
          </span>
        ) : null}
      </div>
      <figcaption className="text-xs text-slate-400">Block heights from genesis; each band is an epoch of the registry, the marker is the canonical tip.</figcaption>
    </figure>
  );
}
