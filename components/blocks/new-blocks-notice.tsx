"use client";
/**
 * On the explorer's newest page: tells how many blocks arrived since the page was rendered and offers to show them.
 * The table itself stays still (rows moving under the reader's eyes or focus would be worse than one click).
 */
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";

import { useTRPC } from "@/app/_trpc/react";
import type { BlockFilter } from "@/server/chain/block-query-types";

export function NewBlocksNotice({ filter, total }: { filter: BlockFilter; total: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const status = useQuery(trpc.chain.status.queryOptions(undefined, { refetchInterval: 2_000, retry: false }));
  const totals = status.data?.totals;
  const now = totals ? { canonical: totals.canonical, all: totals.blocks, invalid: totals.invalid }[filter] : total;
  const arrived = Math.max(0, now - total);
  return (
    <p aria-live="polite" className="min-h-7 text-sm">
      {arrived > 0 ? (
        <button
          type="button"
          onClick={() => startTransition(() => router.refresh())}
          disabled={pending}
          className="rounded border border-sky-800 bg-sky-950/50 px-2.5 py-1 text-sky-200 hover:bg-sky-900/60"
        >
          {pending ? "Loading…" : `Show ${arrived} new ${arrived === 1 ? "block" : "blocks"}`}
        </button>
      ) : null}
    </p>
  );
}
