/**
 * The client address a per-IP rate limit counts, from `X-Forwarded-For`.
 *
 * Next.js gives route handlers no socket address; its server fills `X-Forwarded-For` with the socket's peer only
 * when the request has none (next/dist/server/base-server.js). So the rightmost entry is what the nearest hop saw:
 * the socket peer when nothing sits in front, or the address the reverse proxy recorded. deploy/nginx.conf
 * *overwrites* the header with `$remote_addr`, so behind it a client cannot choose its own address. Exposed without
 * such a proxy, a client can send its own `X-Forwarded-For` and pick the address its per-IP limits count under
 * (README, Deployment).
 */

/** The rightmost `X-Forwarded-For` entry, IPv4-mapped IPv6 folded to IPv4; "unknown" when there is none. */
export function clientAddress(forwardedFor: string | null): string {
  const last = forwardedFor?.split(",").map((part) => part.trim()).filter(Boolean).at(-1);
  if (!last) return "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(last);
  return (mapped ? mapped[1] : last).toLowerCase();
}
