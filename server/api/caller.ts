/**
 * Server-side access to the tRPC router for React Server Components, without an HTTP round trip.
 *
 * - `api.<domain>.<procedure>(input)`: call a procedure and use its result directly in a server component.
 * - `trpc` + `prefetch` + <HydrateClient> (app/_trpc/hydrate-client.tsx): prefetch a query on the server and hand
 *   its data to a client component that keeps it live with `useQuery(useTRPC().<...>.queryOptions(...))`.
 *
 * Both share one context and one QueryClient per request (React `cache`).
 */
import "server-only";

import type { FetchQueryOptions, QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";

import { makeQueryClient } from "@/app/_trpc/query-client";

import { appRouter, createCaller } from "./root";
import { createTRPCContext } from "./trpc";

const createContext = cache(async () => {
  const incoming = new Headers(await headers());
  incoming.set("x-trpc-source", "rsc");
  return createTRPCContext({ headers: incoming });
});

/** One QueryClient per server request. */
export const getQueryClient = cache(makeQueryClient);

/** Direct caller: `const block = await api.blocks.byNumber({ number })`. */
export const api = createCaller(createContext);

/** Query-options proxy for prefetching: `await prefetch(trpc.system.ping.queryOptions())`. */
export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/** Runs a query on the server into the request's QueryClient, so <HydrateClient> can pass its data down. */
export async function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  options: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): Promise<void> {
  await getQueryClient().prefetchQuery(options);
}
