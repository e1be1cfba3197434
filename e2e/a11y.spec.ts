/**
 * axe-core on every page of the portal and every state worth checking: zero serious or critical violations (the few
 * tolerated findings are in support/a11y-exceptions.ts, each with its reason). New pages add a line here, or call
 * expectNoSeriousA11yViolations from their own spec.
 */
import { expect, test, type Page } from "@playwright/test";

import { describeViolations, expectNoSeriousA11yViolations, runAxe, seriousViolations } from "./support/axe";
import { canonicalBlockJson, waitForHeight } from "./support/chain";
import { importBlocks } from "./support/import-blocks";
import { E2E_DUAL_ACTIVATION_BLOCK } from "./support/stack";
import { contrastRatio, expectSvgTextContrast } from "./support/svg-text-contrast";

/** Waits until the live views have painted data (not the loading line) so axe sees the page a user reads. */
async function waitForLiveData(page: Page): Promise<void> {
  await expect(page.locator("[data-live-updated]").first()).toBeVisible();
}

/** Opens the inclusion proof of the last statement shown and waits for its verdict. */
async function openLastProof(page: Page): Promise<void> {
  const item = page.locator("li[data-statement-index]").last();
  await item.getByRole("button").click();
  await expect(item.getByRole("region", { name: /Inclusion proof of statement/ }).locator('[data-root-field="merkle_root"]')).toHaveAttribute(
    "data-status",
    /match|mismatch/,
  );
}

test.describe("axe-core: no serious or critical violations", () => {
  test.beforeEach(async ({ request }) => {
    await waitForHeight(request, E2E_DUAL_ACTIVATION_BLOCK + 1, 90_000);
  });

  test("dashboard", async ({ page }) => {
    await page.goto("/");
    await waitForLiveData(page);
    await expect(page.locator("figure svg").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, "dashboard");
    // axe does not measure SVG text: the charts' tick labels are checked here.
    await expectSvgTextContrast(page.locator("main figure"), "dashboard chart labels");
  });

  test("blocks list, its filters and pagination", async ({ page }) => {
    await page.goto("/blocks");
    await expect(page.getByRole("table", { name: "Canonical chain, newest first" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "blocks list");
    await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Older →" }).click();
    await expect(page).toHaveURL(/before=/);
    await expectNoSeriousA11yViolations(page, "blocks list, an older page");
  });

  test("a dual block with its inclusion proof open", async ({ page }) => {
    await page.goto(`/blocks/${E2E_DUAL_ACTIVATION_BLOCK + 1}`);
    await openLastProof(page);
    await expectNoSeriousA11yViolations(page, "block page with proof panel open");
  });

  test("an invalid block with its violations and a failing proof", async ({ page, request }) => {
    test.setTimeout(120_000);
    // Its own height: blocks.spec.ts tampers with +2, and +1 is the dual block the other checks open.
    const height = E2E_DUAL_ACTIVATION_BLOCK + 3;
    await waitForHeight(request, height);
    const original = await canonicalBlockJson(request, height);
    importBlocks([{ ...original, statements: [`${original.statements[0]} (a11y tampered)`, ...original.statements.slice(1)] }]);
    const invalid = page.getByRole("table", { name: "Invalid only, newest first" }).getByRole("link", { name: `#${height}` }).first();
    await expect(async () => {
      await page.goto("/blocks?filter=invalid");
      await expect(invalid).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expectNoSeriousA11yViolations(page, "blocks list, invalid only");
    await invalid.click();
    await expect(page.getByRole("table", { name: "Every rule this block broke, most severe first" })).toBeVisible();
    await openLastProof(page);
    await expectNoSeriousA11yViolations(page, "invalid block with violations and proof panel open");
    // An imported block keeps the JSON it arrived as, in a scrollable box behind a disclosure.
    await page.getByText("Show the JSON exactly as this node received it").click();
    await expect(page.getByRole("region", { name: "Block JSON as received" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "invalid block with its received JSON open");
  });

  test("epochs", async ({ page }) => {
    await page.goto("/epochs");
    await waitForLiveData(page);
    await expectNoSeriousA11yViolations(page, "epochs");
  });

  for (const path of ["/governance", "/council", "/benchmarks", "/validate"]) {
    test(`${path.slice(1)}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page, path.slice(1));
    });
  }

  test("the 404 pages", async ({ page }) => {
    expect((await page.goto("/no-such-area"))?.status()).toBe(404);
    await expectNoSeriousA11yViolations(page, "404 page");
    expect((await page.goto("/blocks/99999999"))?.status()).toBe(404);
    await expectNoSeriousA11yViolations(page, "block not found page");
  });

  test("live updates failing (the API answers 503)", async ({ page }) => {
    await page.goto("/");
    await waitForLiveData(page);
    await page.route("**/api/trpc/**", (route) => route.fulfill({ status: 503, contentType: "application/json", body: '{"error":"unavailable"}' }));
    await expect(page.getByRole("alert").filter({ hasText: "Live updates failing" })).toBeVisible({ timeout: 20_000 });
    await expectNoSeriousA11yViolations(page, "dashboard with live updates failing");
  });
});

test("the check fails on a real violation, and an exception excuses only what it names", async ({ page }) => {
  // The contrast the portal had before: slate-500 text on a card (slate-900/60 over slate-950: #0a1023), 3.96:1.
  await page.setContent(
    `<!doctype html><html lang="en"><head><title>fixture</title></head><body style="background:#0a1023">
       <main><h1 style="color:#e2e8f0">Fixture</h1><p class="muted" style="color:#62748e">muted text</p><p class="ok" style="color:#90a1b9">fine text</p></main>
     </body></html>`,
  );
  const results = await runAxe(page);
  const failing = seriousViolations(results, "fixture", []);
  expect(failing.map((v) => v.id)).toEqual(["color-contrast"]);
  expect(failing[0].nodes.map((n) => n.target.join(" "))).toEqual([".muted"]);
  expect(describeViolations(failing)).toContain("3.96");
  // The SVG-text check's arithmetic agrees with axe's on the same pair of colours (axe truncates to two decimals).
  expect(Math.floor(contrastRatio([0x62, 0x74, 0x8e], [0x0a, 0x10, 0x23]) * 100) / 100).toBe(3.96);

  const excuse = { rule: "color-contrast", target: ".muted", reason: "fixture" };
  expect(seriousViolations(results, "fixture", [excuse])).toEqual([]);
  expect(seriousViolations(results, "fixture", [{ ...excuse, label: "another page" }])).toHaveLength(1);
  expect(seriousViolations(results, "fixture", [{ ...excuse, rule: "link-name" }])).toHaveLength(1);
});
