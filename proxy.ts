/**
 * Next.js 16 request proxy (the file convention that replaced middleware.ts): security headers, per-request CSP
 * nonces and the cross-site refusal for the API, before any routing. The logic is in server/http/security-proxy.ts.
 */
import type { NextRequest, NextResponse } from "next/server";

import { securityProxy } from "@/server/http/security-proxy";

export function proxy(request: NextRequest): NextResponse {
  return securityProxy(request);
}

export const config = {
  // Everything except the build's static files, which carry no nonce and get their headers from next.config.mjs.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
