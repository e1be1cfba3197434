/**
 * The dual activation as an operator watches it, live and without reloads: the epochs page measures the way to the
 * activation block and the dashboard counts down to it, then both show the new epoch once the chain passes it.
 *
 * Named to run first (files run in name order, one worker): the test stack's devnet reaches the activation
 * (block 20 at 0.5 s per block) about ten seconds after it starts, and the "before" half needs the chain short of it.
 */
import { expect, test } from "@playwright/test";

import { E2E_DUAL_ACTIVATION_BLOCK } from "./support/stack";
import { tipHeight, waitForHeight } from "./support/chain";

test("the epochs page and the dashboard follow the chain through the dual activation", async ({ page, context, request }) => {
  test.setTimeout(90_000);
  await page.goto("/epochs");
  const dashboard = await context.newPage();
  await dashboard.goto("/");

  const registry = page.getByRole("table", { name: /The epoch registry/ });
  await expect(registry.getByRole("row")).toHaveCount(3);
  await expect(registry).toContainText("v1-legacy");
  await expect(registry).toContainText("v2-dual-required");
  await expect(registry).toContainText("SHA3-256 (0x01)");
  await expect(page.getByRole("img", { name: /Epoch timeline/ })).toBeVisible();

  const status = page.getByTestId("activation-status");
  const nextTransition = dashboard.locator("dt", { hasText: "Next transition" }).locator("..");
  const epoch = dashboard.locator("dt", { hasText: "Current epoch" }).locator("..");
  const tip = (await tipHeight(request)) ?? -1;
  if (tip < E2E_DUAL_ACTIVATION_BLOCK - 3) {
    await expect(page.getByRole("progressbar", { name: `Progress towards the activation at block ${E2E_DUAL_ACTIVATION_BLOCK}` })).toBeVisible();
    await expect(status).toContainText(/\d+ blocks? remaining/);
    await expect(nextTransition).toContainText(`#${E2E_DUAL_ACTIVATION_BLOCK}`);
    await expect(nextTransition).toContainText(/to v2-dual-required \(SHA3-256\) in \d+ blocks?/);
    await expect(epoch).toContainText("v1-legacy");
  } else {
    test.info().annotations.push({ type: "note", description: `the chain was already at block ${tip}: the "before" half was not checked` });
  }

  await waitForHeight(request, E2E_DUAL_ACTIVATION_BLOCK);
  // No reloads from here on: both pages poll.
  const transitions = page.getByRole("table", { name: /Epoch transitions/ });
  await expect(transitions).toContainText("✓ seen", { timeout: 10_000 });
  await expect(transitions.getByRole("link", { name: `#${E2E_DUAL_ACTIVATION_BLOCK}` })).toBeVisible();
  await expect(status).toContainText("No transition scheduled");
  await expect(epoch).toContainText("v2-dual-required", { timeout: 10_000 });
  await expect(epoch).toContainText("SHA3-256");
  await expect(nextTransition).toContainText("none scheduled");
});
