/**
 * What proxy.ts (Next.js 16's request proxy, formerly middleware) does to every request before routing:
 *
 *  - API requests (/api/…): a state-changing method (anything but GET/HEAD/OPTIONS) coming cross-site is refused
 *    with 403 `{"error": {"code": "CROSS_SITE_REQUEST", …}}` whatever the path (lib/security/cross-origin-check.ts);
 *    every API response gets the security headers and a policy that forbids rendering anything.
 *  - Pages: a fresh nonce per request, put into the Content-Security-Policy on the *request* (Next.js reads it there
 *    and stamps its own scripts with it while rendering) and on the response, with the other security headers.
 *    Pages must render per request for this to work (app/layout.tsx awaits connection()): a page prerendered at build
 *    time carries no nonce and its scripts would be blocked.
 */
import { NextResponse, type NextRequest } from "next/server";

import { checkCrossOrigin, crossSiteMessage } from "../../lib/security/cross-origin-check";
import { API_CONTENT_SECURITY_POLICY, nonceFromBytes, pageContentSecurityPolicy } from "../../lib/security/content-security-policy";
import { baseSecurityHeaders, requestedOverTls } from "../../lib/security/security-headers";
import { readConfig } from "../config";

let trustedOrigins: readonly string[] | null = null;

/** MATHLEDGER_TRUSTED_ORIGINS, read once (npm start has already validated the environment). */
function configuredTrustedOrigins(): readonly string[] {
  trustedOrigins ??= readConfig().MATHLEDGER_TRUSTED_ORIGINS;
  return trustedOrigins;
}

/** Test hook: forget the cached configuration. */
export function resetSecurityProxyConfig(): void {
  trustedOrigins = null;
}

function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

export function securityProxy(request: NextRequest): NextResponse {
  const headers = request.headers;
  const tls = requestedOverTls(request.nextUrl.protocol, headers.get("x-forwarded-proto"));
  const base = baseSecurityHeaders({ tls });

  if (isApiPath(request.nextUrl.pathname)) {
    const host = headers.get("host") ?? request.nextUrl.host;
    const verdict = checkCrossOrigin({
      method: request.method,
      origin: headers.get("origin"),
      secFetchSite: headers.get("sec-fetch-site"),
      selfOrigin: `${tls ? "https" : "http"}://${host}`,
      hasCookie: headers.has("cookie"),
      trustedOrigins: configuredTrustedOrigins(),
    });
    const response = verdict.allowed
      ? NextResponse.next()
      : NextResponse.json(
          { error: { code: "CROSS_SITE_REQUEST", message: crossSiteMessage(request.method, request.nextUrl.pathname, verdict.reason) } },
          { status: 403, headers: { "cache-control": "no-store" } },
        );
    for (const [name, value] of Object.entries(base)) response.headers.set(name, value);
    response.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
    return response;
  }

  const nonce = nonceFromBytes(crypto.getRandomValues(new Uint8Array(16)));
  const policy = pageContentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development", tls });
  const requestHeaders = new Headers(headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(base)) response.headers.set(name, value);
  response.headers.set("Content-Security-Policy", policy);
  return response;
}
