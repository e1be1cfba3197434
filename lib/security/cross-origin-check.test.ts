import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { checkCrossOrigin, normalizeOrigin, type CrossOriginRequest } from "./cross-origin-check";

const SELF = "http://portal.example:3000";
const base: CrossOriginRequest = { method: "POST", origin: null, secFetchSite: null, selfOrigin: SELF, hasCookie: false };
const allowed = (overrides: Partial<CrossOriginRequest>) => checkCrossOrigin({ ...base, ...overrides }).allowed;

describe("checkCrossOrigin", () => {
  it("lets safe methods through whatever their origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(allowed({ method, origin: "https://evil.example", secFetchSite: "cross-site", hasCookie: true })).toBe(true);
    }
  });

  it("refuses cross-site and same-site state changes by Sec-Fetch-Site", () => {
    expect(allowed({ secFetchSite: "cross-site", origin: "https://evil.example" })).toBe(false);
    expect(allowed({ secFetchSite: "same-site", origin: "http://other.portal.example:3000" })).toBe(false);
    expect(allowed({ method: "DELETE", secFetchSite: "cross-site" })).toBe(false);
  });

  it("accepts same-origin and user-initiated requests by Sec-Fetch-Site", () => {
    expect(allowed({ secFetchSite: "same-origin", origin: SELF, hasCookie: true })).toBe(true);
    expect(allowed({ secFetchSite: "none" })).toBe(true);
  });

  it("falls back to Origin when Sec-Fetch-Site is absent (older browsers)", () => {
    expect(allowed({ origin: SELF, hasCookie: true })).toBe(true);
    expect(allowed({ origin: "HTTP://Portal.Example:3000" })).toBe(true);
    expect(allowed({ origin: "https://portal.example:3000" })).toBe(false); // another scheme is another origin
    expect(allowed({ origin: "http://portal.example:3001" })).toBe(false);
    expect(allowed({ origin: "https://evil.example" })).toBe(false);
    expect(allowed({ origin: "null" })).toBe(false); // sandboxed frames, file: pages
    expect(allowed({ origin: "not a url" })).toBe(false);
  });

  it("accepts explicitly trusted origins, never 'null'", () => {
    const trustedOrigins = ["https://ops.example"];
    expect(allowed({ origin: "https://ops.example", secFetchSite: "cross-site", trustedOrigins })).toBe(true);
    expect(allowed({ origin: "https://ops.example", trustedOrigins })).toBe(true);
    expect(allowed({ origin: "null", trustedOrigins: ["null"] })).toBe(false);
  });

  it("lets a request with neither header pass only without cookies (the CLI, a node with its token)", () => {
    expect(allowed({})).toBe(true);
    expect(allowed({ hasCookie: true })).toBe(false);
  });

  it("never accepts a state change announced as cross-site from an untrusted origin (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("POST", "PUT", "PATCH", "DELETE"),
        fc.option(fc.webUrl(), { nil: null }),
        fc.boolean(),
        (method, origin, hasCookie) => !checkCrossOrigin({ ...base, method, origin, secFetchSite: "cross-site", hasCookie }).allowed,
      ),
    );
  });

  it("gives a reason naming what was seen", () => {
    const verdict = checkCrossOrigin({ ...base, origin: "https://evil.example", secFetchSite: "cross-site" });
    expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining("https://evil.example") });
  });
});

describe("normalizeOrigin", () => {
  it("lowercases and drops default ports and paths", () => {
    expect(normalizeOrigin("HTTPS://Example.COM:443/x?y")).toBe("https://example.com");
    expect(normalizeOrigin("http://example.com:8080")).toBe("http://example.com:8080");
  });

  it("is null for non-http schemes and non-URLs", () => {
    expect(normalizeOrigin("javascript:alert(1)")).toBeNull();
    expect(normalizeOrigin("example.com")).toBeNull();
  });
});
