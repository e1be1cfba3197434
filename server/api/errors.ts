/**
 * Domain errors through tRPC: an AppError (lib/errors.ts) becomes a TRPCError with the tRPC code of its row in the
 * one table (lib/error-codes.ts), so the HTTP status of the response is the row's too. Anything else (a pg error
 * such as "23505", a Node system error such as "ECONNREFUSED", a plain bug) stays an internal server error on
 * purpose: loud (500) rather than silently reported as the client's fault.
 */
import { TRPCError } from "@trpc/server";

import { ERROR_TABLE, type TrpcCodeName } from "../../lib/error-codes";
import { classifyError, isAppError, type AppError } from "../../lib/errors";

// Compile-time check that every tRPC code the table names is one of tRPC's own.
type AssertTrpcCodes<T extends TRPCError["code"]> = T;
export type MappedTRPCCode = AssertTrpcCodes<TrpcCodeName>;

/**
 * The domain error inside `value` (an AppError whose code is in the table), else null. TRPCErrors are never domain
 * errors: their `code` is a tRPC code ("NOT_FOUND"), which may spell the same as a domain code.
 */
export function asDomainError(value: unknown): AppError | null {
  if (value instanceof TRPCError) return null;
  return isAppError(value) && Object.hasOwn(ERROR_TABLE, value.code) ? value : null;
}

/** The TRPCError for a domain error (message kept, original as `cause`), or null when `value` is not one. */
export function toTRPCError(value: unknown): TRPCError | null {
  const domain = asDomainError(value);
  if (!domain) return null;
  return new TRPCError({ code: classifyError(domain).outcome.trpc, message: domain.message, cause: domain });
}
