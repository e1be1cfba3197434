/**
 * The security headers on every response of the portal, besides the Content-Security-Policy
 * (content-security-policy.ts). One table, applied by proxy.ts to pages and API responses alike.
 *
 * References: OWASP HTTP Headers Cheat Sheet; MDN for each header.
 */

/**
 * Browser features the portal never uses, denied to the page and to any frame (`feature=()`). Only names Chromium
 * recognises: an unknown name makes Chromium log an error on every page ("Unrecognized feature"), which is why
 * `bluetooth` (not a Permissions-Policy feature in Chromium 1xx) is absent.
 */
export const DENIED_FEATURES = [
  "accelerometer",
  "autoplay",
  "camera",
  "display-capture",
  "encrypted-media",
  "fullscreen",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "picture-in-picture",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
] as const;

export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(", ");

/** One year, the minimum for HSTS preload lists; subdomains included because the portal holds signing keys. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** Headers for every response (pages, API, static files). */
export function baseSecurityHeaders({ tls }: { tls: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    // Never guess a type: a JSON body or an uploaded file must not run as script or render as HTML.
    "X-Content-Type-Options": "nosniff",
    // Block hashes, proposal ids and query strings stay on this site.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    // frame-ancestors in the CSP is the rule; this covers browsers that predate it.
    "X-Frame-Options": "DENY",
    // Another window this page opens (or that opens it) gets no handle on it: no cross-window scripting of a page
    // that holds keys.
    "Cross-Origin-Opener-Policy": "same-origin",
    // Other sites cannot embed the portal's responses (scripts, JSON) as their own subresources.
    "Cross-Origin-Resource-Policy": "same-origin",
  };
  // HSTS means something only over TLS, and a browser ignores it on plain http; sending it on http would also wrongly
  // advertise a TLS deployment that does not exist.
  if (tls) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return headers;
}

/**
 * True when the request reached the deployment over TLS: the URL's own scheme (Next terminating TLS itself), or a
 * reverse proxy's `X-Forwarded-Proto: https` (deploy/nginx.conf sets it and overwrites any value the client sent).
 * A client lying about it over plain http only earns an HSTS header its browser ignores there.
 */
export function requestedOverTls(protocol: string, forwardedProto: string | null): boolean {
  if (protocol === "https:") return true;
  const first = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  return first === "https";
}
