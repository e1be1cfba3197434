/**
 * Rate limits on the endpoints that cost the server work or guess secrets, counted in PostgreSQL so that they hold
 * across every web server process. One reusable call for every route:
 *
 *   await enforceRateLimit("push", token);                 // POST /api/v1/blocks, per node token (wired)
 *   await enforceRateLimit("validate", clientAddress(req.headers));   // POST /api/v1/validate, per IP
 *   await enforceRateLimit("sign-in-challenge-ip", clientAddress(headers));
 *   await enforceRateLimit("sign-in-challenge-key", publicKeyFingerprint);
 *   await enforceRateLimit("sign-in-signature-ip", clientAddress(headers));
 *   await enforceRateLimit("sign-in-signature-key", publicKeyFingerprint);
 *   await enforceRateLimit("signature-ip", clientAddress(headers));   // every governance envelope submission
 *   await enforceRateLimit("signature-key", signer);                  // counted once the envelope verified
 *
 * It throws AppError("RATE_LIMITED", …, { retryAfterSeconds }) when the limit is passed: REST routes answer 429 with
 * `Retry-After` through server/http/json-response.ts, tRPC answers TOO_MANY_REQUESTS (429) with `Retry-After` set
 * by app/api/trpc/[trpc]/route.ts. Call it before the expensive part (reading and parsing the body, verifying
 * signatures), after any cheap check that makes the key trustworthy (the push token is authenticated first).
 *
 * Keys are stored as SHA-256 digests: a counter row never holds a token, a key or an address in clear.
 * Limits come from MATHLEDGER_RATE_LIMIT_<BUCKET> ("<requests>/<seconds>", 0 = unlimited) and
 * MATHLEDGER_RATE_LIMITS=off switches every limit off (load tests and benchmarks).
 */
import { createHash } from "node:crypto";
import type pg from "pg";

import { AppError } from "../../lib/errors";
import { describeRateLimit, isUnlimited, parseRateLimit, rateLimitVerdict, windowStartMs, type RateLimit, type RateLimitVerdict } from "../../lib/security/rate-limit-policy";
import { readConfig, type Config } from "../config";
import { getPgPool } from "../db/pg-pool";
import { hitCounter, pruneCounters } from "./rate-limit-repository";

/** Every bucket: the variable that sets its limit and what it counts (for messages). */
export const RATE_LIMIT_BUCKETS = {
  push: { variable: "MATHLEDGER_RATE_LIMIT_PUSH", counts: "pushes with this node token" },
  validate: { variable: "MATHLEDGER_RATE_LIMIT_VALIDATE", counts: "validation requests from this address" },
  "sign-in-challenge-key": { variable: "MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY", counts: "sign-in challenges for this key" },
  "sign-in-challenge-ip": { variable: "MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP", counts: "sign-in challenges from this address" },
  "sign-in-signature-key": { variable: "MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY", counts: "sign-in signatures for this key" },
  "sign-in-signature-ip": { variable: "MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP", counts: "sign-in signatures from this address" },
  "signature-key": { variable: "MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY", counts: "signed governance actions by this member" },
  "signature-ip": { variable: "MATHLEDGER_RATE_LIMIT_SIGNATURE_IP", counts: "signed governance actions from this address" },
} as const satisfies Record<string, { variable: keyof Config; counts: string }>;

export type RateLimitBucket = keyof typeof RATE_LIMIT_BUCKETS;

/** The limit in force for `bucket` (unlimited when MATHLEDGER_RATE_LIMITS=off). */
export function configuredRateLimit(bucket: RateLimitBucket, config: Config = readConfig()): RateLimit {
  if (config.MATHLEDGER_RATE_LIMITS === "off") return { limit: 0, windowSeconds: 60 };
  return parseRateLimit(config[RATE_LIMIT_BUCKETS[bucket].variable]);
}

export interface EnforceOptions {
  /** Pool to count in (default: the process's pool on the project database). */
  pool?: pg.Pool;
  /** Clock (ms since the epoch); default Date.now(). */
  now?: number;
  /** Limit to apply instead of the configured one (tests). */
  limit?: RateLimit;
}

const PRUNE_EVERY_MS = 10 * 60_000;
const KEEP_COUNTERS_MS = 24 * 60 * 60_000; // the longest window parseRateLimit accepts
let lastPruneMs = 0;

const digest = (bucket: string, key: string) => createHash("sha256").update(bucket).update("\0").update(key).digest("hex");

/**
 * Counts one request of `key` in `bucket` and returns the verdict; throws AppError("RATE_LIMITED") with
 * `details.retryAfterSeconds` once the limit is passed. An unlimited bucket costs no database round trip.
 */
export async function enforceRateLimit(bucket: RateLimitBucket, key: string, options: EnforceOptions = {}): Promise<RateLimitVerdict> {
  const limit = options.limit ?? configuredRateLimit(bucket);
  const now = options.now ?? Date.now();
  if (isUnlimited(limit)) return rateLimitVerdict(limit, 0, windowStartMs(now, limit.windowSeconds), now);
  const pool = options.pool ?? (await getPgPool());
  const hit = await hitCounter(pool, bucket, digest(bucket, key), windowStartMs(now, limit.windowSeconds));
  if (now - lastPruneMs > PRUNE_EVERY_MS) {
    lastPruneMs = now;
    // Housekeeping off the request's path; a failure only leaves old rows for the next attempt.
    void pruneCounters(pool, now - KEEP_COUNTERS_MS).catch(() => undefined);
  }
  const verdict = rateLimitVerdict(limit, hit.hits, hit.windowStartMs, now);
  if (!verdict.allowed) {
    const { counts, variable } = RATE_LIMIT_BUCKETS[bucket];
    throw new AppError(
      "RATE_LIMITED",
      `too many ${counts}: the limit is ${describeRateLimit(limit)}; retry in ${verdict.retryAfterSeconds} s (the operator can raise it with ${variable})`,
      { bucket, retryAfterSeconds: verdict.retryAfterSeconds, limit: limit.limit, windowSeconds: limit.windowSeconds },
    );
  }
  return verdict;
}
