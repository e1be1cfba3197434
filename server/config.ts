/**
 * Runtime configuration, read from the environment once and validated with zod, so a typo in a variable stops the
 * process at start-up with a message naming the variable, instead of misbehaving later.
 *
 *   PORT                              web server port (default 3000)
 *   DATABASE_URL                      PostgreSQL to use; unset = the embedded PostgreSQL in the data directory
 *   MATHLEDGER_DATA_DIR               data directory (default <repo>/.data): embedded PostgreSQL, node token
 *   MATHLEDGER_DEVNET                 "on" (default) or "off": run the built-in devnet block producer
 *   MATHLEDGER_DEVNET_INTERVAL        seconds between devnet blocks (default 2; fractions allowed, min 0.05)
 *   MATHLEDGER_DEVNET_SEED            seed of the deterministic statement generator (default 1)
 *   MATHLEDGER_DUAL_ACTIVATION_BLOCK  where the default registry schedules the dual epoch (default 200)
 *   MATHLEDGER_NODE_TOKEN             token for POST /api/v1/blocks; unset = generated into <data dir>/node-token
 *   MATHLEDGER_MAX_PUSH_BYTES         size limit of a POST /api/v1/blocks body (default 1 MiB)
 *   MATHLEDGER_RADAR                  "on" (default) or "off": whether the worker runs the drift radar's monitors
 *                                     (one process per database runs them, by lease; `mathledger-cli radar` too)
 *   MATHLEDGER_DEVNET_PEERS           simulated devnet peers that send node reports (default 5; 0: none)
 *   MATHLEDGER_RADAR_RESOLVE_AFTER    clean observations (blocks) after which a drift event resolves by itself (10)
 *   MATHLEDGER_RADAR_CONFIG           YAML file with the radar's alert channels and routing (unset: nothing is sent)
 *   MATHLEDGER_TRUSTED_ORIGINS        comma-separated origins besides the portal's own allowed to POST to /api
 *   MATHLEDGER_RATE_LIMITS            "on" (default) or "off": every rate limit at once (load tests, benchmarks)
 *   MATHLEDGER_RATE_LIMIT_<BUCKET>    "<requests>/<seconds>" or 0 (unlimited); buckets in server/security/rate-limit.ts
 *   MATHLEDGER_VERIFY_THREADS         threads that verify governance signatures in the web server (default: one per
 *                                     core; 0: on the request thread) (server/governance/verify-pool.ts)
 *   MATHLEDGER_PAGE_CACHE_MS          how long a rendered explorer page (/blocks…) is served again, in ms
 *                                     (default 1000; 0: every request renders) (lib/http/page-micro-cache.ts)
 *   MATHLEDGER_GOVERNANCE_GENESIS     governance genesis file (members, keys, params); unset on a devnet = a generated
 *                                     demo genesis with key files in <data dir>/devnet-keys (docs/spec/governance.md)
 *   MATHLEDGER_NODE_ID                this node's id for the relay (default: `<host name>-<PORT>`, see nodeId below)
 *   MATHLEDGER_PEERS                  JSON file listing the peers the relay sends accepted blocks and governance
 *                                     decisions to (server/relay/peers-file.ts); unset = no peers
 */
import { z } from "zod";
import { AppError } from "../lib/errors";
import { normalizeOrigin } from "../lib/security/cross-origin-check";
import { parseRateLimit } from "../lib/security/rate-limit-policy";

/** A rate limit as configured ("120/60", "30", "0"), checked by lib's parser. */
const rateLimitText = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((text, ctx) => {
      try {
        parseRateLimit(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    });

/** Defaults per bucket, chosen so that normal use (a node pushing every 2 s, a person signing in) never meets them. */
export const RATE_LIMIT_DEFAULTS = {
  MATHLEDGER_RATE_LIMIT_PUSH: "600/60",
  MATHLEDGER_RATE_LIMIT_VALIDATE: "60/60",
  MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY: "10/60",
  MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP: "30/60",
  MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY: "10/60",
  MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP: "30/60",
  // Signed governance actions (votes, reviews, council signatures): a person signs a few a minute at most; one address
  // may front a whole office of members.
  MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY: "60/60",
  MATHLEDGER_RATE_LIMIT_SIGNATURE_IP: "600/60",
} as const;
import { MAX_STORED_BLOCK_NUMBER } from "../lib/ingest/storage-limits";
import { nodeIdSchema } from "../lib/relay/peers-config";
import os from "node:os";

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  MATHLEDGER_DEVNET: z.enum(["on", "off"]).default("on"),
  MATHLEDGER_DEVNET_INTERVAL: z.coerce.number().min(0.05).max(3600).default(2),
  MATHLEDGER_DEVNET_SEED: z.coerce.number().int().min(0).default(1),
  MATHLEDGER_DUAL_ACTIVATION_BLOCK: z.coerce.number().int().min(1).max(MAX_STORED_BLOCK_NUMBER).default(200),
  MATHLEDGER_NODE_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  MATHLEDGER_MAX_PUSH_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  MATHLEDGER_RADAR: z.enum(["on", "off"]).default("on"),
  MATHLEDGER_DEVNET_PEERS: z.coerce.number().int().min(0).max(100).default(5),
  MATHLEDGER_RADAR_RESOLVE_AFTER: z.coerce.number().int().min(1).max(1_000_000).default(10),
  MATHLEDGER_RADAR_CONFIG: z.string().optional(),
  MATHLEDGER_TRUSTED_ORIGINS: z
    .string()
    .default("")
    .transform((text, ctx) =>
      text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
        .map((item) => {
          const origin = normalizeOrigin(item);
          if (!origin || origin !== item.toLowerCase().replace(/\/$/, "")) {
            ctx.addIssue({ code: "custom", message: `"${item}" is not an origin (scheme://host[:port], no path)` });
          }
          return origin ?? item;
        }),
    ),
  MATHLEDGER_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  MATHLEDGER_RATE_LIMIT_PUSH: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_PUSH),
  MATHLEDGER_RATE_LIMIT_VALIDATE: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_VALIDATE),
  MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_KEY),
  MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_SIGN_IN_CHALLENGE_IP),
  MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_KEY),
  MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_SIGN_IN_SIGNATURE_IP),
  MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_SIGNATURE_KEY),
  MATHLEDGER_RATE_LIMIT_SIGNATURE_IP: rateLimitText(RATE_LIMIT_DEFAULTS.MATHLEDGER_RATE_LIMIT_SIGNATURE_IP),
  MATHLEDGER_GOVERNANCE_GENESIS: z.string().optional(),
  MATHLEDGER_NODE_ID: nodeIdSchema.optional(),
  MATHLEDGER_PEERS: z.string().optional(),
  MATHLEDGER_VERIFY_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  MATHLEDGER_PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
});

export type Config = z.infer<typeof schema>;

const CONFIG_KEYS = Object.keys(schema.shape) as (keyof Config)[];
let lastParsed: { key: string; config: Config } | null = null;

/**
 * Parses `env`; throws AppError("CONFIG") naming every bad variable. The last result is kept and reused while the
 * variables it read are unchanged: request handlers call this on every request, and a parse costs ~0.1 ms.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const key = JSON.stringify(CONFIG_KEYS.map((k) => env[k] ?? null));
  if (lastParsed?.key === key) return lastParsed.config;
  const config = parseConfig(env);
  lastParsed = { key, config };
  return config;
}

function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new AppError("CONFIG", `invalid configuration: ${problems}`);
  }
  return result.data;
}

/**
 * This node's relay id: MATHLEDGER_NODE_ID, or `<host name>-<PORT>` (lowercased, other characters as '-'), which is
 * stable across restarts and differs between nodes sharing a host on different ports. Peers must list this node
 * under the same id for the relay to skip sending a block back where it came from.
 */
export function nodeId(config: Config): string {
  if (config.MATHLEDGER_NODE_ID) return config.MATHLEDGER_NODE_ID;
  const host = os.hostname().toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "node";
  return `${host.slice(0, 57)}-${config.PORT}`;
}
