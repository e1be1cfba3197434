/**
 * The node token that authenticates POST /api/v1/blocks.
 *
 * MATHLEDGER_NODE_TOKEN wins when set. Otherwise `npm start` generates a random token once into
 * <data dir>/node-token (mode 0600) and prints where it is; the web server reads the same file. Comparison is on
 * SHA-256 digests with timingSafeEqual, so neither the length nor the content leaks through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { embeddedPostgresConfig } from "./db/database-url";

/** The data directory, resolved exactly as the embedded PostgreSQL resolves it (database-url.ts). */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return embeddedPostgresConfig(env).dataDir;
}

export function nodeTokenFile(env: Record<string, string | undefined> = process.env): string {
  return path.join(dataDir(env), "node-token");
}

/** The configured token, creating the token file if neither the variable nor the file exists. */
export function ensureNodeToken(env: Record<string, string | undefined> = process.env): { token: string; source: string } {
  if (env.MATHLEDGER_NODE_TOKEN) return { token: env.MATHLEDGER_NODE_TOKEN, source: "MATHLEDGER_NODE_TOKEN" };
  const file = nodeTokenFile(env);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(24).toString("base64url") + "\n", { mode: 0o600 });
  }
  return { token: readFileSync(file, "utf8").trim(), source: file };
}

/** The token in force, or null when none is configured (then every push is refused). */
export function configuredNodeToken(env: Record<string, string | undefined> = process.env): string | null {
  if (env.MATHLEDGER_NODE_TOKEN) return env.MATHLEDGER_NODE_TOKEN;
  try {
    return readFileSync(nodeTokenFile(env), "utf8").trim() || null;
  } catch {
    return null;
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** True when `presented` equals `expected`, compared in constant time. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
