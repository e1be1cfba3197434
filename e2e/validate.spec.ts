/**
 * The Validate page in Chromium against the running node: a pasted tampered block shows its violations (and the
 * untouched one its stored twin); a dropped 2,000-block NDJSON chain is validated in batches while the progress bar
 * runs to the end, and the browser's own validation agrees; a run can be cancelled; the results and the explorer's
 * block list download as CSV with their header lines.
 */
import { readFileSync } from "node:fs";

import { expect, test, type Page } from "@playwright/test";

import type { Block } from "../lib/consensus/block";
import type { Epoch } from "../lib/consensus/epochs";
import { sealBlock } from "../lib/consensus/seal-block";
import { generateStatements } from "../lib/devnet/statement-generator";
import { VALIDATION_RESULT_COLUMNS } from "../lib/validation/result-table";
import { BLOCK_EXPORT_COLUMNS } from "../server/export/block-exports";
import { canonicalBlockJson, waitForHeight } from "./support/chain";
import { E2E_DUAL_ACTIVATION_BLOCK } from "./support/stack";

/** The node's epoch registry, read through its tRPC API (the chain below is sealed under exactly these rules). */
async function nodeRegistry(page: Page): Promise<Epoch[]> {
  const res = await page.request.get("/api/trpc/epochs.overview");
  expect(res.status()).toBe(200);
  const epochs = ((await res.json()) as { result: { data: { epochs: Array<Epoch & { first_block: unknown }> } } }).result.data.epochs;
  return epochs.map(({ first_block: _ignored, ...epoch }) => epoch);
}

/** A valid chain of `count` blocks from genesis under `epochs`, with the devnet's statement generator. */
function sealChain(epochs: Epoch[], count: number): Block[] {
  const chain: Block[] = [];
  let prev: Block | null = null;
  for (let n = 0; n < count; n++) {
    prev = sealBlock({ statements: generateStatements({ seed: 77, blockNumber: n, minCount: 1, maxCount: 3 }), epochs, prev, timestamp: 1_700_000_000 + n });
    chain.push(prev);
  }
  return chain;
}

/** Drops `text` as a file named `name` on the page's drop zone, as a person dragging it from their desktop would. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  await expect(page.getByTestId("drop-zone")).toHaveAttribute("data-ready", "true");
  const transfer = await page.evaluateHandle(
    ([fileName, content]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], fileName, { type: "application/x-ndjson" }));
      return dt;
    },
    [name, text] as const,
  );
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
}

test("a pasted tampered block shows its violations; the untouched block its stored twin; the browser agrees", async ({ page }) => {
  test.setTimeout(120_000);
  const height = E2E_DUAL_ACTIVATION_BLOCK + 1;
  await waitForHeight(page.request, height);
  const original = await canonicalBlockJson(page.request, height);
  const tampered = { ...original, statements: [`${original.statements[0]} (tampered)`, ...original.statements.slice(1)] };

  await page.goto("/validate");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Validate");
  await page.getByLabel(/Paste a block/).fill(JSON.stringify([original, tampered], null, 2));
  await page.getByRole("switch", { name: /Check in this browser too/ }).check();
  await page.getByRole("button", { name: "Validate" }).click();

  await expect(page.getByText("Done: 2 blocks, 1 valid, 1 invalid.")).toBeVisible();
  const rows = page.locator("tr[data-result-index]");
  await expect(rows.nth(0)).toContainText("✓ VALID");
  await expect(rows.nth(0).getByRole("link", { name: new RegExp(`#${height} canonical, stored VALID`) })).toHaveAttribute("href", `/blocks/${height}`);
  await expect(rows.nth(1)).toContainText("✗ INVALID");
  await expect(rows.nth(1)).toContainText("not stored");
  // The second block is the pasted chain's successor of the first at the same height: its links break too.
  const violations = page.getByRole("list", { name: /Violations of the block on line/ });
  await expect(violations.locator('[data-violation-code="LEGACY_MERKLE_ROOT_MISMATCH"]')).toContainText("merkle_root");
  await expect(violations.locator('[data-violation-code="PQ_MERKLE_ROOT_MISMATCH"]')).toContainText("CRITICAL");
  await expect(violations.locator('[data-violation-code="LEGACY_MERKLE_ROOT_MISMATCH"]')).toContainText(original.merkle_root!);
  await expect(page.getByTestId("cross-check")).toContainText("this browser agrees with the node on all 2 blocks");
  await expect(page.getByTestId("validation-context")).toContainText(`this node's epoch registry; the first block's predecessor: canonical block ${height - 1} of this node`);
});

test("under a proposed registry pasted on the page, a stored valid block is judged invalid", async ({ page }) => {
  test.setTimeout(120_000);
  const height = E2E_DUAL_ACTIVATION_BLOCK + 1;
  await waitForHeight(page.request, height);
  const original = await canonicalBlockJson(page.request, height);
  await page.goto("/validate");
  await page.getByLabel(/Paste a block/).fill(JSON.stringify(original));
  await page.getByText(/Registry \(optional\)/).click();
  await page.getByRole("button", { name: "Start from this node's registry" }).click();
  const registry = page.getByLabel(/A JSON array of epochs/);
  await expect(registry).toHaveValue(/"rule_version": "v2-dual-required"/);
  // The proposal: stay on v1-legacy for good (the dual epoch never activates).
  const proposed = JSON.parse(await registry.inputValue()) as Epoch[];
  await registry.fill(JSON.stringify([{ ...proposed[0], end_block: null }], null, 2));
  await page.getByRole("button", { name: "Validate" }).click();
  const row = page.locator("tr[data-result-index]").first();
  await expect(row).toContainText("✗ INVALID");
  await expect(row).toContainText("v1-legacy");
  await expect(row.getByRole("link")).toContainText("stored VALID");
  await expect(page.locator('[data-violation-code="UNEXPECTED_PQ_FIELD"]').first()).toBeVisible();
  await expect(page.getByTestId("validation-context")).toContainText("the registry you gave");
});

test("a dropped 2,000-block NDJSON chain is validated in batches, the progress bar finishes, the browser agrees, and the CSV downloads", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/validate");
  const chain = sealChain(await nodeRegistry(page), 2000);
  await dropFile(page, "chain.ndjson", chain.map((b) => JSON.stringify(b)).join("\n") + "\n");
  await expect(page.getByText("File chain.ndjson")).toBeVisible();
  await page.getByRole("switch", { name: /Check in this browser too/ }).check();
  await page.getByRole("button", { name: "Validate" }).click();

  const bar = page.getByRole("progressbar", { name: "Blocks validated" });
  await expect(bar).toHaveAttribute("aria-valuemax", "2000");
  await expect(bar).toHaveAttribute("aria-valuenow", "2000", { timeout: 120_000 });
  await expect(page.getByText("Done: 2,000 blocks, 2,000 valid, 0 invalid.")).toBeVisible();
  await expect(page.getByTestId("cross-check")).toContainText("this browser agrees with the node on all 2,000 blocks");
  await expect(page.getByRole("navigation", { name: "Result pages" })).toContainText("Page 1 of 20");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^validation-results-\d{8}T\d{6}Z\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").split("\r\n");
  expect(lines[0]).toBe(VALIDATION_RESULT_COLUMNS.join(","));
  expect(lines[1]).toMatch(/^0,1,0,VALID,v1-legacy,SHA-256,0,true,0x/);
  expect(lines.filter((l) => l !== "")).toHaveLength(2001);
});

test("a running validation can be cancelled", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/validate");
  const chain = sealChain(await nodeRegistry(page), 1000);
  // Hold every request after the first, so Cancel lands while one is in flight.
  let requests = 0;
  await page.route("**/api/v1/validate", async (route) => {
    if (++requests > 1) await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.continue().catch(() => undefined);
  });
  await dropFile(page, "chain.ndjson", chain.map((b) => JSON.stringify(b)).join("\n"));
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByRole("progressbar", { name: "Blocks validated" })).toHaveAttribute("aria-valuenow", "250");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("Cancelled after 250 of 1,000 blocks.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await expect(page.locator("tr[data-result-index]")).toHaveCount(100);
});

test("an input that is not JSON is refused with its line and why", async ({ page }) => {
  await page.goto("/validate");
  await page.getByLabel(/Paste a block/).fill('{"block_number": 1}\n{"block_number": 2,}\n');
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText(/line 2 is not valid JSON \(column 20: a trailing comma before '\}' is not allowed in JSON\)/);
});

test("the explorer's block list downloads as CSV with its header line, under the current filter", async ({ page }) => {
  await waitForHeight(page.request, 3);
  await page.goto("/blocks?filter=all");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download this list as CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^blocks-all-\d{8}T\d{6}Z\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
  expect(lines[0]).toBe(BLOCK_EXPORT_COLUMNS.join(","));
  expect(lines.length).toBeGreaterThan(3);
});
