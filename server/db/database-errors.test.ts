import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { asDatabaseUnavailable, databaseUnavailableReason } from "./database-errors";

describe("databaseUnavailableReason", () => {
  it("recognises refused, reset and timed-out connections, server shutdowns and the driver's lost-connection errors", () => {
    const coded = (code: string) => Object.assign(new Error("x"), { code });
    expect(databaseUnavailableReason(coded("ECONNREFUSED"))).toBe("connection refused");
    expect(databaseUnavailableReason(coded("ECONNRESET"))).toBe("connection reset");
    expect(databaseUnavailableReason(coded("57P01"))).toBe("the database server is shutting down");
    expect(databaseUnavailableReason(coded("57P03"))).toMatch(/starting up/);
    expect(databaseUnavailableReason(coded("08006"))).toBe("connection failure");
    expect(databaseUnavailableReason(new Error("Connection terminated unexpectedly"))).toBe("connection lost");
    expect(databaseUnavailableReason(new Error("Client has encountered a connection error and is not queryable"))).toBe("connection lost");
    expect(databaseUnavailableReason(new Error("timeout exceeded when trying to connect"))).toBe("connection lost");
  });

  it("looks through causes and AggregateErrors (both IPv4 and IPv6 refused)", () => {
    const wrapped = new Error("Cannot connect to DATABASE_URL (...)", { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) });
    expect(databaseUnavailableReason(wrapped)).toBe("connection refused");
    const aggregate = new AggregateError([Object.assign(new Error("a"), { code: "ECONNREFUSED" })], "all failed");
    expect(databaseUnavailableReason(aggregate)).toBe("connection refused");
  });

  it("leaves bugs and bad input alone: they are not outages", () => {
    expect(databaseUnavailableReason(Object.assign(new Error("dup"), { code: "23505" }))).toBeNull();
    expect(databaseUnavailableReason(Object.assign(new Error("overflow"), { code: "22003" }))).toBeNull();
    expect(databaseUnavailableReason(new AppError("INVALID_INPUT", "bad"))).toBeNull();
    expect(databaseUnavailableReason(new TypeError("x is undefined"))).toBeNull();
    expect(databaseUnavailableReason(null)).toBeNull();
    // A code that happens to name an Object.prototype member is not a connection code.
    expect(databaseUnavailableReason(Object.assign(new Error("x"), { code: "toString" }))).toBeNull();
  });
});

describe("asDatabaseUnavailable", () => {
  it("turns an outage into AppError DATABASE_UNAVAILABLE with a message saying the node reconnects by itself", () => {
    const error = asDatabaseUnavailable(Object.assign(new Error("x"), { code: "ECONNREFUSED" }));
    expect(error?.code).toBe("DATABASE_UNAVAILABLE");
    expect(error?.message).toMatch(/^The database is unreachable \(connection refused\)\. The node keeps running and reconnects by itself/);
    expect(asDatabaseUnavailable(new Error("bug"))).toBeNull();
  });
});
