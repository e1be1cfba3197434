/**
 * Next.js 16 request proxy (the file convention that replaced middleware.ts), run before any routing:
 *  - security headers, per-request CSP nonces and the cross-site refusal for the API (server/http/security-proxy.ts);
 *  - while the database is down, page requests answer a small 503 page saying so (server/http/database-gate.ts)
 *    instead of a 500 from a render that cannot read the chain. The APIs answer their own 503 as JSON;
 *  - explorer pages rendered less than a second ago are served again (server/http/page-cache.ts).
 */
import type { NextRequest } from "next/server";

import { pageOutageResponse } from "@/server/http/database-gate";
import { microCachedPage } from "@/server/http/page-cache";
import { securityProxy } from "@/server/http/security-proxy";

/** Paths that are neither pages nor API routes: files the outage gate must not hold up. */
const NOT_A_PAGE = /^\/(api\/|api$|_next\/|favicon\.ico$|icon\.svg$|robots\.txt$)/;

export async function proxy(request: NextRequest): Promise<Response> {
  const response = securityProxy(request);
  if (NOT_A_PAGE.test(request.nextUrl.pathname)) return response;
  const outage = await pageOutageResponse();
  if (!outage) return (await microCachedPage(request, response)) ?? response;
  // The outage page carries the same security headers as any page (it has no scripts; its styles are attributes).
  for (const [name, value] of response.headers) {
    if (!name.startsWith("x-middleware")) outage.headers.set(name, value);
  }
  return outage;
}

/**
 * Which requests pass through the proxy: every page and file except the build's static files (no nonce needed; their
 * headers come from next.config.mjs), and every API request that carries what a browser sends (Origin, a cookie, or
 * Sec-Fetch-Site), so every cross-site browser request is checked before routing.
 *
 * API requests with none of the three (the CLI, peers pushing with the node token) skip the proxy: the cross-site
 * rule lets them pass anyway, and Next buffers a proxied request's whole body before routing, which would defeat the
 * push route's own 10 s body timeout (408) against slow or stalled uploads. next.config.mjs gives their responses the
 * same API headers.
 */
export const config = {
  matcher: [
    "/((?!_next/static|_next/image|api/).*)",
    { source: "/api/:path*", has: [{ type: "header", key: "origin" }] },
    { source: "/api/:path*", has: [{ type: "header", key: "cookie" }] },
    { source: "/api/:path*", has: [{ type: "header", key: "sec-fetch-site" }] },
  ],
};
