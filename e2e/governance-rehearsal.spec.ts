/**
 * The full governance rehearsal of issue 8, in Chromium, on a devnet of its own: a proposer drafts an epoch
 * activation in the new-proposal form (epoch checked live by the consensus core), signs and submits it; three
 * reviewers approve it in their own browsers; council members and a voter vote (one through the vote panel); voting
 * closes, the proposal is SCHEDULED and the devnet's /epochs page shows the new epoch reached; a council member
 * declares an emergency and four more sign it, each in a separate browser context (5 of 7); one orders the rollback
 * with the council page's button; the rollback epoch is registered and then reached on /epochs. The stored chain is
 * re-validated (verify-chain) at the start, after the activation and after the rollback, and holds no invalid block.
 *
 * Its own stack (support/stack.ts, beside the suite's): a short voting period (E2E_FAST_GOVERNANCE_PARAMS), and a
 * chain that really rolls back to v1-legacy without changing the chain the other specs share (they need the PQ one).
 */
import { execFileSync } from "node:child_process";

import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";

import { expectNoSeriousA11yViolations } from "./support/axe";
import { tipHeight, waitForHeight } from "./support/chain";
import { submitAs, unlockedMemberPage } from "./support/governance";
import { E2E_DUAL_ACTIVATION_BLOCK, E2E_FAST_GOVERNANCE_PARAMS, startStack, type RunningStack } from "./support/stack";

const CLI = "bin/mathledger-cli.mjs";

let stack: RunningStack | undefined;
test.afterAll(async () => {
  await stack?.stop();
});

/** The whole stored canonical chain re-validated by the consensus core (exit 1 and a thrown error when invalid). */
function verifyWholeChain(s: RunningStack, tip: number): { verdict: string; checked: number; epochs: unknown[] } {
  const out = execFileSync("node", [CLI, "verify-chain", "--start-block", "0", "--end-block", String(tip), "--json"], {
    env: { ...process.env, ...s.databaseEnv },
    stdio: "pipe",
    encoding: "utf8",
  });
  return JSON.parse(out) as { verdict: string; checked: number; epochs: unknown[] };
}

async function expectChainValid(s: RunningStack, api: APIRequestContext, when: string): Promise<void> {
  const tip = (await tipHeight(api)) ?? 0;
  const report = verifyWholeChain(s, tip);
  expect(report.verdict, `verify-chain 0..${tip} ${when}`).toBe("VALID");
  expect(report.checked).toBe(tip + 1);
  const status = (await (await api.get("/api/v1/status")).json()) as { totals: { invalid: number; violations: number } };
  expect(status.totals, `stored invalid blocks and violations ${when}`).toMatchObject({ invalid: 0, violations: 0 });
}

async function proposalStatus(api: APIRequestContext, hash: string): Promise<string> {
  const res = await api.get(`/api/trpc/governance.getProposal?input=${encodeURIComponent(JSON.stringify({ proposal_hash: hash }))}`);
  return ((await res.json()) as { result: { data: { status: string } } }).result.data.status;
}

/** The /epochs transitions table's row for the transition at `block` (found by its "At block" cell). */
function transitionRow(page: Page, block: number) {
  return page
    .getByRole("table", { name: /Epoch transitions/ })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: block.toLocaleString("en-US"), exact: true }) });
}

/** Client-side navigation through the governance sub-navigation (a reload would lock the key again). */
async function goTo(page: Page, area: "Proposals" | "Council"): Promise<void> {
  await page.getByRole("navigation", { name: "Governance" }).getByRole("link", { name: area }).click();
}

test("rehearsal: proposal → reviews → votes → activation → emergency (5 of 7) → rollback, the chain valid throughout", async ({ browser }) => {
  test.setTimeout(15 * 60_000);
  stack = await startStack((m) => console.log(m), { governanceParams: E2E_FAST_GOVERNANCE_PARAMS });
  const s = stack;
  const as = { baseURL: s.baseUrl, dataDir: s.dataDir };
  const api = await playwrightRequest.newContext({ baseURL: s.baseUrl });
  await waitForHeight(api, E2E_DUAL_ACTIVATION_BLOCK + 1, 120_000);
  await expectChainValid(s, api, "before the rehearsal");

  // Everyone who acts in a browser first unlocks their key (scrypt takes seconds), so the voting window is not spent on it.
  const proposer = await unlockedMemberPage(browser, "margaret", as);
  const reviewers: [string, Awaited<ReturnType<typeof unlockedMemberPage>>][] = [];
  for (const id of ["radia", "leslie", "tony"]) reviewers.push([id, await unlockedMemberPage(browser, id, as)]);
  const voter = await unlockedMemberPage(browser, "ada", as);

  // 1. The proposal, through the new-proposal form.
  const page = proposer.page;
  await goTo(page, "Proposals");
  await page.getByRole("link", { name: "New proposal" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New proposal");
  await expect(page.getByTestId("activation-hint")).toContainText(`activation lead (${E2E_FAST_GOVERNANCE_PARAMS.activation_lead_blocks} blocks)`);
  const title = `Rehearsal: PQ-primary ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Proposal id").fill(`REH-${Date.now()}`);
  // Live checks: too soon for the activation lead, and a name that is not the algorithm's.
  await page.getByLabel("Activation block").fill("5");
  await expect(page.getByTestId("activation_block-error")).toContainText("ACTIVATION_TOO_SOON");
  await page.getByLabel("Algorithm id").fill("0x01");
  await page.getByLabel("Algorithm name").fill("BLAKE3");
  await page.getByLabel("Rule version").fill("v2.5-pq-primary");
  await expect(page.getByTestId("algorithm_name-error")).toContainText("INVALID_PROPOSAL");
  await expect(page.getByLabel("Algorithm name")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Algorithm name").fill("SHA3-256");
  await expect(page.getByTestId("algorithm_name-error")).toHaveCount(0);
  // Room for the reviews, the 40 s vote (80 blocks at 0.5 s), the worker's finalization and the 20-block lead.
  const activation = ((await tipHeight(api)) ?? 0) + 200;
  await page.getByLabel("Activation block").fill(String(activation));
  await expect(page.getByTestId("activation_block-error")).toHaveCount(0);
  await page.getByLabel("Rationale").fill("Rehearsal of the PQ-primary switch: the PQ chain decides fork choice from the activation block.");
  await page.getByLabel("Benchmark results (JSON object)").fill('{"validation_blocks_per_second": 40}');
  await page.getByLabel("Risk assessment (JSON object)").fill('{"level": "low"}');
  await page.getByLabel("Implementation readiness (JSON object)").fill('{"clients": ["mathledger-pq"]}');
  await page.getByRole("button", { name: "Sign proposal…" }).click();
  await expect(page.getByLabel("canonical message")).toContainText(`"rule_version":"v2.5-pq-primary"`);
  const proposalHash = (await page.getByTestId("message-digest").textContent())!;
  expect(proposalHash).toMatch(/^0x[0-9a-f]{64}$/);
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page).toHaveURL(`/governance/proposals/${proposalHash}`);
  await expect(page.getByText("UNDER REVIEW").first()).toBeVisible();

  // 2. Three reviews, each in the reviewer's own browser, through the review panel.
  for (const [i, [id, r]] of reviewers.entries()) {
    await goTo(r.page, "Proposals");
    await r.page.getByRole("link", { name: title }).click();
    await expect(r.page).toHaveURL(`/governance/proposals/${proposalHash}`);
    await r.page.getByLabel("Notes (code, tests, benchmarks, security, docs)").fill(`Reviewed ${i + 1}: code, tests, benchmarks, security and docs are in order.`);
    await r.page.getByRole("button", { name: "Review: APPROVE…" }).click();
    await expect(r.page.getByLabel("canonical message")).toContainText(`"recommendation":"APPROVE"`);
    await r.page.getByRole("button", { name: "Sign and submit" }).click();
    // Listed among the reviews (the third one opens voting, which closes the review panel at once).
    await expect(r.page.getByRole("table", { name: "Technical reviews" })).toContainText(id);
    await r.context.close();
  }
  await expect.poll(() => proposalStatus(api, proposalHash)).toBe("VOTING");

  // 3. Votes: four council members and a voter over the API, one council member through the vote panel.
  for (const member of ["grace", "alan", "barbara", "edsger", "voter-10"]) {
    await submitAs(api, member, "castVote", { type: "vote", body: { proposal_hash: proposalHash, choice: "YES" } }, s.dataDir);
  }
  await goTo(voter.page, "Proposals");
  await voter.page.getByRole("link", { name: title }).click();
  await voter.page.getByRole("button", { name: "Vote YES…" }).click();
  await voter.page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(voter.page.getByTestId("tally-yes")).toHaveText("60"); // 5 × 10 (council) + 10 (voter-10) of 125: quorum 50
  await voter.context.close();

  // 4. The window closes (the worker finalizes within 5 s), the epoch is scheduled, then reached on /epochs.
  await expect.poll(() => proposalStatus(api, proposalHash), { timeout: 120_000, intervals: [2_000] }).toBe("SCHEDULED");
  await page.goto("/epochs");
  const activationRow = transitionRow(page, activation);
  await expect(activationRow).toContainText("v2.5-pq-primary");
  await waitForHeight(api, activation + 1, 180_000);
  await expect(activationRow).toContainText("✓ seen", { timeout: 15_000 });
  await expect.poll(() => proposalStatus(api, proposalHash), { timeout: 30_000 }).toBe("ACTIVATED");
  await expectChainValid(s, api, "after the activation");
  await proposer.context.close();

  // 5. An emergency: declared by one council member, signed by four more, each in a separate browser context.
  const council = ["ada", "grace", "alan", "barbara", "edsger"];
  let emergencyHash = "";
  let last: Awaited<ReturnType<typeof unlockedMemberPage>> | undefined;
  for (const [i, member] of council.entries()) {
    const m = await unlockedMemberPage(browser, member, as);
    await goTo(m.page, "Council");
    if (i === 0) {
      await m.page.getByLabel("Trigger").fill("rehearsal: SHA3-256 implementation fault");
      await m.page.getByLabel("Evidence").fill("Rehearsal evidence: an implementation fault found in the PQ hash path.");
      await m.page.getByRole("button", { name: "Declare…" }).click();
      await expect(m.page.getByLabel("canonical message")).toContainText(`"type":"emergency_declaration"`);
      emergencyHash = (await m.page.getByTestId("message-digest").textContent())!;
      await m.page.getByRole("button", { name: "Sign and submit" }).click();
    } else {
      const item = m.page.getByTestId(`emergency-${emergencyHash}`);
      await expect(item.getByTestId("signature-progress")).toHaveText(`${i}/7`);
      await item.getByRole("button", { name: "Sign the declaration…" }).click();
      await expect(item.getByLabel("canonical message")).toContainText(emergencyHash);
      await item.getByRole("button", { name: "Sign and submit" }).click();
    }
    const item = m.page.getByTestId(`emergency-${emergencyHash}`);
    await expect(item.getByTestId("signature-progress")).toHaveText(`${i + 1}/7`);
    if (i < council.length - 1) await m.context.close();
    else last = m;
  }
  const item = last!.page.getByTestId(`emergency-${emergencyHash}`);
  await expect(item).toContainText("DECLARED");
  await expectNoSeriousA11yViolations(last!.page, "council: a declared emergency with its rollback button");

  // 6. The rollback, through the council page's button: a block at or below the tip is refused as typed.
  await item.getByRole("button", { name: "Order the rollback…" }).click();
  const blockField = item.getByLabel(/Rollback block/);
  await blockField.fill(String(activation)); // far below the tip by now (the panel's tip may lag the API's by a poll)
  await expect(item.getByTestId("rollback-error")).toContainText("ROLLBACK_NOT_ABOVE_TIP");
  await expect(blockField).toHaveAttribute("aria-invalid", "true");
  await expect(item.getByRole("button", { name: "Sign the rollback…" })).toBeDisabled();
  const rollbackBlock = ((await tipHeight(api)) ?? 0) + 30;
  await blockField.fill(String(rollbackBlock));
  await expect(item.getByTestId("rollback-error")).toHaveCount(0);
  await expectNoSeriousA11yViolations(last!.page, "council: the rollback panel");
  await item.getByRole("button", { name: "Sign the rollback…" }).click();
  await expect(item.getByLabel("canonical message")).toContainText(`"rollback_block":${rollbackBlock}`);
  await expect(item.getByTestId("message-digest")).toHaveText(/^0x[0-9a-f]{64}$/);
  await item.getByRole("button", { name: "Sign and submit" }).click();
  await expect(item).toContainText("ROLLED BACK");
  await expect(item).toContainText(`rolled back from block ${rollbackBlock}`);

  // 7. The rollback epoch on /epochs: registered at once, then reached by the devnet (v1-legacy, SHA-256).
  const epochs = last!.page;
  await epochs.goto("/epochs");
  const rollbackRow = transitionRow(epochs, rollbackBlock);
  await expect(rollbackRow).toContainText("rollback");
  await expect(rollbackRow).toContainText("v1-legacy");
  await expect(epochs.getByRole("table", { name: /The epoch registry/ })).toContainText(`${emergencyHash.slice(0, 8)}…${emergencyHash.slice(-6)}`);
  await waitForHeight(api, rollbackBlock + 1, 120_000);
  await expect(rollbackRow).toContainText("✓ seen", { timeout: 15_000 });
  await expectChainValid(s, api, "after the rollback");
  await last!.context.close();
  await api.dispose();
});
