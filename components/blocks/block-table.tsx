/**
 * The table of blocks used by the dashboard (recent blocks) and the explorer: height (linked to the block's page),
 * sealing time, statements, epoch, verdict and both hashes. Usable from server and client components.
 */
import type { ReactNode } from "react";

import type { BlockListRow } from "@/server/chain/block-query-types";
import { DataTable, type Column } from "@/components/ui/data-table";

import { CanonicalBadge, VerdictBadge } from "../chain/badges";
import { BlockLink } from "../chain/block-link";
import { formatInteger, formatUnixSeconds, shortHash } from "../chain/format";

export interface BlockTableProps {
  caption: string;
  captionHidden?: boolean;
  rows: readonly BlockListRow[];
  empty: ReactNode;
  /** Show the canonical flag and the source (the explorer's "all" and "invalid" views). */
  detailed?: boolean;
}

export function BlockTable({ caption, captionHidden, rows, empty, detailed = false }: BlockTableProps) {
  const columns: Column<BlockListRow>[] = [
    {
      id: "number",
      header: "Block",
      align: "right",
      mono: true,
      cell: (r) => <BlockLink block={r}>{`#${formatInteger(r.block_number)}`}</BlockLink>,
    },
    { id: "sealed", header: "Sealed", mono: true, cell: (r) => <span className="whitespace-nowrap">{formatUnixSeconds(r.timestamp)}</span> },
    { id: "statements", header: "Statements", align: "right", mono: true, cell: (r) => formatInteger(r.statement_count) },
    {
      id: "epoch",
      header: "Rules",
      cell: (r) =>
        r.epoch ? (
          <span className="whitespace-nowrap">
            {r.epoch.rule_version} <span className="text-slate-400">· {r.epoch.algorithm_name}</span>
          </span>
        ) : (
          <span className="text-slate-400">no epoch</span>
        ),
    },
    {
      id: "verdict",
      header: "Verdict",
      cell: (r) => (
        <span className="flex flex-wrap items-center gap-1">
          <VerdictBadge verdict={r.verdict} />
          {r.violation_count > 0 ? (
            <span className="text-xs text-slate-400">
              {r.worst_violation}
              {r.violation_count > 1 ? ` +${r.violation_count - 1}` : ""}
            </span>
          ) : null}
        </span>
      ),
    },
    ...(detailed
      ? ([
          { id: "canonical", header: "Chain", cell: (r) => <CanonicalBadge canonical={r.canonical} /> },
          { id: "source", header: "Source", cell: (r) => r.source },
        ] satisfies Column<BlockListRow>[])
      : []),
    { id: "hash", header: "SHA-256 hash", mono: true, cell: (r) => <span className="whitespace-nowrap" title={r.legacy_hash}>{shortHash(r.legacy_hash)}</span> },
    {
      id: "pq-hash",
      header: "PQ hash",
      mono: true,
      cell: (r) => (r.pq_hash ? <span className="whitespace-nowrap" title={r.pq_hash}>{shortHash(r.pq_hash)}</span> : <span className="text-slate-400">—</span>),
    },
  ];
  return <DataTable caption={caption} captionHidden={captionHidden} columns={columns} rows={rows} rowKey={(r) => r.id} empty={empty} />;
}
