/**
 * Cross-site request refusal for the API (CSRF defence in depth, beside SameSite cookies).
 *
 * The rule follows Go's net/http CrossOriginProtection (Go 1.25) and the OWASP CSRF Cheat Sheet's "Fetch Metadata"
 * and "Verifying Origin" defences:
 *  1. Safe methods (GET, HEAD, OPTIONS) pass: they must not change state anyway.
 *  2. `Sec-Fetch-Site` (sent by every current browser, unforgeable by page script) decides when present:
 *     `same-origin` and `none` (typed by the user) pass; `same-site` and `cross-site` are refused unless the
 *     `Origin` is explicitly trusted (a sibling subdomain is not this site).
 *  3. Without it, an `Origin` must be the request's own origin or a trusted one (`null` never is).
 *  4. Without either: not a browser making a cross-site request (the CLI, a peer pushing with the node token,
 *     curl). Such a request passes when it carries no cookie, since there is then no ambient credential to abuse; one
 *     carrying cookies but neither header is refused, since every browser sends `Origin` on non-GET requests.
 */

export interface CrossOriginRequest {
  method: string;
  /** `Origin` header, or null. */
  origin: string | null;
  /** `Sec-Fetch-Site` header, or null. */
  secFetchSite: string | null;
  /** This deployment's own origin as the client addressed it (`https://host[:port]`). */
  selfOrigin: string;
  /** True when the request carries a `Cookie` header. */
  hasCookie: boolean;
  /** Further origins allowed to call the API (exact `scheme://host[:port]`, lowercase). */
  trustedOrigins?: readonly string[];
}

export type CrossOriginVerdict = { allowed: true } | { allowed: false; reason: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Lowercase `scheme://host[:port]` of a URL, with the scheme's default port dropped; null when not a URL. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

export function checkCrossOrigin(request: CrossOriginRequest): CrossOriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { allowed: true };
  const self = normalizeOrigin(request.selfOrigin);
  const origin = request.origin === null ? null : request.origin === "null" ? "null" : normalizeOrigin(request.origin);
  const trusted = origin !== null && origin !== "null" && (request.trustedOrigins ?? []).includes(origin);

  const site = request.secFetchSite?.trim().toLowerCase() || null;
  if (site !== null) {
    if (site === "same-origin" || site === "none") return { allowed: true };
    if (trusted) return { allowed: true };
    return { allowed: false, reason: `a ${site} request (Sec-Fetch-Site: ${site}) from ${request.origin ?? "an unnamed origin"}` };
  }
  if (request.origin !== null) {
    if (origin !== null && origin !== "null" && (origin === self || trusted)) return { allowed: true };
    return { allowed: false, reason: `a request from another origin (Origin: ${request.origin})` };
  }
  if (request.hasCookie) return { allowed: false, reason: "a request with cookies but neither Origin nor Sec-Fetch-Site" };
  return { allowed: true };
}

/** The refusal message sent to the client. */
export function crossSiteMessage(method: string, path: string, reason: string): string {
  return `${method.toUpperCase()} ${path} refused: ${reason}. State-changing API requests must come from this portal's own pages, or from a client that sends no Origin and no cookies (the CLI, a node with its token).`;
}
