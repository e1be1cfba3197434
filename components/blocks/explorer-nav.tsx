/** The explorer's filter switch and pagination: plain links, so they work with the keyboard and without JavaScript. */
import Link from "next/link";

import type { BlockCursor, BlockFilter } from "@/server/chain/block-query-types";

import { explorerHref, FILTER_LABELS } from "./explorer-params";

const LINK = "rounded border border-slate-700 px-2.5 py-1 text-sm";
const ENABLED = `${LINK} text-sky-300 hover:bg-slate-800`;
const DISABLED = `${LINK} cursor-not-allowed border-slate-800 text-slate-400`;

export function FilterNav({ current, counts }: { current: BlockFilter; counts: Record<BlockFilter, number> }) {
  return (
    <nav aria-label="Block filter">
      <ul className="flex flex-wrap gap-1">
        {(Object.keys(FILTER_LABELS) as BlockFilter[]).map((filter) => (
          <li key={filter}>
            <Link
              href={explorerHref(filter)}
              aria-current={filter === current ? "page" : undefined}
              className={`${LINK} block ${filter === current ? "border-sky-700 bg-slate-800 text-slate-50" : "text-slate-300 hover:bg-slate-800"}`}
            >
              {FILTER_LABELS[filter]} <span className="text-xs text-slate-400">({counts[filter].toLocaleString("en-US")})</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Pagination({ filter, newer, older, onNewest }: { filter: BlockFilter; newer: BlockCursor | null; older: BlockCursor | null; onNewest: boolean }) {
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center gap-2">
      {onNewest ? (
        <span aria-disabled="true" className={DISABLED}>
          Newest
        </span>
      ) : (
        <Link href={explorerHref(filter)} className={ENABLED}>
          Newest
        </Link>
      )}
      {newer ? (
        <Link href={explorerHref(filter, { after: newer })} rel="prev" className={ENABLED}>
          ← Newer
        </Link>
      ) : (
        <span aria-disabled="true" className={DISABLED}>
          ← Newer
        </span>
      )}
      {older ? (
        <Link href={explorerHref(filter, { before: older })} rel="next" className={ENABLED}>
          Older →
        </Link>
      ) : (
        <span aria-disabled="true" className={DISABLED}>
          Older →
        </span>
      )}
    </nav>
  );
}
