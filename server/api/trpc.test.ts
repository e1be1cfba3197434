import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { AppError } from "../../lib/errors";
import { appRouter, createCaller } from "./root";
import { createTRPCContext, createTRPCRouter, publicProcedure } from "./trpc";


const testRouter = createTRPCRouter({
  missing: publicProcedure.query(() => {
    throw new AppError("NOT_FOUND", "block 99 is not stored");
  }),
  broken: publicProcedure.query(() => {
    throw new Error("secret internal detail");
  }),
  typed: publicProcedure.input(z.object({ n: z.number().int() })).query(({ input }) => input.n),
});

async function callOverHttp(path: string, input?: unknown) {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}${query}`),
    router: testRouter,
    createContext: () => createTRPCContext({ headers: new Headers() }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { message: string; data: Record<string, unknown> } } };
}

describe("appRouter", () => {
  it("answers system.ping with ok and the server time as ISO 8601", async () => {
    const caller = createCaller(() => createTRPCContext({ headers: new Headers() }));
    const before = Date.now();
    const pong = await caller.system.ping();
    expect(pong.ok).toBe(true);
    expect(Date.parse(pong.serverTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(pong.serverTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("has one key per domain router", () => {
    expect(Object.keys(appRouter._def.record)).toContain("system");
  });
});

describe("publicProcedure error mapping", () => {
  it("turns a domain error into its HTTP status, keeping the message and exposing the domain code", async () => {
    const { status, body } = await callOverHttp("missing");
    expect(status).toBe(404);
    expect(body.error?.message).toBe("block 99 is not stored");
    expect(body.error?.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, domainCode: "NOT_FOUND" });
  });

  it("answers invalid input with 400 and the field errors", async () => {
    const { status, body } = await callOverHttp("typed", { n: "seven" });
    expect(status).toBe(400);
    expect(body.error?.data.zodError).toMatchObject({ fieldErrors: { n: [expect.any(String)] } });
  });

  it("leaves unexpected errors as 500 without a domain code", async () => {
    const { status, body } = await callOverHttp("broken");
    expect(status).toBe(500);
    expect(body.error?.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", domainCode: null });
  });

  it("throws the mapped TRPCError to server-side callers too", async () => {
    const caller = testRouter.createCaller(await createTRPCContext({ headers: new Headers() }));
    await expect(caller.missing()).rejects.toMatchObject({ code: "NOT_FOUND", message: "block 99 is not stored" });
  });
});
