/**
 * The QueryClient settings shared by the browser provider and the per-request server client, so data prefetched on
 * the server is treated as fresh on the client instead of being refetched at once.
 */
import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Chain views poll explicitly (refetchInterval) where they need to be live; otherwise 10 s is fresh enough.
        staleTime: 10_000,
        refetchOnWindowFocus: false,
      },
      dehydrate: {
        // Also pass queries still in flight, so a server component may prefetch without awaiting.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}
