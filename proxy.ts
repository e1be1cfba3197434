/**
 * Next.js proxy (formerly middleware), run before every page request: while the database is down, pages answer 503
 * with a page saying so (see server/http/database-gate.ts) instead of a 500 from a render that cannot read the chain.
 * API routes, static files and Next's own assets are not matched: the APIs answer their own 503 as JSON.
 */
import { NextResponse } from "next/server";

import { pageOutageResponse } from "@/server/http/database-gate";

export async function proxy(): Promise<Response> {
  return (await pageOutageResponse()) ?? NextResponse.next();
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon\\.ico|icon\\.svg|robots\\.txt).*)"],
};
