/**
 * Fixed-window rate limiting, the pure part: what a limit is, how it is written in configuration, which window a
 * moment falls in, and the verdict for a counter. The counter itself lives in PostgreSQL
 * (server/security/rate-limit-repository.ts), so the limit holds across every web server process.
 *
 * Fixed windows (as in GitHub's and Stripe's API limits): `limit` requests per `windowSeconds`, counted from the
 * start of the window the request falls in, with `Retry-After` pointing at the window's end (RFC 9110 §10.2.3).
 * A client can at most double its rate across one window boundary; that is accepted for one upsert per request.
 */

/** `limit` requests per `windowSeconds`; `limit` 0 means unlimited. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export const UNLIMITED: RateLimit = { limit: 0, windowSeconds: 60 };

export function isUnlimited(limit: RateLimit): boolean {
  return limit.limit === 0;
}

/**
 * Parses a configured limit: `"<requests>/<seconds>"` (e.g. `"120/60"`: 120 per minute), a bare `"<requests>"`
 * (per 60 seconds), or `"0"` (unlimited). Throws a RangeError saying what is wrong.
 */
export function parseRateLimit(text: string): RateLimit {
  const match = /^\s*(\d{1,9})\s*(?:\/\s*(\d{1,7})\s*s?\s*)?$/.exec(text);
  if (!match) throw new RangeError(`expected "<requests>/<seconds>" (e.g. "120/60"), a number of requests per minute, or 0 for unlimited; got "${text}"`);
  const limit = Number(match[1]);
  const windowSeconds = match[2] === undefined ? 60 : Number(match[2]);
  if (windowSeconds < 1 || windowSeconds > 86_400) throw new RangeError(`the window must be 1 to 86400 seconds, got ${windowSeconds}`);
  return { limit, windowSeconds };
}

/** Human form of a limit, for messages: "120 requests per 60 s" or "unlimited". */
export function describeRateLimit(limit: RateLimit): string {
  if (isUnlimited(limit)) return "unlimited";
  return `${limit.limit} request${limit.limit === 1 ? "" : "s"} per ${limit.windowSeconds} s`;
}

/** Start (ms since the epoch) of the window that `nowMs` falls in: windows are aligned to multiples of their length. */
export function windowStartMs(nowMs: number, windowSeconds: number): number {
  const length = windowSeconds * 1000;
  return Math.floor(nowMs / length) * length;
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one (0 when refused). */
  remaining: number;
  /** Whole seconds until the window ends (at least 1): the `Retry-After` of a refusal. */
  retryAfterSeconds: number;
}

/**
 * The verdict for the `hits`-th request (this one included) of a window that started at `windowStartMs`.
 * The request is allowed while `hits <= limit`.
 */
export function rateLimitVerdict(limit: RateLimit, hits: number, windowStart: number, nowMs: number): RateLimitVerdict {
  const endMs = windowStart + limit.windowSeconds * 1000;
  const retryAfterSeconds = Math.max(1, Math.ceil((endMs - nowMs) / 1000));
  if (isUnlimited(limit)) return { allowed: true, limit: 0, remaining: Number.POSITIVE_INFINITY, retryAfterSeconds };
  const allowed = hits <= limit.limit;
  return { allowed, limit: limit.limit, remaining: allowed ? limit.limit - hits : 0, retryAfterSeconds };
}
