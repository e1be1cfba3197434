/**
 * Governance helpers for the browser tests: the demo genesis's key files and passphrase (written by `npm start` into
 * <data dir>/devnet-keys), and signing + submitting actions over the portal's HTTP API as a member would from the CLI.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";

import { signMessage } from "../../lib/governance/envelope";
import { decryptKeyFile } from "../../lib/governance/key-file";
import { buildMessage, messageDigest, type MessageDraft } from "../../lib/governance/message";
import type { MessageType } from "../../lib/governance/bodies";
import { signSignInChallenge, type SignInChallenge } from "../../lib/governance/sign-in";

export function demoKeysDir(): string {
  const env = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "{}") as Record<string, string>;
  if (!env.MATHLEDGER_DATA_DIR) throw new Error("MLPQ_E2E_DATABASE_ENV names no MATHLEDGER_DATA_DIR (run through the Playwright global setup)");
  return path.join(env.MATHLEDGER_DATA_DIR, "devnet-keys");
}

export function demoPassphrase(): string {
  return readFileSync(path.join(demoKeysDir(), "PASSPHRASE"), "utf8").trim();
}

export function demoKeyFile(member: string): string {
  return path.join(demoKeysDir(), `${member}.key`);
}

let nonce = Date.now();

/** Signs `draft` with member's demo key and posts it to governance.<procedure>; returns the message digest. */
export async function submitAs<T extends MessageType>(request: APIRequestContext, member: string, procedure: string, draft: MessageDraft<T>): Promise<string> {
  const { key } = await decryptKeyFile(JSON.parse(readFileSync(demoKeyFile(member), "utf8")), demoPassphrase());
  const now = Math.floor(Date.now() / 1000);
  const message = buildMessage(draft, { network_id: "mathledger-devnet", signer: member, nonce: ++nonce, issued_at: now, ttl_seconds: 600 });
  const res = await request.post(`/api/trpc/governance.${procedure}`, { data: { envelope: signMessage(message, key) } });
  expect(res.status(), await res.text()).toBe(200);
  return messageDigest(message);
}

/**
 * Signs in as `member` over the portal's API, as a script holding the key file would (docs/spec/governance.md §12),
 * and returns the session token from the Set-Cookie header (the only place it ever appears).
 */
export async function signInAs(request: APIRequestContext, member: string): Promise<string> {
  const { key } = await decryptKeyFile(JSON.parse(readFileSync(demoKeyFile(member), "utf8")), demoPassphrase());
  const asked = await request.post("/api/v1/governance/sign-in/challenge", { data: { member_id: member } });
  expect(asked.status(), await asked.text()).toBe(200);
  const { challenge } = (await asked.json()) as { challenge: SignInChallenge };
  const answered = await request.post("/api/v1/governance/sign-in", { data: { challenge, signatures: signSignInChallenge(challenge, key) } });
  expect(answered.status(), await answered.text()).toBe(200);
  const token = /^mlpq_session=([^;]+);/.exec(answered.headers()["set-cookie"] ?? "")?.[1];
  if (!token) throw new Error(`no session cookie in ${answered.headers()["set-cookie"]}`);
  return token;
}
