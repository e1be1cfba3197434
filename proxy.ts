/**
 * Next.js 16 request proxy (the file convention that replaced middleware.ts), run before any routing:
 *  - security headers, per-request CSP nonces and the cross-site refusal for the API (server/http/security-proxy.ts);
 *  - while the database is down, page requests answer a small 503 page saying so (server/http/database-gate.ts)
 *    instead of a 500 from a render that cannot read the chain. The APIs answer their own 503 as JSON.
 */
import type { NextRequest } from "next/server";

import { pageOutageResponse } from "@/server/http/database-gate";
import { securityProxy } from "@/server/http/security-proxy";

/** Paths that are neither pages nor API routes: files the outage gate must not hold up. */
const NOT_A_PAGE = /^\/(api\/|api$|_next\/|favicon\.ico$|icon\.svg$|robots\.txt$)/;

export async function proxy(request: NextRequest): Promise<Response> {
  const response = securityProxy(request);
  if (NOT_A_PAGE.test(request.nextUrl.pathname)) return response;
  const outage = await pageOutageResponse();
  if (!outage) return response;
  // The outage page carries the same security headers as any page (it has no scripts; its styles are attributes).
  for (const [name, value] of response.headers) {
    if (!name.startsWith("x-middleware")) outage.headers.set(name, value);
  }
  return outage;
}

export const config = {
  // Everything except the build's static files, which carry no nonce and get their headers from next.config.mjs.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
