"use client";
/**
 * A small indicator of whether the portal's API answers, polled through tRPC (`system.ping`). The layout prefetches
 * the first answer on the server, so the indicator is correct before any JavaScript runs.
 */
import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/app/_trpc/react";

export function ApiStatus() {
  const trpc = useTRPC();
  const ping = useQuery(trpc.system.ping.queryOptions(undefined, { refetchInterval: 15_000, retry: false }));

  const state = ping.isError ? "down" : ping.data ? "ok" : "pending";
  const label = state === "ok" ? "API ok" : state === "down" ? "API unreachable" : "API …";
  const dot = state === "ok" ? "bg-emerald-400" : state === "down" ? "bg-rose-500" : "bg-slate-500";

  return (
    <p
      data-api-status={state}
      title={ping.data ? `Server time ${ping.data.serverTime}` : undefined}
      className="flex items-center gap-1.5 whitespace-nowrap text-xs text-slate-400"
    >
      <span aria-hidden="true" className={`inline-block size-2 rounded-full ${dot}`} />
      {label}
    </p>
  );
}
