/**
 * HTTP endpoint for tRPC (fetch adapter): GET for queries, POST for mutations, batched, at /api/trpc/<path>.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";

import { rateLimitHeaders } from "@/server/api/errors";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

function handler(req: NextRequest): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers }),
    // A rate-limited procedure (server/security/rate-limit.ts) answers 429 with Retry-After, like the REST routes.
    responseMeta: ({ errors }) => ({ headers: rateLimitHeaders(errors) }),
    onError: ({ path, error }) => {
      // Expected client errors (4xx) are the caller's business; log only what the operator must look at.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`tRPC ${path ?? "<no-path>"} failed:`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };
