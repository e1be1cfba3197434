/**
 * Walks the one error table (lib/error-codes.ts) through every surface: each code thrown as an AppError comes out of
 * tRPC (HTTP adapter and server-side caller), the REST helpers and the CLI with exactly its row's tRPC code, HTTP
 * status and exit code, and anything that is not a row comes out as INTERNAL everywhere.
 */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { defineCommand } from "../cli/command";
import { COMMANDS } from "../cli/registry";
import { runInProcess } from "../cli/test-support/run-in-process";
import { ERROR_TABLE, EXIT, type ErrorCode } from "../lib/error-codes";
import { AppError } from "../lib/errors";
import { GOVERNANCE_REASON_CODES } from "../lib/governance/reason-codes";
import { databaseProcedure } from "./api/routers/database-procedure";
import { createTRPCContext, createTRPCRouter, publicProcedure } from "./api/trpc";
import { errorResponse } from "./http/json-response";

const CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

// The REST helper logs every 500 with its stack; expected here, so kept out of the test output.
beforeAll(() => void vi.spyOn(console, "error").mockImplementation(() => undefined));

/** What the test procedures and command throw, by name: a row's code, a code outside the table, a plain bug. */
function thrown(what: string): unknown {
  if (what === "bug") return new TypeError("x is undefined");
  if (what === "coded-non-app") return Object.assign(new Error("duplicate key"), { code: "23505" });
  return new AppError(what as ErrorCode, `refused: ${what}`);
}

const router = createTRPCRouter({
  public: publicProcedure.input(z.object({ what: z.string() })).query(({ input }) => {
    throw thrown(input.what);
  }),
  database: databaseProcedure.input(z.object({ what: z.string() })).query(({ input }) => {
    throw thrown(input.what);
  }),
});

async function overTrpcHttp(procedure: "public" | "database", what: string) {
  const input = encodeURIComponent(JSON.stringify({ what }));
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${procedure}?input=${input}`),
    router,
    createContext: () => createTRPCContext({ headers: new Headers() }),
  });
  const body = (await res.json()) as { error: { message: string; data: { code: string; httpStatus: number; domainCode: string | null } } };
  return { status: res.status, error: body.error };
}

const failing = defineCommand({
  name: "fail with",
  summary: "test double: throws what --what names",
  description: "",
  flags: { what: { kind: "string", value: "WHAT", description: "" } },
  examples: [],
  async run(flags) {
    throw thrown(String(flags.what));
  },
});
const commands = [...COMMANDS, failing];

describe("the error table", () => {
  it("names only tRPC codes whose HTTP status, as tRPC answers it, is the row's status", () => {
    for (const code of CODES) {
      const row = ERROR_TABLE[code];
      expect(getHTTPStatusCodeFromError(new TRPCError({ code: row.trpc })), code).toBe(row.http);
    }
  });

  it("exits 3 exactly for the rows that are the server's own failure or a bug, 1 only for governance rule refusals, and 2 for the rest", () => {
    for (const code of CODES) {
      const row = ERROR_TABLE[code];
      // Exit 1 is a verdict, never an error: the one exception is a governance action the rules refused.
      if (row.exit === EXIT.INVALID) expect(GOVERNANCE_REASON_CODES as readonly string[], code).toContain(code);
      else expect([EXIT.USAGE, EXIT.INTERNAL], code).toContain(row.exit);
      if (row.exit === EXIT.INTERNAL) expect(row.http, code).toBe(500);
    }
    expect(ERROR_TABLE.INTERNAL).toEqual({ trpc: "INTERNAL_SERVER_ERROR", http: 500, exit: EXIT.INTERNAL });
  });
});

describe.each(CODES)("code %s", (code) => {
  const row = ERROR_TABLE[code];

  it("answers its tRPC code and HTTP status through the tRPC HTTP adapter, with the domain code", async () => {
    for (const procedure of ["public", "database"] as const) {
      const { status, error } = await overTrpcHttp(procedure, code);
      expect(status).toBe(row.http);
      expect(error.data).toMatchObject({ code: row.trpc, httpStatus: row.http, domainCode: code });
    }
  });

  it("rejects a server-side caller with its tRPC code", async () => {
    const caller = router.createCaller(await createTRPCContext({ headers: new Headers() }));
    await expect(caller.public({ what: code })).rejects.toMatchObject({ code: row.trpc });
  });

  it("answers its HTTP status and code through the REST error helper", async () => {
    const response = errorResponse(thrown(code));
    expect(response.status).toBe(row.http);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    if (row.http === 500) expect(body.error.message).not.toContain("refused");
    else expect(body.error.message).toBe(`refused: ${code}`);
  });

  it("exits with its exit code through the CLI, one line on stderr and the code in --json", async () => {
    const result = await runInProcess(["fail", "with", "--what", code, "--json"], { commands });
    expect(result.code).toBe(row.exit);
    expect(result.stderrLines).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code, message: expect.stringContaining(`refused: ${code}`), exit_code: row.exit } });
  });
});

describe.each(["NOT_A_ROW", "toString", "coded-non-app", "bug"])("a thrown %s (not a row of the table)", (what) => {
  it("is INTERNAL on every surface: 500 through tRPC and REST, exit 3 through the CLI", async () => {
    const { status, error } = await overTrpcHttp("public", what);
    expect(status).toBe(500);
    expect(error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", domainCode: null });

    const response = errorResponse(thrown(what));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INTERNAL");

    const result = await runInProcess(["fail", "with", "--what", what, "--json"], { commands });
    expect(result.code).toBe(EXIT.INTERNAL);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: "INTERNAL", exit_code: 3 });
  });
});
