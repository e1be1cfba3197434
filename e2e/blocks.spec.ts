/**
 * The block explorer and block detail: open a block from the list, verify a statement's inclusion proof in the
 * browser against both roots of a dual block, import a corrupted block and see its violations (and the proof fail),
 * and the 404s for blocks that do not exist.
 */
import { expect, test, type Page } from "@playwright/test";

import { E2E_DUAL_ACTIVATION_BLOCK } from "./support/stack";
import { canonicalBlockJson, waitForHeight } from "./support/chain";
import { importBlocks } from "./support/import-blocks";

/** Expands the proof of the last statement shown and returns its panel. */
async function verifyLastStatement(page: Page) {
  const item = page.locator("li[data-statement-index]").last();
  const button = item.getByRole("button");
  await expect(button).toHaveText(/Verify inclusion proof/);
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  return item.getByRole("region", { name: /Inclusion proof of statement/ });
}

test("opens a block from the explorer", async ({ page, request }) => {
  await waitForHeight(request, 3);
  await page.goto("/blocks");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Blocks");
  const table = page.getByRole("table", { name: "Canonical chain, newest first" });
  const link = table.getByRole("link").nth(1); // the second-newest block
  const label = (await link.textContent())!;
  await link.click();
  const height = label.replace(/[^0-9]/g, "");
  await expect(page).toHaveURL(new RegExp(`/blocks/${height}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Block ${Number(height).toLocaleString("en-US")}`);
  for (const field of ["prev_hash", "merkle_root", "pq_prev_hash", "pq_merkle_root", "dual_commitment"]) {
    await expect(page.locator("dt code", { hasText: new RegExp(`^${field}$`) })).toBeVisible();
  }
  await expect(page.getByText("No violations: the block passed every check")).toBeVisible();
});

test("verifies a statement's inclusion proof in the browser against both roots of a dual block", async ({ page, request }) => {
  test.setTimeout(90_000);
  const height = E2E_DUAL_ACTIVATION_BLOCK + 1;
  await waitForHeight(request, height);
  await page.goto(`/blocks/${height}`);
  await expect(page.getByText("v2-dual-required").first()).toBeVisible();
  const panel = await verifyLastStatement(page);
  await expect(panel.locator('[data-root-field="merkle_root"]')).toHaveAttribute("data-status", "match");
  await expect(panel.locator('[data-root-field="pq_merkle_root"]')).toHaveAttribute("data-status", "match");
  await expect(panel).toContainText("✓ Legacy root (SHA-256");
  await expect(panel).toContainText("✓ PQ root (SHA3-256");
  // The recomputed roots are the ones the block declares.
  const declared = await page.locator("dt", { hasText: "PQ Merkle root" }).locator("xpath=following-sibling::dd[1]").textContent();
  await expect(panel.locator('[data-root-field="pq_merkle_root"]')).toContainText(declared!.trim());
});

test("a corrupted block imported at an existing height shows its violations and fails the proof", async ({ page, request }) => {
  test.setTimeout(120_000);
  const height = E2E_DUAL_ACTIVATION_BLOCK + 2;
  await waitForHeight(request, height);
  const original = await canonicalBlockJson(request, height);
  const corrupted = { ...original, statements: [`${original.statements[0]} (tampered)`, ...original.statements.slice(1)] };
  const imported = importBlocks([corrupted]);
  test.info().annotations.push({ type: "import", description: imported.output.trim().slice(0, 200) });

  // The invalid block appears in the explorer's "Invalid only" view (the worker may finish the job: poll).
  await expect(async () => {
    await page.goto("/blocks?filter=invalid");
    await expect(page.getByRole("table", { name: "Invalid only, newest first" }).getByRole("link", { name: `#${height}` })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("table", { name: "Invalid only, newest first" }).getByRole("link", { name: `#${height}` }).click();

  await expect(page).toHaveURL(/\/blocks\/id\/0x[0-9a-f]{64}$/);
  await expect(page.getByText("✗ INVALID")).toBeVisible();
  await expect(page.getByText("not canonical", { exact: true })).toBeVisible();
  const violations = page.getByRole("table", { name: "Every rule this block broke, most severe first" });
  const legacy = violations.getByRole("row").filter({ hasText: "LEGACY_MERKLE_ROOT_MISMATCH" });
  await expect(legacy).toContainText("CRITICAL");
  await expect(legacy).toContainText("merkle_root");
  await expect(legacy).toContainText(original.merkle_root!);
  await expect(violations.getByRole("row").filter({ hasText: "PQ_MERKLE_ROOT_MISMATCH" })).toContainText("pq_merkle_root");

  // Checked honestly in the browser: the stored statements do not lead to the roots the block declares.
  const panel = await verifyLastStatement(page);
  await expect(panel.locator('[data-root-field="merkle_root"]')).toHaveAttribute("data-status", "mismatch");
  await expect(panel.locator('[data-root-field="pq_merkle_root"]')).toHaveAttribute("data-status", "mismatch");
  await expect(panel).toContainText("✗ Legacy root");

  // The canonical block at that height is untouched and lists the corrupted copy beside it.
  await page.getByRole("table", { name: /Other stored blocks at this height/ }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/blocks/${height}$`));
  await expect(page.getByText("✓ VALID").first()).toBeVisible();
  await expect(page.getByRole("table", { name: /Other stored blocks at this height/ })).toContainText("INVALID");
});

test("an unknown or malformed block address answers 404 with a way back", async ({ page }) => {
  for (const path of ["/blocks/99999999", "/blocks/not-a-number", "/blocks/-1", "/blocks/id/0x1234", `/blocks/id/0x${"0".repeat(64)}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Block not found");
    await expect(page.getByRole("link", { name: "Browse the blocks" })).toBeVisible();
  }
});

test("Go to block finds a height and says clearly when nothing matches", async ({ page, request }) => {
  await waitForHeight(request, 2);
  await page.goto("/blocks");
  await page.getByLabel("Go to block").fill("2");
  await page.getByLabel("Go to block").press("Enter");
  await expect(page).toHaveURL(/\/blocks\/2$/);

  await page.goto("/blocks?q=not+a+block");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("is neither a block height nor a 32-byte hex hash");
  await page.goto("/blocks?q=99999999");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("There is no canonical block at height 99999999");
  await page.goto("/blocks?filter=bogus");
  await expect(page.getByRole("main").getByRole("alert")).toContainText('Unknown filter "bogus"');
});
