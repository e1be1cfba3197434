/**
 * Blocks (/blocks): the explorer. Keyset-paged, newest first, 25 per page, filtered to the canonical chain, every
 * stored block, or invalid blocks only; "Go to block" resolves a height, block hash or content id.
 */
import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { BlockTable } from "@/components/blocks/block-table";
import { FilterNav, Pagination } from "@/components/blocks/explorer-nav";
import { FILTER_LABELS, parseExplorerParams } from "@/components/blocks/explorer-params";
import { GoToBlockForm } from "@/components/blocks/go-to-block-form";
import { DownloadLinks } from "@/components/export/download-links";
import { NewBlocksNotice } from "@/components/blocks/new-blocks-notice";
import { formatInteger } from "@/components/chain/format";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { api } from "@/server/api/caller";

export const metadata: Metadata = { title: "Blocks" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function searchMissMessage(query: string, tip: number | null): string {
  if (/^#?\d+$/.test(query)) {
    return tip === null
      ? `There is no block ${query.replace("#", "")} yet: the chain is still empty.`
      : `There is no canonical block at height ${query.replace("#", "")}; the tip is #${formatInteger(tip)}.`;
  }
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(query)) return "No stored block has this block hash or content id.";
  return `"${query.slice(0, 80)}" is neither a block height nor a 32-byte hex hash (0x followed by 64 hex digits).`;
}

export default async function BlocksPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseExplorerParams(await searchParams);
  const { filter, before, after } = params;

  const found = params.query ? await api.blocks.find({ query: params.query }) : null;
  if (found) redirect(found.kind === "number" ? `/blocks/${found.block_number}` : `/blocks/id/${found.content_id}`);

  const [page, status] = await Promise.all([api.blocks.list({ filter, before, after }), api.chain.status()]);
  const onNewest = !before && !after;
  const counts = { canonical: status.totals.canonical, all: status.totals.blocks, invalid: status.totals.invalid };
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  const notices = [...params.problems, ...(params.query ? [searchMissMessage(params.query, status.current_block)] : [])];

  let empty: string;
  if (status.totals.blocks === 0) empty = "Waiting for the first block: the chain is empty. New blocks appear here as the worker stores them.";
  else if (filter === "invalid" && page.total === 0) empty = "No invalid blocks stored: every block received so far passed validation.";
  else if (page.total === 0) empty = "No blocks match this filter.";
  else empty = "No blocks on this page. Go back to the newest blocks.";

  return (
    <>
      <PageHeader
        title="Blocks"
        description={
          status.current_block === null
            ? "The chain is empty."
            : `Tip #${formatInteger(status.current_block)} · ${formatInteger(status.totals.blocks)} blocks stored, ${formatInteger(status.totals.invalid)} invalid.`
        }
      />
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <GoToBlockForm defaultValue={found ? "" : (params.query ?? "")} />
        <FilterNav current={filter} counts={counts} />
      </div>
      {notices.length > 0 ? (
        <div role="alert" className="mb-3 rounded-md border border-amber-800 bg-amber-950/40 px-3 py-2 text-sm text-amber-100">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      ) : null}
      <Card
        title={`${FILTER_LABELS[filter]}${first && last ? ` · #${formatInteger(first.block_number)} to #${formatInteger(last.block_number)}` : ""} · ${formatInteger(page.total)} in all`}
        actions={
          <span className="flex flex-wrap items-center gap-3">
            {onNewest ? <NewBlocksNotice filter={filter} total={page.total} /> : null}
            <DownloadLinks what="this list" href={(format) => `/api/v1/blocks/export?format=${format}&filter=${filter}`} />
          </span>
        }
      >
        <BlockTable caption={`${FILTER_LABELS[filter]}, newest first`} captionHidden rows={page.rows} empty={empty} detailed={filter !== "canonical"} />
        <div className="mt-3">
          <Pagination filter={filter} newer={page.newer} older={page.older} onNewest={onNewest} />
        </div>
      </Card>
    </>
  );
}
