/**
 * proxy.ts's logic on NextRequests: cross-site state changes under /api answer 403 before any routing, whatever the
 * path; pages get a fresh nonce in the CSP of the response and of the request Next.js renders with.
 */
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";

import { nonceOfPolicy } from "../../lib/security/content-security-policy";
import { resetSecurityProxyConfig, securityProxy } from "./security-proxy";

const ORIGIN = "http://127.0.0.1:3000";

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}): NextRequest {
  return new NextRequest(`${ORIGIN}${path}`, { method: init.method ?? "GET", headers: { host: "127.0.0.1:3000", ...init.headers } });
}

const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "application/json" };

afterEach(() => {
  delete process.env.MATHLEDGER_TRUSTED_ORIGINS;
  resetSecurityProxyConfig();
});

describe("securityProxy: API", () => {
  it.each([
    ["POST", "/api/trpc/system.ping"],
    ["POST", "/api/trpc/blocks.list,chain.status?batch=1"],
    ["POST", "/api/v1/blocks"],
    ["POST", "/api/v1/validate"],
    ["PUT", "/api/anything/that/does/not/exist"],
    ["DELETE", "/api/v1/blocks"],
  ])("refuses a cross-site %s %s with 403 CROSS_SITE_REQUEST", async (method, path) => {
    const response = securityProxy(request(path, { method, headers: crossSite }));
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await response.json();
    expect(body.error.code).toBe("CROSS_SITE_REQUEST");
    expect(body.error.message).toContain(`${method} ${path.split("?")[0]} refused`);
  });

  it("refuses an old browser's cross-origin POST (Origin only, no Sec-Fetch-Site)", () => {
    expect(securityProxy(request("/api/v1/blocks", { method: "POST", headers: { origin: "https://evil.example" } })).status).toBe(403);
  });

  it("lets the portal's own pages, the CLI and nodes through", () => {
    const sameOrigin = { origin: ORIGIN, "sec-fetch-site": "same-origin", cookie: "session=x" };
    const cases: Array<Record<string, string>> = [sameOrigin, { origin: ORIGIN }, { authorization: "Bearer token" }, {}];
    for (const headers of cases) {
      const response = securityProxy(request("/api/trpc/system.ping", { method: "POST", headers }));
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect(response.headers.get("x-middleware-next")).toBe("1");
    }
  });

  it("refuses a cookie-bearing POST with neither Origin nor Sec-Fetch-Site", () => {
    expect(securityProxy(request("/api/v1/blocks", { method: "POST", headers: { cookie: "session=x" } })).status).toBe(403);
  });

  it("lets cross-site GETs through (they change nothing) with the API's headers", () => {
    const response = securityProxy(request("/api/v1/status", { headers: crossSite }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("accepts an origin named in MATHLEDGER_TRUSTED_ORIGINS", () => {
    process.env.MATHLEDGER_TRUSTED_ORIGINS = "https://ops.example";
    const response = securityProxy(request("/api/v1/blocks", { method: "POST", headers: { origin: "https://ops.example", "sec-fetch-site": "cross-site" } }));
    expect(response.status).toBe(200);
  });
});

describe("securityProxy: pages", () => {
  it("sets a CSP with a fresh nonce on the response and on the request Next.js renders", () => {
    const first = securityProxy(request("/blocks"));
    const second = securityProxy(request("/blocks"));
    const policy = first.headers.get("content-security-policy")!;
    const nonce = nonceOfPolicy(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOfPolicy(second.headers.get("content-security-policy")!)).not.toBe(nonce);
    // NextResponse.next({ request: { headers } }) forwards overridden request headers this way.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(policy).not.toContain("'unsafe-eval'");
  });

  it("adds HSTS and upgrade-insecure-requests only behind TLS", () => {
    const plain = securityProxy(request("/"));
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const tls = securityProxy(request("/", { headers: { "x-forwarded-proto": "https" } }));
    expect(tls.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(tls.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("sets the other security headers", () => {
    const response = securityProxy(request("/epochs"));
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });
});
