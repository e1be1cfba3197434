import { describe, expect, it } from "vitest";

import { API_CONTENT_SECURITY_POLICY, nonceFromBytes, nonceOfPolicy, pageContentSecurityPolicy, pagePolicyDirectives } from "./content-security-policy";

const NONCE = "AAECAwQFBgcICQoLDA0ODw==";
const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((d) => d === name || d.startsWith(`${name} `))
    ?.slice(name.length)
    .trim();

describe("pageContentSecurityPolicy", () => {
  const production = pageContentSecurityPolicy({ nonce: NONCE, development: false, tls: false });

  it("lets scripts run only with this request's nonce, trusting what they load ('strict-dynamic'), and WebAssembly", () => {
    expect(directive(production, "script-src")).toBe(`'self' 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'`);
  });

  it("never allows eval or inline script in production", () => {
    expect(production).not.toContain("'unsafe-eval'");
    expect(directive(production, "script-src")).not.toContain("'unsafe-inline'");
  });

  it("allows eval and inline <style> only in development (React's debugging aids, the dev server's CSS)", () => {
    const development = pageContentSecurityPolicy({ nonce: NONCE, development: true, tls: false });
    expect(directive(development, "script-src")).toContain("'unsafe-eval'");
    expect(directive(development, "style-src-elem")).toBe("'self' 'unsafe-inline'");
    expect(directive(development, "script-src")).not.toContain("'unsafe-inline'");
  });

  it("forbids plugins, <base> and being framed, and keeps connections and forms on this site", () => {
    expect(directive(production, "object-src")).toBe("'none'");
    expect(directive(production, "base-uri")).toBe("'none'");
    expect(directive(production, "frame-ancestors")).toBe("'none'");
    expect(directive(production, "connect-src")).toBe("'self'");
    expect(directive(production, "form-action")).toBe("'self'");
    expect(directive(production, "default-src")).toBe("'self'");
  });

  it("allows style attributes but not un-nonced <style> elements", () => {
    expect(directive(production, "style-src-attr")).toBe("'unsafe-inline'");
    expect(directive(production, "style-src-elem")).toBe(`'self' 'nonce-${NONCE}'`);
    expect(directive(production, "style-src")).not.toContain("'unsafe-inline'");
  });

  it("upgrades insecure requests only when served over TLS", () => {
    expect(production).not.toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce: NONCE, development: false, tls: true })).toMatch(/; upgrade-insecure-requests$/);
  });

  it("names each directive once", () => {
    const names = pagePolicyDirectives({ nonce: NONCE, development: true, tls: true }).map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("API_CONTENT_SECURITY_POLICY", () => {
  it("forbids loading anything and being framed", () => {
    expect(directive(API_CONTENT_SECURITY_POLICY, "default-src")).toBe("'none'");
    expect(directive(API_CONTENT_SECURITY_POLICY, "frame-ancestors")).toBe("'none'");
  });
});

describe("nonceFromBytes", () => {
  it("base64-encodes the bytes", () => {
    expect(nonceFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe(NONCE);
  });

  it("refuses fewer than 128 bits", () => {
    expect(() => nonceFromBytes(new Uint8Array(15))).toThrow(/at least 16 random bytes/);
  });
});

describe("nonceOfPolicy", () => {
  it("finds the nonce where Next.js looks for it (script-src)", () => {
    expect(nonceOfPolicy(pageContentSecurityPolicy({ nonce: NONCE, development: false, tls: false }))).toBe(NONCE);
  });

  it("is null for a policy without one", () => {
    expect(nonceOfPolicy(API_CONTENT_SECURITY_POLICY)).toBeNull();
  });
});
