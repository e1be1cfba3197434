/**
 * Hands the queries a server component prefetched (server/api/caller.ts `prefetch`) to the client components below
 * it. Server component: it dehydrates the request's QueryClient.
 */
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { getQueryClient } from "@/server/api/caller";

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
