/** The explorer and block pages with the keyboard alone: paging, opening a block, checking a proof, searching. */
import { expect, test, type Locator, type Page } from "@playwright/test";

import { waitForHeight } from "./support/chain";

/** Presses Tab until `target` has focus (fails after `max` presses). */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

test("pages through the explorer, opens a block and checks a proof with the keyboard alone", async ({ page, request }) => {
  test.setTimeout(90_000);
  await waitForHeight(request, 30); // more than one page of 25
  await page.goto("/blocks");

  const older = page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Older →" });
  await tabTo(page, older);
  expect(await older.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/blocks\?before=\d+$/);
  await expect(page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "← Newer" })).toBeVisible();

  const firstBlock = page.getByRole("table", { name: "Canonical chain, newest first" }).getByRole("link").first();
  const label = (await firstBlock.textContent())!;
  await tabTo(page, firstBlock);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Block ${label.replace("#", "")}`);

  const verify = page.locator('li[data-statement-index="0"]').getByRole("button");
  await expect(verify).toHaveAccessibleName("Verify inclusion proof of statement 0");
  await tabTo(page, verify);
  await page.keyboard.press("Enter");
  await expect(verify).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("region", { name: "Inclusion proof of statement 0" }).locator('[data-root-field="merkle_root"]')).toHaveAttribute(
    "data-status",
    "match",
  );
  await page.keyboard.press("Space");
  await expect(verify).toHaveAttribute("aria-expanded", "false");
});

test("Go to block works from the keyboard", async ({ page, request }) => {
  await waitForHeight(request, 5);
  await page.goto("/blocks");
  const input = page.getByLabel("Go to block");
  await tabTo(page, input);
  await page.keyboard.type("5");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/blocks\/5$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Block 5");
});
