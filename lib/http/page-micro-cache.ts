/**
 * A micro-cache for rendered explorer pages (issue 6 §5): the HTML of a page render is kept for about a second and
 * served again to requests for the same page, as nginx's proxy_cache with a 1 s validity or Varnish's short TTLs do
 * in front of dynamic sites.
 *
 * Why: rendering a page (React server components, then HTML, then the inline flight payload) costs about 20 ms of
 * CPU here whatever the chain's length, twice the budget for one client, and many operators watching the explorer
 * at once would each pay it. The data behind these pages changes at most once per block (every 2 s on the devnet),
 * and the pages that show live state poll for it on their own, so a render up to a second old shows what a fresh
 * one would have shown a moment ago.
 *
 * What keeps it correct:
 *  - Only plain document requests (GET, no React Server Components or router headers) for read-only explorer
 *    pages are cached; never governance pages, forms or API routes.
 *  - The key includes the Cookie header: a render that depended on who asked (the signed-in member in the page
 *    header) is only served to a request carrying the same cookies.
 *  - Only complete 200 HTML answers are stored and served; a request whose render is a redirect, a 404 or an
 *    error is rendered as usual, as if there were no cache.
 *  - Every response gets a fresh CSP nonce: the stored render's nonce is replaced in the HTML (attributes and flight
 *    payload) and in its headers (a Link preload) by the nonce of the response being sent, so no two responses
 *    share one.
 *
 * Pure: no Node or Next.js APIs; server/http/page-cache.ts does the HTTP part.
 */

/** Request headers a page request carries when Next.js's client router (not a document load) asks for it. */
const ROUTER_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action"] as const;

/** The header the cache's own render requests carry: such a request is rendered, never answered from the cache. */
export const PAGE_CACHE_BYPASS_HEADER = "x-mathledger-page-cache";

/**
 * Pages whose render depends only on the chain (and the viewer's cookies): the block explorer. Not /epochs: its
 * server render has text that depends on the moment (a served render a second old failed to hydrate, React #418).
 */
export function isMicroCachedPath(pathname: string): boolean {
  return pathname === "/blocks" || pathname.startsWith("/blocks/");
}

export interface PageRequestShape {
  method: string;
  pathname: string;
  /** Lowercase header lookup (null when absent). */
  header(name: string): string | null;
}

/** Whether a request may be answered from the cache (and its render stored). */
export function isCacheablePageRequest(request: PageRequestShape): boolean {
  if (request.method !== "GET") return false;
  if (!isMicroCachedPath(request.pathname)) return false;
  if (request.header(PAGE_CACHE_BYPASS_HEADER) !== null) return false;
  // Next.js hides its router headers from the proxy (it strips them before proxy.ts runs), so those checks alone
  // let a client-side navigation or prefetch through and it would get HTML instead of its flight payload. What a
  // browser does send: Sec-Fetch-Dest "document" on a page load, "empty" on fetch(); and the router asks for
  // text/x-component. A client that sends neither (curl, a load generator) is loading a document.
  const dest = request.header("sec-fetch-dest");
  if (dest !== null && dest !== "document") return false;
  if ((request.header("accept") ?? "").includes("text/x-component")) return false;
  return ROUTER_HEADERS.every((name) => request.header(name) === null);
}

/** The cache key: path with query, and the cookies the render may have depended on. */
export function pageCacheKey(pathAndQuery: string, cookie: string | null): string {
  return `${pathAndQuery}\n${cookie ?? ""}`;
}

export interface CachedPage {
  html: string;
  /** The CSP nonce the stored HTML was rendered with (replaced on the way out). */
  nonce: string;
  /** Response headers of the render worth repeating (content type, Vary, Cache-Control, Link), lowercase names. */
  headers: [string, string][];
  storedAt: number;
}

export interface PageMicroCache {
  /** The stored page for `key` if it is younger than the cache's lifetime. */
  get(key: string): CachedPage | null;
  set(key: string, page: CachedPage): void;
  readonly size: number;
}

export interface PageMicroCacheOptions {
  ttlMs: number;
  /** Entries kept at most; the least recently stored goes first. */
  maxEntries: number;
  /** Pages larger than this are not stored (characters of HTML). */
  maxPageChars: number;
  now?: () => number;
}

export function createPageMicroCache(options: PageMicroCacheOptions): PageMicroCache {
  if (!(options.ttlMs >= 0) || !Number.isFinite(options.ttlMs)) throw new RangeError(`a page cache lifetime must be a finite number of ms ≥ 0, got ${options.ttlMs}`);
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError(`a page cache needs room for at least one entry, got ${options.maxEntries}`);
  const now = options.now ?? Date.now;
  const entries = new Map<string, CachedPage>();
  return {
    get(key) {
      const page = entries.get(key);
      if (!page) return null;
      if (now() - page.storedAt >= options.ttlMs) {
        entries.delete(key);
        return null;
      }
      return page;
    },
    set(key, page) {
      if (options.ttlMs === 0 || page.html.length > options.maxPageChars) return;
      // Map keeps insertion order: re-inserting moves the key to the end, the oldest is first.
      entries.delete(key);
      entries.set(key, page);
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * The stored HTML with its render's nonce replaced by `freshNonce` everywhere it occurs (script nonce attributes,
 * the flight payload). A nonce is 16 random bytes in base64 (lib/security/content-security-policy.ts): it cannot
 * occur in the page by chance.
 */
export function withFreshNonce(page: Pick<CachedPage, "html" | "nonce">, freshNonce: string): string {
  if (page.nonce.length < 16) throw new RangeError("a stored page's nonce is too short to be replaced safely");
  return page.html.split(page.nonce).join(freshNonce);
}
