/**
 * A rate-limited tRPC procedure answers like the REST routes: HTTP 429 (TOO_MANY_REQUESTS) with Retry-After, the
 * domain code in the body. Exercised through tRPC's fetch adapter with the app's real error mapping.
 */
import { initTRPC } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";

import { AppError } from "../../lib/errors";
import { ERROR_TABLE } from "../../lib/error-codes";
import { rateLimitHeaders, retryAfterOf, toTRPCError } from "./errors";

const t = initTRPC.create();
const router = t.router({
  signIn: t.procedure.mutation(() => {
    const error = new AppError("RATE_LIMITED", "too many sign-in challenges for this key", { retryAfterSeconds: 42 });
    throw toTRPCError(error) ?? error;
  }),
});

describe("RATE_LIMITED through tRPC", () => {
  it("maps to TOO_MANY_REQUESTS and CROSS_SITE_REQUEST to FORBIDDEN", () => {
    expect(ERROR_TABLE.RATE_LIMITED.trpc).toBe("TOO_MANY_REQUESTS");
    expect(ERROR_TABLE.CROSS_SITE_REQUEST.trpc).toBe("FORBIDDEN");
  });

  it("answers 429 with Retry-After", async () => {
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/signIn", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
      router,
      responseMeta: ({ errors }) => ({ headers: rateLimitHeaders(errors) }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
  });

  it("reads the seconds only from RATE_LIMITED domain errors", () => {
    expect(retryAfterOf(new AppError("RATE_LIMITED", "x", { retryAfterSeconds: 3 }))).toBe(3);
    expect(retryAfterOf(new AppError("NOT_FOUND", "x", { retryAfterSeconds: 3 }))).toBeNull();
    expect(retryAfterOf(new Error("plain"))).toBeNull();
    expect(rateLimitHeaders([{ cause: new Error("plain") }])).toEqual({});
  });
});
