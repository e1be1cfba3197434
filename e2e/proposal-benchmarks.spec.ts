/**
 * A proposal's benchmark results filled from a stored run: a run stored through `npm run bench -- --import` (the
 * operator's path, into the stack's own database) is picked on the new-proposal form with the keyboard, fills the
 * field, appears in the canonical message that is signed, and shows on the proposal's page with a link to the run.
 * The node does not trust the browser's copy: the same object edited after filling is refused (INVALID_PROPOSAL).
 * axe checks the form with the picker used.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";

import { sampleDocument } from "../lib/bench/test-documents";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { tipHeight, waitForHeight } from "./support/chain";
import { unlockedMemberPage } from "./support/governance";
import { projectRoot } from "./support/stack";

function databaseEnv(): NodeJS.ProcessEnv {
  const extra = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "null") as Record<string, string> | null;
  if (!extra) throw new Error("MLPQ_E2E_DATABASE_ENV is not set: run the tests through playwright.config.ts (its global setup starts the stack)");
  const env = { ...process.env, ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

// A consensus-stage run newer than the other specs' fixtures, so it is the picker's first option. Fixed start time:
// the import stores a (stage, started_at) once, so a retry finds the same run.
const RUN = sampleDocument({
  stage: "consensus",
  title: "Consensus: sealing, validation, storage and bare hashing per block",
  started_at: "2026-12-01T07:30:00.000Z",
  finished_at: "2026-12-01T07:31:15.000Z",
  quick: false,
});

let runId = "";

test.beforeAll(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-e2e-proposal-bench-"));
  try {
    const file = path.join(dir, "consensus.json");
    writeFileSync(file, JSON.stringify(RUN));
    const tsx = path.join(projectRoot(), "node_modules", "tsx", "dist", "cli.mjs");
    const res = spawnSync(process.execPath, [tsx, "bench/run.ts", "--import", file], { cwd: projectRoot(), env: databaseEnv(), encoding: "utf8", timeout: 120_000 });
    const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
    if (res.status !== 0) throw new Error(`npm run bench -- --import failed (exit ${res.status}):\n${output}`);
    runId = /benchmark run (\d+)/.exec(output)?.[1] ?? "";
    expect(runId, output).not.toBe("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function fillProposal(page: Page, title: string, activation: number): Promise<void> {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Proposal id").fill(`BENCH-${Date.now()}`);
  await page.getByLabel("Activation block").fill(String(activation));
  await page.getByLabel("Algorithm id").fill("0x01");
  await page.getByLabel("Algorithm name").fill("SHA3-256");
  await page.getByLabel("Rule version").fill("v2.5-pq-primary");
  await page.getByLabel("Rationale").fill("The consensus benchmarks of the stored run back this activation.");
}

test("a stored run picked on the form fills benchmark_results, is signed, refused once edited, and shows on the proposal page", async ({ browser, request }) => {
  test.setTimeout(120_000);
  await waitForHeight(request, 3, 90_000);
  const { context, page } = await unlockedMemberPage(browser, "margaret");
  await page.getByRole("navigation", { name: "Governance" }).getByRole("link", { name: "Proposals" }).click();
  await page.getByRole("link", { name: "New proposal" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New proposal");
  const title = `Bench-backed PQ-primary ${Date.now()}`;
  await fillProposal(page, title, ((await tipHeight(request)) ?? 0) + 100_000);

  // The picker: a labelled select listing the run by date, stage and PASS/FAIL count; keyboard: focus, arrow down.
  const picker = page.getByLabel("Fill benchmark results from a stored run");
  const option = picker.locator(`option[value="${runId}"]`);
  await expect(option).toHaveText("2026-12-01 07:30 UTC · consensus · 1 PASS, 1 FAIL");
  // (`has` is matched inside each optgroup, so it names the option from there.)
  await expect(picker.locator("optgroup", { has: page.locator(`option[value="${runId}"]`) })).toHaveAttribute("label", /^npm run bench of 2026-12-01 07:30 UTC: consensus$/);
  // Keyboard: focus the closed select, arrow down to the first (newest) stored run: it fills the field at once.
  await picker.focus();
  await page.keyboard.press("ArrowDown");
  await expect(picker).not.toHaveValue("");
  await expect(page.getByTestId("benchmark-run-status")).toHaveText(/^Filled from benchmark run \d+ \(/);
  await picker.selectOption(runId);
  await expect(picker).toHaveValue(runId);
  await expect(page.getByTestId("benchmark-run-status")).toHaveText(`Filled from benchmark run ${runId} (2026-12-01 07:30 UTC · consensus · 1 PASS, 1 FAIL).`);
  const field = page.getByLabel("Benchmark results (JSON object)");
  await expect(field).toHaveValue(new RegExp(`"bench_run_id": "${runId}"`));
  await expect(field).toHaveValue(/"criteria_passed": 1/);
  await expectNoSeriousA11yViolations(page, "governance: new proposal form, benchmark run picked");

  // Edited after filling: flagged here, and the node refuses it (it re-derives the results from the stored run).
  const filled = await field.inputValue();
  await field.fill(filled.replace('"passed": false', '"passed": true'));
  await expect(page.getByTestId("benchmark-run-status")).toContainText(`Edited since it was filled from run ${runId}`);
  await page.getByRole("button", { name: "Sign proposal…" }).click();
  await expect(page.getByLabel("canonical message")).toContainText('"passed":true');
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "INVALID_PROPOSAL" })).toContainText(`differ from stored benchmark run ${runId} at benchmark_results.passed`);

  // Picked again: the stored run's own figures, signed as shown.
  await picker.selectOption("");
  await picker.selectOption(runId);
  await expect(field).toHaveValue(filled);
  await page.getByRole("button", { name: "Sign proposal…" }).click();
  const message = page.getByLabel("canonical message");
  await expect(message).toContainText(`"bench_run_id":"${runId}"`);
  await expect(message).toContainText('"source":"mathledger-pq bench"');
  await expect(message).toContainText('"passed":false');
  const proposalHash = (await page.getByTestId("message-digest").textContent())!;
  await page.getByRole("button", { name: "Sign and submit" }).click();
  await expect(page).toHaveURL(`/governance/proposals/${proposalHash}`);

  // The proposal page: the run, its verdicts, and a link to it on the Benchmarks page.
  const shown = page.getByTestId("proposal-benchmarks");
  await expect(shown).toContainText(`From benchmark run ${runId}: stage consensus`);
  await expect(shown).toContainText("FAIL: 1 of 2 criteria met");
  await expect(shown.getByRole("table", { name: `Acceptance verdicts of benchmark run ${runId}` })).toContainText(RUN.acceptance[0].id);
  await shown.getByRole("link", { name: runId }).click();
  await expect(page).toHaveURL(`/benchmarks/${runId}`);
  await context.close();
});
