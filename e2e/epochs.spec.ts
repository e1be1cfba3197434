/** The epochs page: the registry, the transition seen once the chain passes it (live), the timeline. */
import { expect, test } from "@playwright/test";

import { E2E_DUAL_ACTIVATION_BLOCK } from "./support/stack";
import { tipHeight, waitForHeight } from "./support/chain";

test("shows the registry, the distance to the activation, and the transition once the chain passes it", async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.goto("/epochs");
  const registry = page.getByRole("table", { name: /The epoch registry/ });
  await expect(registry.getByRole("row")).toHaveCount(3);
  await expect(registry).toContainText("v1-legacy");
  await expect(registry).toContainText("v2-dual-required");
  await expect(registry).toContainText("SHA3-256 (0x01)");
  await expect(page.getByRole("img", { name: /Epoch timeline/ })).toBeVisible();

  const status = page.getByTestId("activation-status");
  if (((await tipHeight(request)) ?? -1) < E2E_DUAL_ACTIVATION_BLOCK - 2) {
    await expect(page.getByRole("progressbar", { name: `Progress towards the activation at block ${E2E_DUAL_ACTIVATION_BLOCK}` })).toBeVisible();
    await expect(status).toContainText("remaining");
  }

  await waitForHeight(request, E2E_DUAL_ACTIVATION_BLOCK);
  const transitions = page.getByRole("table", { name: /Epoch transitions/ });
  // Without a reload: the page polls.
  await expect(transitions).toContainText("✓ seen", { timeout: 10_000 });
  await expect(transitions.getByRole("link", { name: `#${E2E_DUAL_ACTIVATION_BLOCK}` })).toBeVisible();
  await expect(status).toContainText("No transition scheduled");
});
