/**
 * The portal's Content-Security-Policy (CSP Level 3, https://www.w3.org/TR/CSP3/), built per request.
 *
 * Pages: a strict nonce-based policy in the form Google's "strict CSP" recommends (https://csp.withgoogle.com):
 * scripts run only when they carry this response's nonce, and `'strict-dynamic'` extends that trust to the chunks
 * those scripts load, so no host allow-list is needed ('self' stays as the fallback for CSP2 browsers, which ignore
 * 'strict-dynamic'). Next.js reads the nonce from this header on the request and stamps it on its own inline and
 * framework scripts (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md).
 *
 * Styles: stylesheets and <style> elements need 'self' or the nonce, but style *attributes* are allowed
 * (`style-src-attr 'unsafe-inline'`): React renders `style={...}` props and Recharts positions its tooltips and
 * legends with them. A style attribute cannot run script. 'unsafe-inline' is not put in style-src itself, since a
 * browser ignores it there as soon as a nonce is present.
 *
 * API responses get a policy that forbids everything (OWASP REST Security Cheat Sheet): a JSON body opened as a
 * document can then run nothing and be framed nowhere.
 */

export interface PagePolicyOptions {
  /** The per-request nonce (base64). */
  nonce: string;
  /** `next dev`: React needs eval for its debugging aids there (never in production). */
  development: boolean;
  /** The page was requested over TLS: ask the browser to upgrade any stray http:// subresource. */
  tls: boolean;
}

/** The directives of a page's policy, in order; each value is the source list. */
export function pagePolicyDirectives({ nonce, development, tls }: PagePolicyOptions): Array<[string, string]> {
  const directives: Array<[string, string]> = [
    ["default-src", "'self'"],
    // 'wasm-unsafe-eval' compiles WebAssembly (hash-wasm) without allowing eval() of strings.
    ["script-src", `'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${development ? " 'unsafe-eval'" : ""}`],
    // Development: the dev server injects CSS as un-nonced <style> elements (hot reload, error overlay), so there
    // styles are allowed inline, as Next.js's CSP guide does for `next dev`. Production keeps the nonce.
    ["style-src", development ? "'self' 'unsafe-inline'" : `'self' 'nonce-${nonce}'`],
    ["style-src-elem", development ? "'self' 'unsafe-inline'" : `'self' 'nonce-${nonce}'`],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self' data: blob:"],
    ["font-src", "'self'"],
    // Development: the hot-reload socket (ws://same host) is not covered by 'self' in every browser.
    ["connect-src", development ? "'self' ws: wss:" : "'self'"],
    ["worker-src", "'self'"],
    ["manifest-src", "'self'"],
    ["frame-src", "'none'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  // Only over TLS: on a plain-http deployment (localhost) it would send every subresource to an https:// that
  // does not exist.
  if (tls) directives.push(["upgrade-insecure-requests", ""]);
  return directives;
}

/** Serialises directives as one header value (`name value; name value`). */
export function serializePolicy(directives: ReadonlyArray<readonly [string, string]>): string {
  return directives.map(([name, value]) => (value ? `${name} ${value}` : name)).join("; ");
}

/** The Content-Security-Policy header value for an HTML page. */
export function pageContentSecurityPolicy(options: PagePolicyOptions): string {
  return serializePolicy(pagePolicyDirectives(options));
}

/** The Content-Security-Policy for API (JSON) responses: nothing may load, nobody may frame. */
export const API_CONTENT_SECURITY_POLICY = serializePolicy([
  ["default-src", "'none'"],
  ["frame-ancestors", "'none'"],
  ["base-uri", "'none'"],
  ["form-action", "'none'"],
]);

/**
 * A nonce from 16 random bytes (128 bits, as CSP3 §7.1 asks: "at least 128 bits"), base64-encoded.
 * The caller supplies the bytes (crypto.getRandomValues), so this module stays free of I/O.
 */
export function nonceFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new RangeError(`a CSP nonce needs at least 16 random bytes, got ${bytes.length}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The nonce inside a policy's script-src (`'nonce-…'`), or null: what Next.js itself looks for. */
export function nonceOfPolicy(policy: string): string | null {
  const scriptSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src "));
  const match = scriptSrc && /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(scriptSrc);
  return match ? match[1] : null;
}
