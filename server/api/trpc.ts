/**
 * tRPC core for the web server, in the create-t3-app layout:
 *
 * 1. CONTEXT: what every procedure receives.
 * 2. INITIALIZATION: the tRPC instance and its one error formatter.
 * 3. PROCEDURES: the building blocks routers use (`publicProcedure`, later e.g. a token-protected one).
 *
 * Routers live in server/api/routers/ and are assembled in server/api/root.ts. A procedure validates its input,
 * calls one service in server/, and returns; business rules stay in lib/.
 *
 * Next-only module (no "server-only" import here only so that vitest can exercise the router directly).
 */
import { initTRPC } from "@trpc/server";
import { z } from "zod";

import { asDomainError, toTRPCError } from "./errors";

/* ---------------------------------------------------------------------------------------------------------------- *
 * 1. CONTEXT
 * ---------------------------------------------------------------------------------------------------------------- */

/**
 * Builds the context for one request. The fetch adapter (app/api/trpc/[trpc]/route.ts) passes the request headers;
 * the server caller (server/api/caller.ts) passes the incoming page request's headers marked `x-trpc-source: rsc`.
 *
 * Services import their own database handle (one cached module in server/db), so they are not threaded through
 * here; add a field only for something that is truly per request (an authenticated node, a request id).
 */
export async function createTRPCContext(opts: { headers: Headers }) {
  return {
    headers: opts.headers,
    source: opts.headers.get("x-trpc-source") ?? "http",
  };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

/* ---------------------------------------------------------------------------------------------------------------- *
 * 2. INITIALIZATION
 * ---------------------------------------------------------------------------------------------------------------- */

const t = initTRPC.context<TRPCContext>().create({
  /**
   * The one error formatter. The tRPC code and HTTP status are already right by the time it runs (the middleware
   * below converts domain errors); here the body gains `domainCode` (the domain's string code, for clients that
   * branch on it) and `zodError` (field errors for invalid input). Messages of internal errors (a bug, or a domain code
   * whose row in lib/error-codes.ts is a 500) are not sent to browsers in production, as the REST routes never do.
   */
  errorFormatter({ shape, error }) {
    const domain = asDomainError(error.cause);
    const hideMessage = error.code === "INTERNAL_SERVER_ERROR" && process.env.NODE_ENV === "production";
    return {
      ...shape,
      message: hideMessage ? "Internal server error" : shape.message,
      data: {
        ...shape.data,
        domainCode: domain?.code ?? null,
        zodError: error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

/** Server-side caller factory: see server/api/caller.ts (pages) and tests. */
export const createCallerFactory = t.createCallerFactory;

/** Router builder: one router per domain in server/api/routers/<domain>.ts. */
export const createTRPCRouter = t.router;

/* ---------------------------------------------------------------------------------------------------------------- *
 * 3. PROCEDURES
 * ---------------------------------------------------------------------------------------------------------------- */

/**
 * Maps domain errors to their tRPC code. This must be a middleware, not only formatter logic: the HTTP status of the
 * response is derived from the TRPCError's code before the formatter runs, so a formatter alone would answer 500.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/** A procedure anyone may call. Reads of public chain data use this. */
export const publicProcedure = t.procedure.use(domainErrors);
