import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";

import type { ErrorCode } from "../../lib/error-codes";
import { AppError } from "../../lib/errors";
import { asDomainError, toTRPCError } from "./errors";

/** An AppError as a second copy of lib/errors.ts would make it (a bundler may load a module twice). */
function foreignAppError(code: string, message: string): Error {
  const error = new Error(message) as Error & { code: string };
  error.name = "AppError";
  error.code = code;
  return error;
}

describe("asDomainError", () => {
  it("accepts AppErrors, also from another copy of the module, whose code is in the table", () => {
    expect(asDomainError(new AppError("NOT_FOUND", "no block 7"))?.code).toBe("NOT_FOUND");
    expect(asDomainError(foreignAppError("UNKNOWN_ALGORITHM", "sha1"))?.code).toBe("UNKNOWN_ALGORITHM");
  });

  it("rejects codes missing from the table and coded errors that are not AppErrors, so pg and Node errors stay internal", () => {
    expect(asDomainError(new AppError("NODE_UNREACHABLE" as ErrorCode, "not a row"))).toBeNull();
    expect(asDomainError(foreignAppError("toString", "inherited keys do not count"))).toBeNull();
    expect(asDomainError(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBeNull();
    expect(asDomainError(Object.assign(new Error("connect"), { code: "NOT_FOUND" }))).toBeNull();
    expect(asDomainError({ code: "NOT_FOUND", message: "a plain object" })).toBeNull();
  });

  it("rejects TRPCErrors, whose codes may spell like domain codes", () => {
    expect(asDomainError(new TRPCError({ code: "NOT_FOUND" }))).toBeNull();
    expect(asDomainError(null)).toBeNull();
    expect(asDomainError("NOT_FOUND")).toBeNull();
  });
});

describe("toTRPCError", () => {
  it("maps the code through the table and keeps the domain message and the original as cause", () => {
    const original = new AppError("EPOCH_OVERLAP", "epoch 3 overlaps epoch 2");
    const mapped = toTRPCError(original);
    expect(mapped?.code).toBe("CONFLICT");
    expect(mapped?.message).toBe("epoch 3 overlaps epoch 2");
    expect(mapped?.cause).toBe(original);
  });

  it("maps INVALID_INPUT to BAD_REQUEST (it used to fall through to a 500)", () => {
    expect(toTRPCError(new AppError("INVALID_INPUT", "x"))?.code).toBe("BAD_REQUEST");
  });

  it("returns null for anything that is not a mapped domain error", () => {
    expect(toTRPCError(new Error("boom"))).toBeNull();
  });
});
