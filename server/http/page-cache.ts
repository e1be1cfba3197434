/**
 * The HTTP side of the explorer pages' micro-cache (lib/http/page-micro-cache.ts says what is cached and why), run
 * by proxy.ts before routing.
 *
 * On a miss the proxy asks this same server for the page over loopback, marked with PAGE_CACHE_BYPASS_HEADER so
 * that request is rendered as usual (and goes through proxy.ts itself: security headers, its own nonce), then keeps
 * the HTML. Concurrent misses for one page share that render (single flight). Every answer, hit or miss, is sent
 * with the nonce and security headers of the request being answered, and `X-MathLedger-Page-Cache: hit | miss`.
 *
 * When the loopback request cannot be made (a server bound to one address other than 127.0.0.1 with -H), the page
 * is rendered for this request as if there were no cache.
 */
import type { NextRequest } from "next/server";

import { createSingleFlight } from "../../lib/async/single-flight";
import { createPageMicroCache, isCacheablePageRequest, PAGE_CACHE_BYPASS_HEADER, pageCacheKey, withFreshNonce, type CachedPage, type PageMicroCache } from "../../lib/http/page-micro-cache";
import { nonceOfPolicy } from "../../lib/security/content-security-policy";
import { readConfig } from "../config";

const MAX_ENTRIES = 256;
/** A block list page is about 100 KB; anything near this is not a page the explorer renders. */
const MAX_PAGE_CHARS = 2_000_000;
const RENDER_TIMEOUT_MS = 15_000;

/** Request headers not forwarded to the loopback render: the connection's own, and the encoding (we want it plain). */
const NOT_FORWARDED = new Set(["host", "connection", "keep-alive", "content-length", "transfer-encoding", "accept-encoding", "upgrade"]);
/**
 * Render headers not repeated: the connection's own, and the body's length and encoding (the body is re-sent
 * decoded). The headers proxy.ts sets on every response (the CSP with that response's nonce) replace the render's.
 */
const NOT_REPEATED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date"]);

interface Render {
  status: number;
  headers: [string, string][];
  body: string;
  /** The nonce of the render's CSP (null: no page policy, so nothing to replace). */
  nonce: string | null;
  startedAt: number;
}

/** The port this server listens on: `next start` stores the port it bound in PORT (whatever -p or PORT said). */
function listeningPort(): string {
  return process.env.PORT ?? String(readConfig().PORT);
}

let cache: PageMicroCache | null = null;
/** Until when the loopback is known unreachable (nothing listens there): requests render as usual meanwhile. */
let loopbackDownUntil = 0;
const LOOPBACK_RETRY_MS = 60_000;
let cacheTtl = -1;
const renders = createSingleFlight<Render>();

async function renderOverLoopback(pathAndQuery: string, incoming: Headers): Promise<Render> {
  const startedAt = Date.now();
  const headers = new Headers();
  for (const [name, value] of incoming) if (!NOT_FORWARDED.has(name) && !name.startsWith("x-middleware-")) headers.set(name, value);
  headers.set(PAGE_CACHE_BYPASS_HEADER, "render");
  headers.set("accept-encoding", "identity");
  const res = await fetch(`http://127.0.0.1:${listeningPort()}${pathAndQuery}`, { headers, redirect: "manual", signal: AbortSignal.timeout(RENDER_TIMEOUT_MS) });
  const body = await res.text();
  return {
    status: res.status,
    headers: [...res.headers].filter(([name]) => !NOT_REPEATED.has(name)),
    body,
    nonce: nonceOfPolicy(res.headers.get("content-security-policy") ?? ""),
    startedAt,
  };
}

/**
 * A stored page for the request `secured` answers (proxy.ts's response: its headers and nonce). The render's nonce is
 * replaced in the body and in the render's own headers (Next.js repeats it in a Link preload header).
 */
function answer(page: CachedPage, freshNonce: string, secured: Response, state: "hit" | "miss"): Response {
  const headers = new Headers(page.headers.map(([name, value]): [string, string] => [name, value.split(page.nonce).join(freshNonce)]));
  for (const [name, value] of secured.headers) if (!name.startsWith("x-middleware-")) headers.set(name, value);
  headers.set("x-mathledger-page-cache", state);
  return new Response(withFreshNonce(page, freshNonce), { status: 200, headers });
}

/**
 * The page for this request from the cache (or rendered once for it and kept), or null when the request is not one
 * the cache serves (it then renders as usual).
 */
export async function microCachedPage(request: NextRequest, secured: Response): Promise<Response | null> {
  const ttl = readConfig().MATHLEDGER_PAGE_CACHE_MS;
  if (ttl === 0) return null;
  if (!isCacheablePageRequest({ method: request.method, pathname: request.nextUrl.pathname, header: (name) => request.headers.get(name) })) return null;
  // The router's cache-busting parameter, in case its request reaches here with none of the signs above.
  if (/[?&]_rsc=/.test(request.url)) return null;
  const freshNonce = nonceOfPolicy(secured.headers.get("content-security-policy") ?? "");
  if (!freshNonce || Date.now() < loopbackDownUntil) return null;
  if (!cache || cacheTtl !== ttl) {
    cache = createPageMicroCache({ ttlMs: ttl, maxEntries: MAX_ENTRIES, maxPageChars: MAX_PAGE_CHARS });
    cacheTtl = ttl;
  }

  const pathAndQuery = request.nextUrl.pathname + request.nextUrl.search;
  const key = pageCacheKey(pathAndQuery, request.headers.get("cookie"));
  const stored = cache.get(key);
  if (stored) return answer(stored, freshNonce, secured, "hit");

  let render: Render;
  try {
    render = await renders.run(key, () => renderOverLoopback(pathAndQuery, request.headers));
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED" || code === "EADDRNOTAVAIL") loopbackDownUntil = Date.now() + LOOPBACK_RETRY_MS;
    return null;
  }
  const html = (render.headers.find(([name]) => name === "content-type")?.[1] ?? "").startsWith("text/html");
  // A render that sets a cookie answered one request, not the page.
  const setsCookie = render.headers.some(([name]) => name === "set-cookie");
  // Anything else than a complete 200 page (a redirect, a 404, an error, a cookie) is not kept, and this request is
  // rendered as usual: Next.js answers it exactly as without the cache (a proxy may not hand back a relative
  // Location, for one), at the price of a second render for such requests.
  if (render.status !== 200 || !html || !render.nonce || setsCookie) return null;
  // Dated by when the render started: its data is at least that old.
  const page = { html: render.body, nonce: render.nonce, headers: render.headers, storedAt: render.startedAt };
  cache.set(key, page);
  return answer(page, freshNonce, secured, "miss");
}
