/**
 * The secrets of the running test stack, for the secret-leak checks (e2e/security.spec.ts and the global teardown):
 * the node token, the database password, and any other secret the product keeps in its data directory (a session
 * secret, for example: every small file there whose name says token, secret, password or key).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { findSecrets, type NamedSecret, type SecretFinding } from "../../lib/security/secret-scan";

const SECRET_FILE = /(token|secret|password|passphrase|key)/i;

/** Secrets of the stack whose database environment is `databaseEnv` (MLPQ_E2E_DATABASE_ENV). */
export function stackSecrets(databaseEnv: Record<string, string>): NamedSecret[] {
  const secrets: NamedSecret[] = [];
  const dataDir = databaseEnv.MATHLEDGER_DATA_DIR;
  if (dataDir && existsSync(dataDir)) {
    for (const entry of readdirSync(dataDir)) {
      const file = path.join(dataDir, entry);
      if (!SECRET_FILE.test(entry) || !statSync(file).isFile() || statSync(file).size > 4096) continue;
      const value = readFileSync(file, "utf8").trim();
      if (value) secrets.push({ name: `${entry} (data directory)`, value });
    }
  }
  if (databaseEnv.DATABASE_URL) {
    const password = decodeURIComponent(new URL(databaseEnv.DATABASE_URL).password);
    if (password) secrets.push({ name: "database password (DATABASE_URL)", value: password });
  }
  for (const [name, value] of Object.entries(process.env)) {
    if (value && /^MATHLEDGER_.*(TOKEN|SECRET|PASSWORD)/.test(name)) secrets.push({ name, value });
  }
  return secrets;
}

/** The stack's secrets as the global setup published them. */
export function publishedStackSecrets(): NamedSecret[] {
  const env = process.env.MLPQ_E2E_DATABASE_ENV;
  if (!env) throw new Error("MLPQ_E2E_DATABASE_ENV is not set: run through playwright (e2e/global-setup.ts)");
  return stackSecrets(JSON.parse(env) as Record<string, string>);
}

/** Every file under `dir` (recursively) whose name ends with one of `extensions`. */
export function filesUnder(dir: string, extensions: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) out.push(full);
  }
  return out;
}

/** Findings in a file (empty when it does not exist). */
export function scanFile(file: string, secrets: readonly NamedSecret[]): SecretFinding[] {
  if (!existsSync(file)) return [];
  return findSecrets(readFileSync(file, "utf8"), secrets, file);
}

/** One line per finding, never the secret itself. */
export function describeFindings(findings: readonly SecretFinding[]): string {
  return findings.map((f) => `${f.secret} (${f.form}) in ${f.where} at ${f.offset}`).join("\n");
}
