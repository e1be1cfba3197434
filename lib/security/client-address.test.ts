import { describe, expect, it } from "vitest";

import { clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("takes the rightmost X-Forwarded-For entry (what the nearest hop saw)", () => {
    expect(clientAddress("203.0.113.9, 198.51.100.2")).toBe("198.51.100.2");
    expect(clientAddress("198.51.100.2")).toBe("198.51.100.2");
  });

  it("folds IPv4-mapped IPv6 to IPv4 and lowercases IPv6", () => {
    expect(clientAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(clientAddress("2001:DB8::1")).toBe("2001:db8::1");
  });

  it("is 'unknown' without the header", () => {
    expect(clientAddress(null)).toBe("unknown");
    expect(clientAddress(" , ")).toBe("unknown");
  });
});
