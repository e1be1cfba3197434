/**
 * Which failures mean "the database cannot be reached" (rather than a bug or bad input), shared by the web layer
 * (503 instead of 500), the worker (log an outage once, keep going) and the import (wait and resume).
 *
 * Which failures count: connection-level errors from Node (refused, reset, timed out, host not found) and the
 * PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect
 * now), plus the pg driver's own messages for a connection it lost or could not open in time.
 */
import { AppError } from "../../lib/errors";

const NODE_CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  EPIPE: "connection closed",
};

const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Query read timeout|terminating connection due to administrator command/i;

/** A short reason when `error` means the database cannot be reached, else null. */
export function databaseUnavailableReason(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (Object.hasOwn(NODE_CONNECTION_CODES, code)) return NODE_CONNECTION_CODES[code];
      if (/^08[0-9A-Z]{3}$/.test(code)) return "connection failure";
      if (code === "57P01" || code === "57P02") return "the database server is shutting down";
      if (code === "57P03") return "the database server is starting up or not accepting connections";
      if (code === "3D000") return "the database does not exist";
    }
    if (typeof message === "string" && DRIVER_MESSAGES.test(message)) return "connection lost";
    // AggregateError (e.g. both IPv4 and IPv6 refused) carries the real errors in `errors`.
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested)) {
      for (const inner of nested) {
        const reason = databaseUnavailableReason(inner);
        if (reason) return reason;
      }
    }
  }
  return null;
}

/** The message every surface (HTTP 503 body, page, CLI) shows for an outage. */
export function databaseUnavailableMessage(reason: string): string {
  return `The database is unreachable (${reason}). The node keeps running and reconnects by itself when PostgreSQL is back; try again in a few seconds.`;
}

/** `error` as AppError("DATABASE_UNAVAILABLE") when it is an outage, else null. */
export function asDatabaseUnavailable(error: unknown): AppError | null {
  if (error instanceof AppError && error.code === "DATABASE_UNAVAILABLE") return error;
  const reason = databaseUnavailableReason(error);
  return reason ? new AppError("DATABASE_UNAVAILABLE", databaseUnavailableMessage(reason)) : null;
}
