/**
 * The governance session cookie (docs/spec/governance.md §12), written and read as plain header text:
 *
 *   Set-Cookie: mlpq_session=<token>; Path=/; HttpOnly; SameSite=Strict; Max-Age=<s>[; Secure]
 *
 * - HttpOnly: page script (an injected one included) cannot read the token; the browser sends it by itself.
 * - SameSite=Strict: no cross-site request carries it, not even a top-level link from another site (the member then
 *   lands signed out and the first same-site request has the cookie again). Nothing in the portal needs the session on
 *   a cross-site navigation, and Strict closes login-CSRF-style tricks that Lax leaves to the Origin check alone.
 * - Secure when the request came over TLS (at the reverse proxy); on plain-http devnets the browser would drop a
 *   Secure cookie, so it is left off there.
 * - Path=/: the pages show who is signed in, and the API routes read it.
 */

export const SESSION_COOKIE = "mlpq_session";

export interface CookieOptions {
  tls: boolean;
  /** Seconds until the browser forgets the cookie. */
  maxAgeSeconds: number;
}

function attributes(options: CookieOptions): string {
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}${options.tls ? "; Secure" : ""}`;
}

/** The Set-Cookie value that hands the browser a session token. */
export function sessionCookie(token: string, options: CookieOptions): string {
  return `${SESSION_COOKIE}=${token}; ${attributes(options)}`;
}

/** The Set-Cookie value that makes the browser forget the session (sign-out). */
export function clearedSessionCookie(tls: boolean): string {
  return `${SESSION_COOKIE}=; ${attributes({ tls, maxAgeSeconds: 0 })}`;
}

/** The session token in a `Cookie` request header, or null. */
export function sessionTokenFromCookieHeader(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
