/**
 * HTTP endpoint for tRPC (fetch adapter): GET for queries, POST for mutations, batched, at /api/trpc/<path>.
 *
 * POST bodies are size-limited like POST /api/v1/blocks (MATHLEDGER_MAX_PUSH_BYTES): the fetch adapter has no limit
 * of its own, and `consensus.validate` takes up to 1,000 blocks from anyone.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";

import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { readConfig } from "@/server/config";
import { errorResponse } from "@/server/http/json-response";
import { readLimitedText } from "@/server/http/read-body";

/** The request with its body read under the size limit (GET passes through). */
async function withLimitedBody(req: NextRequest): Promise<Request> {
  if (req.method !== "POST") return req;
  const body = await readLimitedText(req, readConfig().MATHLEDGER_MAX_PUSH_BYTES);
  return new Request(req.url, { method: "POST", headers: req.headers, body });
}

async function handler(req: NextRequest): Promise<Response> {
  let request: Request;
  try {
    request = await withLimitedBody(req);
  } catch (error) {
    return errorResponse(error);
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError: ({ path, error }) => {
      // Expected client errors (4xx) are the caller's business; log only what the operator must look at.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`tRPC ${path ?? "<no-path>"} failed:`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };
