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
 *   MATHLEDGER_GOVERNANCE_GENESIS     governance genesis file (members, keys, params); unset on a devnet = a generated
 *                                     demo genesis with key files in <data dir>/devnet-keys (docs/spec/governance.md)
 */
import { z } from "zod";
import { AppError } from "../lib/errors";

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  MATHLEDGER_DEVNET: z.enum(["on", "off"]).default("on"),
  MATHLEDGER_DEVNET_INTERVAL: z.coerce.number().min(0.05).max(3600).default(2),
  MATHLEDGER_DEVNET_SEED: z.coerce.number().int().min(0).default(1),
  MATHLEDGER_DUAL_ACTIVATION_BLOCK: z.coerce.number().int().min(1).default(200),
  MATHLEDGER_NODE_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  MATHLEDGER_MAX_PUSH_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  MATHLEDGER_GOVERNANCE_GENESIS: z.string().optional(),
});

export type Config = z.infer<typeof schema>;

/** Parses `env`; throws AppError("CONFIG") naming every bad variable. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new AppError("CONFIG", `invalid configuration: ${problems}`);
  }
  return result.data;
}
