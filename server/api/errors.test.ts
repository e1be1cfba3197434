import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";

import { asDomainError, httpStatusForError, toTRPCError } from "./errors";

class FakeAppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

describe("asDomainError", () => {
  it("accepts any error-like object whose string code is in the table", () => {
    expect(asDomainError(new FakeAppError("NOT_FOUND", "no block 7"))?.code).toBe("NOT_FOUND");
    expect(asDomainError({ code: "UNKNOWN_ALGORITHM", message: "sha1" })?.code).toBe("UNKNOWN_ALGORITHM");
  });

  it("rejects codes missing from the table, so pg and Node system errors stay internal", () => {
    expect(asDomainError({ code: "23505", message: "duplicate key" })).toBeNull();
    expect(asDomainError({ code: "ECONNREFUSED", message: "connect" })).toBeNull();
    expect(asDomainError({ code: "toString", message: "inherited keys do not count" })).toBeNull();
  });

  it("rejects TRPCErrors and values without a string code and message", () => {
    expect(asDomainError(new TRPCError({ code: "NOT_FOUND" }))).toBeNull();
    expect(asDomainError({ code: 404, message: "x" })).toBeNull();
    expect(asDomainError({ code: "NOT_FOUND" })).toBeNull();
    expect(asDomainError(null)).toBeNull();
    expect(asDomainError("NOT_FOUND")).toBeNull();
  });
});

describe("toTRPCError", () => {
  it("maps the code through the table and keeps the domain message and the original as cause", () => {
    const original = new FakeAppError("EPOCH_OVERLAP", "epoch 3 overlaps epoch 2");
    const mapped = toTRPCError(original);
    expect(mapped?.code).toBe("CONFLICT");
    expect(mapped?.message).toBe("epoch 3 overlaps epoch 2");
    expect(mapped?.cause).toBe(original);
  });

  it("returns null for anything that is not a mapped domain error", () => {
    expect(toTRPCError(new Error("boom"))).toBeNull();
  });
});

describe("httpStatusForError", () => {
  it("gives mapped domain errors their 4xx and everything else 500", () => {
    expect(httpStatusForError(new FakeAppError("NOT_FOUND", "x"))).toBe(404);
    expect(httpStatusForError(new FakeAppError("VALIDATION_FAILED", "x"))).toBe(400);
    expect(httpStatusForError(new FakeAppError("PAYLOAD_TOO_LARGE", "x"))).toBe(413);
    expect(httpStatusForError(new TRPCError({ code: "UNAUTHORIZED" }))).toBe(401);
    expect(httpStatusForError(new Error("boom"))).toBe(500);
  });
});
