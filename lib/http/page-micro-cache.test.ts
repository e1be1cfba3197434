/**
 * The explorer pages' micro-cache (page-micro-cache.ts): which requests it may answer, how long an entry lives, how
 * many it keeps, and that every answer carries its own nonce.
 */
import { describe, expect, it } from "vitest";
import { nonceFromBytes } from "../security/content-security-policy";
import { createPageMicroCache, isCacheablePageRequest, PAGE_CACHE_BYPASS_HEADER, pageCacheKey, withFreshNonce } from "./page-micro-cache";

const request = (pathname: string, headers: Record<string, string> = {}, method = "GET") => ({ method, pathname, header: (name: string) => headers[name] ?? null });
const page = (html: string, storedAt: number) => ({ html, nonce: "n".repeat(24), headers: [["content-type", "text/html"]] as [string, string][], storedAt });

describe("isCacheablePageRequest", () => {
  it("takes document loads of the explorer pages", () => {
    for (const path of ["/blocks", "/blocks/42", "/blocks/id/0xab"]) expect(isCacheablePageRequest(request(path)), path).toBe(true);
  });
  it("never takes governance, the dashboard, API routes, other methods, router requests or its own renders", () => {
    for (const path of ["/", "/governance", "/council", "/validate", "/api/v1/status", "/blocksx", "/epochs", "/epochs/1"]) expect(isCacheablePageRequest(request(path)), path).toBe(false);
    expect(isCacheablePageRequest(request("/blocks", {}, "POST"))).toBe(false);
    expect(isCacheablePageRequest(request("/blocks", {}, "HEAD"))).toBe(false);
    // What a browser's client-side navigation or prefetch still shows once Next.js stripped its router headers.
    expect(isCacheablePageRequest(request("/blocks", { "sec-fetch-dest": "empty" }))).toBe(false);
    expect(isCacheablePageRequest(request("/blocks", { accept: "text/x-component" }))).toBe(false);
    expect(isCacheablePageRequest(request("/blocks", { "sec-fetch-dest": "document", accept: "text/html" }))).toBe(true);
    for (const header of ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action", PAGE_CACHE_BYPASS_HEADER]) {
      expect(isCacheablePageRequest(request("/blocks", { [header]: "1" })), header).toBe(false);
    }
  });
});

describe("pageCacheKey", () => {
  it("separates queries and cookies (a render for one session is never served to another)", () => {
    const keys = [pageCacheKey("/blocks", null), pageCacheKey("/blocks?before=9", null), pageCacheKey("/blocks", "mlpq_session=a"), pageCacheKey("/blocks", "mlpq_session=b")];
    expect(new Set(keys).size).toBe(keys.length);
    expect(pageCacheKey("/blocks", null)).toBe(pageCacheKey("/blocks", null));
  });
});

describe("createPageMicroCache", () => {
  it("serves an entry until its lifetime has passed, then forgets it", () => {
    let now = 1000;
    const cache = createPageMicroCache({ ttlMs: 1000, maxEntries: 8, maxPageChars: 1000, now: () => now });
    cache.set("a", page("<p>a</p>", 1000));
    now = 1999;
    expect(cache.get("a")?.html).toBe("<p>a</p>");
    now = 2000;
    expect(cache.get("a")).toBeNull();
    expect(cache.size).toBe(0);
  });
  it("dates an entry by its render's start, not by when it was stored", () => {
    const cache = createPageMicroCache({ ttlMs: 1000, maxEntries: 8, maxPageChars: 1000, now: () => 5000 });
    cache.set("old", page("x", 3900));
    expect(cache.get("old")).toBeNull();
  });
  it("keeps at most maxEntries, dropping the oldest stored", () => {
    const cache = createPageMicroCache({ ttlMs: 60_000, maxEntries: 2, maxPageChars: 1000, now: () => 0 });
    cache.set("a", page("a", 0));
    cache.set("b", page("b", 0));
    cache.set("a", page("a2", 0));
    cache.set("c", page("c", 0));
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeNull();
    expect(cache.get("a")?.html).toBe("a2");
    expect(cache.get("c")?.html).toBe("c");
  });
  it("stores nothing with a zero lifetime or a page over the size bound", () => {
    const off = createPageMicroCache({ ttlMs: 0, maxEntries: 2, maxPageChars: 1000, now: () => 0 });
    off.set("a", page("a", 0));
    expect(off.get("a")).toBeNull();
    const small = createPageMicroCache({ ttlMs: 1000, maxEntries: 2, maxPageChars: 3, now: () => 0 });
    small.set("a", page("abcd", 0));
    expect(small.get("a")).toBeNull();
  });
  it("refuses a nonsensical configuration", () => {
    expect(() => createPageMicroCache({ ttlMs: -1, maxEntries: 2, maxPageChars: 3 })).toThrow(RangeError);
    expect(() => createPageMicroCache({ ttlMs: Number.NaN, maxEntries: 2, maxPageChars: 3 })).toThrow(RangeError);
    expect(() => createPageMicroCache({ ttlMs: 1, maxEntries: 0, maxPageChars: 3 })).toThrow(RangeError);
  });
});

describe("withFreshNonce", () => {
  it("replaces the render's nonce everywhere (attributes and flight payload) and leaves nothing of it", () => {
    const old = nonceFromBytes(new Uint8Array(16).fill(1));
    const fresh = nonceFromBytes(new Uint8Array(16).fill(2));
    const html = `<script nonce="${old}">a</script><link nonce="${old}"><script nonce="${old}">self.__next_f.push([1,"{\\"nonce\\":\\"${old}\\"}"])</script>`;
    const out = withFreshNonce({ html, nonce: old }, fresh);
    expect(out).not.toContain(old);
    expect(out.split(fresh).length - 1).toBe(4);
    expect(out.replaceAll(fresh, old)).toBe(html);
  });
  it("refuses a nonce too short to be unique in a page", () => {
    expect(() => withFreshNonce({ html: "<p>abc</p>", nonce: "abc" }, "x".repeat(24))).toThrow(RangeError);
  });
});
