/**
 * Governance in the browser with the devnet's demo genesis: a voter creates a key (which the registry does not know, so
 * signing in with it is refused), imports their registered key file, unlocks it, signs in (HttpOnly, SameSite=Strict
 * session cookie; the header names them), sees the canonical message and digest before signing, votes and re-votes,
 * and the live tally follows; five council members in separate browser contexts attest a milestone to VERIFIED.
 */
import { expect, test } from "@playwright/test";

import { tipHeight, waitForHeight } from "./support/chain";
import { demoKeyFile, demoPassphrase, submitAs, unlockedMemberPage as unlockedPage } from "./support/governance";

test("a voter creates a key (refused at sign-in: not registered), imports their key file, signs in, votes and re-votes; the tally counts only the latest vote", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const tip = (await tipHeight(request)) ?? 0;
  const hash = await submitAs(request, "margaret", "submitProposal", {
    type: "proposal",
    body: {
      proposal_id: `E2E-${Date.now()}`,
      proposal_type: "epoch_activation",
      title: "E2E: move to PQ-primary",
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

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/governance/account");
  await expect(page.getByTestId("session-badge")).toHaveText("Not signed in");
  // A key made in this browser is not in the registry: signing in with it as voter-03 is refused by the server.
  await page.getByLabel("Member id").fill("voter-03");
  await page.getByLabel(/^Passphrase \(at least/).fill("a passphrase for the e2e test");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("key-status")).toHaveText("unlocked in this tab", { timeout: 30_000 });
  await page.getByRole("button", { name: "Sign in as voter-03" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "BAD_SIGNATURE_ED25519" })).toBeVisible();
  await expect(page.getByTestId("session-badge")).toHaveText("Not signed in");
  expect((await context.cookies()).find((c) => c.name === "mlpq_session")).toBeUndefined();

  // The registered key file: import, unlock, sign in.
  await page.getByLabel("Key file (.key)").setInputFiles(demoKeyFile("voter-03"));
  await expect(page.getByTestId("key-status")).toHaveText("locked");
  await page.getByLabel("Passphrase", { exact: true }).fill(demoPassphrase());
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByTestId("key-status")).toHaveText("unlocked in this tab", { timeout: 20_000 });
  await page.getByRole("button", { name: "Sign in as voter-03" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("voter-03");
  await expect(page.getByTestId("session-badge")).toHaveText("Signed in as Voter 03 (voter-03)");
  const cookie = (await context.cookies()).find((c) => c.name === "mlpq_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
  // Page script cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain("mlpq_session");

  // Client-side navigation keeps the unlocked key (it lives only in this tab's memory).
  await page.getByRole("navigation", { name: "Governance" }).getByRole("link", { name: "Proposals" }).click();
  await page.getByRole("link", { name: "E2E: move to PQ-primary" }).first().click();
  await expect(page).toHaveURL(`/governance/proposals/${hash}`);
  await expect(page.getByText("VOTING").first()).toBeVisible();
  await page.getByRole("button", { name: "Vote YES…" }).click();
  await expect(page.getByLabel("canonical message")).toContainText(`"choice":"YES"`);
  await expect(page.getByTestId("message-digest")).toHaveText(/^0x[0-9a-f]{64}$/);
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page.getByTestId("tally-yes")).toHaveText("3");

  await page.getByRole("radio", { name: "NO" }).check();
  await page.getByRole("button", { name: "Vote NO…" }).click();
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page.getByTestId("tally-no")).toHaveText("3");
  await expect(page.getByTestId("tally-yes")).toHaveText("0");
  await expect(page.getByTestId("countdown")).toBeVisible();
  // The header still names the voter after the client-side navigation; a reload keeps the session (cookie).
  await page.reload();
  await expect(page.getByTestId("session-badge")).toHaveText("Signed in as Voter 03 (voter-03)");

  // Sign out: the session is deleted on the server, the cookie cleared.
  await page.getByRole("navigation", { name: "Governance" }).getByRole("link", { name: /Account/ }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("session-badge")).toHaveText("Not signed in");
  expect((await context.cookies()).find((c) => c.name === "mlpq_session")).toBeUndefined();
  await context.close();
});

test("five council members in separate browsers attest a milestone to VERIFIED", async ({ browser, request }) => {
  test.setTimeout(180_000);
  await waitForHeight(request, 3);
  // Opening an attestation is an operator step (CLI `governance attestation create`); here through the service.
  const { execFileSync } = await import("node:child_process");
  const env = { ...process.env, ...(JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "{}") as Record<string, string>) };
  const milestone = `e2e-${Date.now()}`;
  execFileSync("node", ["bin/mathledger-cli.mjs", "governance", "attestation", "create", "--milestone", milestone, "--block-number", "2"], { env, stdio: "pipe" });
  const id = `ATTEST-${milestone}-2`;
  const council = ["ada", "grace", "alan", "barbara", "edsger"];
  for (const [i, member] of council.entries()) {
    const { context, page } = await unlockedPage(browser, member);
    await page.getByRole("navigation", { name: "Governance" }).getByRole("link", { name: "Council" }).click();
    const item = page.getByTestId(`attestation-${id}`);
    await expect(item.getByTestId("signature-progress")).toHaveText(`${i}/7`);
    await item.getByRole("button", { name: "Attest…" }).click();
    await item.getByRole("button", { name: "Sign and submit" }).click();
    await expect(item.getByTestId("signature-progress")).toHaveText(`${i + 1}/7`);
    await context.close();
  }
  const res = await request.get(`/api/trpc/governance.getAttestation?input=${encodeURIComponent(JSON.stringify({ attestation_id: id }))}`);
  expect(((await res.json()) as { result: { data: { status: string } } }).result.data.status).toBe("VERIFIED");
});
