/**
 * The dashboard is live: blocks arrive on screen without a reload, from a server-rendered first paint that already
 * shows real data. (The epoch switching live is in activation.spec.ts.)
 */
import { expect, test } from "@playwright/test";

import { waitForHeight } from "./support/chain";

const currentBlock = (text: string | null) => Number((text ?? "").replace(/[^0-9]/g, ""));

test("blocks arrive on the home page without a reload", async ({ page, request }) => {
  await waitForHeight(request, 10); // a full table of recent blocks
  const html = await (await request.get("/")).text();
  expect(html).toContain('data-testid="current-block"'); // the first paint already has the tip (server-rendered)

  await page.goto("/");
  const tip = page.getByTestId("current-block");
  await expect(tip).toBeVisible();
  const first = currentBlock(await tip.textContent());
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  await expect.poll(async () => currentBlock(await tip.textContent()), { timeout: 15_000 }).toBeGreaterThan(first);
  // Still the same document: the number changed through polling, not a navigation.
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  await expect(page.getByRole("table", { name: "The 10 newest canonical blocks" }).getByRole("row")).toHaveCount(11);
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("network-health")).toHaveText(/HEALTHY|DEGRADED|CRITICAL/);
});
