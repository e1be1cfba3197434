/** Loads a run for a page; null when the address names no stored run (the page answers 404). */
import "server-only";

import { TRPCError } from "@trpc/server";
import { cache } from "react";

import { api } from "@/server/api/caller";

/** Cached per request: generateMetadata and the page load the same run once. */
export const loadRun = cache(async (id: string) => {
  try {
    return await api.bench.run({ id });
  } catch (error) {
    // BAD_REQUEST: not a run id at all ("/benchmarks/abc"); NOT_FOUND: no such run.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
});
