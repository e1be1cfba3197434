/**
 * Governance helpers for the browser tests: the demo genesis's key files and passphrase (written by `npm start` into
 * <data dir>/devnet-keys), signing + submitting actions over the portal's HTTP API as a member would from the CLI, a
 * browser context with a member's key unlocked, and the CLI against the suite's stack.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";

import { signMessage } from "../../lib/governance/envelope";
import { decryptKeyFile } from "../../lib/governance/key-file";
import { buildMessage, messageDigest, type MessageDraft } from "../../lib/governance/message";
import type { MessageType } from "../../lib/governance/bodies";
import { signSignInChallenge, type SignInChallenge } from "../../lib/governance/sign-in";

/** The demo keys of the suite's stack, or of the stack whose data directory is `dataDir` (a spec's own stack). */
export function demoKeysDir(dataDir?: string): string {
  if (dataDir) return path.join(dataDir, "devnet-keys");
  const env = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "{}") as Record<string, string>;
  if (!env.MATHLEDGER_DATA_DIR) throw new Error("MLPQ_E2E_DATABASE_ENV names no MATHLEDGER_DATA_DIR (run through the Playwright global setup)");
  return path.join(env.MATHLEDGER_DATA_DIR, "devnet-keys");
}

export function demoPassphrase(dataDir?: string): string {
  return readFileSync(path.join(demoKeysDir(dataDir), "PASSPHRASE"), "utf8").trim();
}

export function demoKeyFile(member: string, dataDir?: string): string {
  return path.join(demoKeysDir(dataDir), `${member}.key`);
}

/**
 * A new browser context (its own storage: one member per browser) whose page has imported `member`'s demo key file on
 * the account page and unlocked it. The key lives only in that tab's memory: move on by client-side navigation.
 */
export async function unlockedMemberPage(
  browser: Browser,
  member: string,
  options: { baseURL?: string; dataDir?: string; contextOptions?: BrowserContextOptions } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options.contextOptions, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
  const page = await context.newPage();
  await page.goto("/governance/account");
  await page.getByLabel("Key file (.key)").setInputFiles(demoKeyFile(member, options.dataDir));
  await expect(page.getByTestId("key-member")).toHaveText(member);
  await page.getByLabel("Passphrase", { exact: true }).fill(demoPassphrase(options.dataDir));
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByTestId("key-status")).toHaveText("unlocked in this tab", { timeout: 20_000 });
  return { context, page };
}

// Strictly increasing per signer: the clock in milliseconds, as the portal's pages sign (a counter fixed when this
// module loaded would fall behind a nonce the browser signed since, in another spec of the same worker).
let nonce = Date.now();
const nextNonce = () => (nonce = Math.max(nonce + 1, Date.now()));

/** Signs `draft` with member's demo key and posts it to governance.<procedure>; returns the message digest. */
export async function submitAs<T extends MessageType>(request: APIRequestContext, member: string, procedure: string, draft: MessageDraft<T>, dataDir?: string): Promise<string> {
  const { key } = await decryptKeyFile(JSON.parse(readFileSync(demoKeyFile(member, dataDir), "utf8")), demoPassphrase(dataDir));
  const now = Math.floor(Date.now() / 1000);
  const message = buildMessage(draft, { network_id: "mathledger-devnet", signer: member, nonce: nextNonce(), issued_at: now, ttl_seconds: 600 });
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

/** Runs `mathledger-cli <args>` against the suite's stack (its database environment); returns stdout. */
export function runCli(args: string[]): string {
  const env = { ...process.env, ...(JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "{}") as Record<string, string>) };
  return execFileSync("node", ["bin/mathledger-cli.mjs", ...args], { env, stdio: "pipe", encoding: "utf8" });
}

/**
 * A proposal in VOTING on the suite's stack: submitted by the demo proposer, approved by the three demo reviewers.
 * Its activation lies far above the tip, so it can never register an epoch on the chain the other specs share.
 */
export async function createVotingProposal(request: APIRequestContext, title: string): Promise<string> {
  const res = await request.get("/api/v1/status");
  const tip = ((await res.json()) as { current_block: number | null }).current_block ?? 0;
  const hash = await submitAs(request, "margaret", "submitProposal", {
    type: "proposal",
    body: {
      proposal_id: `E2E-${nextNonce()}`,
      proposal_type: "epoch_activation",
      title,
      activation_block: tip + 100_000,
      epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary" },
      rationale: "Browser test.",
      benchmark_results: {},
      risk_assessment: {},
      implementation_readiness: {},
      endorsements: [],
    },
  });
  for (const reviewer of ["radia", "leslie", "tony"]) {
    await submitAs(request, reviewer, "submitReview", { type: "review", body: { proposal_hash: hash, recommendation: "APPROVE", code_review: {}, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} } });
  }
  return hash;
}
