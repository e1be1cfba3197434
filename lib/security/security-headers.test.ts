import { describe, expect, it } from "vitest";

import { baseSecurityHeaders, DENIED_FEATURES, PERMISSIONS_POLICY, requestedOverTls, STRICT_TRANSPORT_SECURITY } from "./security-headers";

describe("baseSecurityHeaders", () => {
  it("sets nosniff, no-referrer, the permissions policy and DENY framing", () => {
    const headers = baseSecurityHeaders({ tls: false });
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("no-referrer");
    expect(headers["Permissions-Policy"]).toBe(PERMISSIONS_POLICY);
    expect(headers["X-Frame-Options"]).toBe("DENY");
  });

  it("sends HSTS only over TLS", () => {
    expect(baseSecurityHeaders({ tls: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(baseSecurityHeaders({ tls: true })["Strict-Transport-Security"]).toBe(STRICT_TRANSPORT_SECURITY);
  });
});

describe("PERMISSIONS_POLICY", () => {
  it("denies every listed feature to everyone, camera, microphone and geolocation included", () => {
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
    expect(PERMISSIONS_POLICY.split(", ")).toHaveLength(DENIED_FEATURES.length);
  });
});

describe("requestedOverTls", () => {
  it("is true for an https URL or a proxy's X-Forwarded-Proto: https", () => {
    expect(requestedOverTls("https:", null)).toBe(true);
    expect(requestedOverTls("http:", "https")).toBe(true);
    expect(requestedOverTls("http:", "HTTPS, http")).toBe(true);
  });

  it("is false for plain http", () => {
    expect(requestedOverTls("http:", null)).toBe(false);
    expect(requestedOverTls("http:", "http")).toBe(false);
    expect(requestedOverTls("http:", "")).toBe(false);
  });
});
