/**
 * The procedure the chain-reading routers use: a public procedure that reports an unreachable database as
 * SERVICE_UNAVAILABLE (HTTP 503) with a message an operator can act on, instead of an anonymous internal error.
 *
 * Which failures count: connection-level errors from Node (refused, reset, timed out, host not found) and the
 * PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect
 * now), plus the pg driver's own "Connection terminated" messages. Everything else stays a 500.
 */
import { TRPCError } from "@trpc/server";

import { publicProcedure } from "../trpc";

const NODE_CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
};

/** A short reason when `error` means the database cannot be reached, else null. */
export function databaseUnavailableReason(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (code in NODE_CONNECTION_CODES) return NODE_CONNECTION_CODES[code];
      if (/^08[0-9A-Z]{3}$/.test(code)) return "connection failure";
      if (code === "57P01" || code === "57P02") return "the database server is shutting down";
      if (code === "57P03") return "the database server is starting up or not accepting connections";
      if (code === "3D000") return "the database does not exist";
    }
    if (typeof message === "string" && /Connection terminated|timeout exceeded when trying to connect/i.test(message)) return "connection lost";
    // AggregateError (e.g. both IPv4 and IPv6 refused) carries the real errors in `errors`.
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested)) for (const inner of nested) {
      const reason = databaseUnavailableReason(inner);
      if (reason) return reason;
    }
  }
  return null;
}

/** A public procedure whose database outages reach the client as 503 "The database is unreachable (...)". */
export const databaseProcedure = publicProcedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const reason = databaseUnavailableReason(result.error.cause);
    if (reason) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `The database is unreachable (${reason}).`, cause: result.error.cause });
    }
  }
  return result;
});
