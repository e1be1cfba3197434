/**
 * The portal on a phone (390 × 844, touch) and at the narrowest common width (360): the main journeys fit the
 * screen (the page itself never scrolls sideways; wide tables scroll inside their card), charts take the width they
 * are given, the navigation's menu button works by keyboard (WAI-ARIA disclosure), axe stays clean with the menu
 * open, the voting journey works by touch (open a proposal, vote with a key, see the tally), and prefers-reduced-motion
 * stops the live indicator's pulse and the progress bar's transition.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";

import { expectNoSeriousA11yViolations } from "./support/axe";
import { waitForHeight } from "./support/chain";
import { createVotingProposal, unlockedMemberPage } from "./support/governance";
import { E2E_DUAL_ACTIVATION_BLOCK } from "./support/stack";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** The page's own horizontal overflow: anything wider than the viewport makes the whole page scroll sideways. */
async function expectNoHorizontalPageOverflow(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${where}: the page is ${scrollWidth}px wide in a ${innerWidth}px viewport`).toBeLessThanOrEqual(innerWidth);
}

/** Presses Tab until `isTarget` says the right element has focus (fails after `max` presses). */
async function tabUntilFocused(page: Page, isTarget: () => Promise<boolean>, what: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await isTarget()) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${what}`);
}

test.beforeEach(async ({ request }) => {
  await waitForHeight(request, E2E_DUAL_ACTIVATION_BLOCK + 1, 90_000);
});

test("dashboard fits the phone: charts resize, the blocks table scrolls inside its card", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("[data-live-updated]")).toBeVisible();
  const charts = page.locator("figure").filter({ has: page.locator("svg.recharts-surface") });
  // The pace charts and the radar's panels: every one must fit the phone.
  await expect(charts.first()).toBeVisible();
  expect(await charts.count()).toBeGreaterThanOrEqual(2);
  for (const figure of await charts.all()) {
    const { figureWidth, svgWidth } = await figure.evaluate((el) => ({
      figureWidth: el.getBoundingClientRect().width,
      // The chart's own surface, not a 14 px legend icon (also an svg.recharts-surface).
      svgWidth: el.querySelector(".recharts-wrapper > svg.recharts-surface")!.getBoundingClientRect().width,
    }));
    expect(svgWidth).toBeGreaterThan(200);
    expect(svgWidth).toBeLessThanOrEqual(figureWidth + 1);
  }
  // The recent-blocks table is wider than a phone: its wrapper scrolls, the page does not.
  // It is then a named, focusable region, so the keyboard can scroll it too.
  const scroller = page.getByRole("region", { name: "The 10 newest canonical blocks (scrolls sideways)" });
  await expect(scroller).toHaveAttribute("tabindex", "0");
  const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  await scroller.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expectNoHorizontalPageOverflow(page, "dashboard");
  await expectNoSeriousA11yViolations(page, "dashboard at 390 px");
});

test("the menu button is a keyboard-operable disclosure", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  const button = nav.getByRole("button", { name: "Menu" });
  const list = page.locator(`#${await button.getAttribute("aria-controls")}`);
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(list).toBeHidden();
  await expectNoHorizontalPageOverflow(page, "header with the menu closed");

  // Enter opens it; the links follow the button in the tab order.
  await tabUntilFocused(page, () => button.evaluate((el) => el === document.activeElement), "the Menu button");
  await page.keyboard.press("Enter");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await expect(list).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Dashboard", exact: true })).toBeFocused();
  await expectNoSeriousA11yViolations(page, "navigation menu open at 390 px");

  // Escape closes it and returns focus to the button.
  await page.keyboard.press("Escape");
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(list).toBeHidden();
  await expect(button).toBeFocused();

  // Space opens it again; following a link navigates and closes it.
  await page.keyboard.press("Space");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const blocks = nav.getByRole("link", { name: "Blocks", exact: true });
  await tabUntilFocused(page, () => blocks.evaluate((el) => el === document.activeElement), "the Blocks link");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/blocks$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Blocks");
  await expect(button).toHaveAttribute("aria-expanded", "false");
  // The list is hidden again, so the link is found by its place rather than its (hidden) role.
  await expect(page.locator('#main-nav-list a[href="/blocks"]')).toHaveAttribute("aria-current", "page");

  // Tabbing out of the open menu closes it (it would otherwise cover the content that has focus).
  await button.focus();
  await page.keyboard.press("Enter");
  const last = nav.getByRole("link").last();
  await tabUntilFocused(page, () => last.evaluate((el) => el === document.activeElement), "the last navigation link");
  await page.keyboard.press("Tab");
  await expect(button).toHaveAttribute("aria-expanded", "false");
});

test("at 360 px every area is in the open menu, inside the screen", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  await page.getByRole("button", { name: "Menu" }).click();
  const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  expect(await links.count()).toBeGreaterThanOrEqual(6);
  for (const link of await links.all()) {
    await expect(link).toBeInViewport();
    const box = (await link.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.height).toBeGreaterThanOrEqual(24); // WCAG 2.2 target size (minimum)
  }
  // A press outside the navigation (below the open list) closes it.
  await page.mouse.click(180, 700);
  await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
  const governance = ["/governance", "/governance/proposals/new", "/governance/members", "/governance/account", "/governance/audit", "/governance/recount", "/council"];
  for (const path of ["/", "/blocks", "/blocks?filter=all", "/epochs", ...governance, "/benchmarks", "/validate", "/no-such-area", `/blocks/${E2E_DUAL_ACTIVATION_BLOCK + 1}`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoHorizontalPageOverflow(page, `${path} at 360 px`);
  }
});

test("blocks list → a block → its inclusion proof, on a phone", async ({ page }) => {
  await page.goto("/blocks");
  const table = page.getByRole("table", { name: "Canonical chain, newest first" });
  await expect(table).toBeVisible();
  await expectNoHorizontalPageOverflow(page, "blocks list");

  // The devnet is past the dual activation, so any recent block carries both roots.
  const link = table.getByRole("link").nth(1);
  const height = Number((await link.textContent())!.replace(/[^0-9]/g, ""));
  await link.tap();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Block ${height.toLocaleString("en-US")}`);
  await expectNoHorizontalPageOverflow(page, "block page");

  const item = page.locator("li[data-statement-index]").last();
  await item.getByRole("button").tap();
  const panel = item.getByRole("region", { name: /Inclusion proof of statement/ });
  await expect(panel.locator('[data-root-field="merkle_root"]')).toHaveAttribute("data-status", "match");
  await expect(panel.locator('[data-root-field="pq_merkle_root"]')).toHaveAttribute("data-status", "match");
  await expectNoHorizontalPageOverflow(page, "block page with the proof open");
  await expectNoSeriousA11yViolations(page, "block page with proof open at 390 px");
});

/** Fails unless every element `locator` matches is at least 24 × 24 CSS px (WCAG 2.2, 2.5.8 target size, minimum). */
async function expectTapTargets(locator: Locator, what: string): Promise<void> {
  const boxes = await locator.evaluateAll((els) => els.map((el) => ({ text: (el.textContent ?? "").trim().slice(0, 30), ...el.getBoundingClientRect().toJSON() })));
  expect(boxes.length, what).toBeGreaterThan(0);
  for (const b of boxes) {
    expect(b.width, `${what}: "${b.text}" is ${b.width} px wide`).toBeGreaterThanOrEqual(24);
    expect(b.height, `${what}: "${b.text}" is ${b.height} px high`).toBeGreaterThanOrEqual(24);
  }
}

test("the voting page by touch at 390 and 360 px: open a proposal, vote with a key, see the tally", async ({ browser, request }) => {
  test.setTimeout(150_000);
  const title = `Phone: vote ${Date.now()}`;
  const hash = await createVotingProposal(request, title);
  let expectedYes = 0;
  for (const [width, height, voter, power] of [[390, 844, "voter-06", 6], [360, 740, "voter-07", 7]] as const) {
    const { context, page } = await unlockedMemberPage(browser, voter, { contextOptions: { viewport: { width, height }, isMobile: true, hasTouch: true } });
    await page.getByRole("navigation", { name: "Governance" }).getByRole("link", { name: "Proposals" }).tap();
    await expectNoHorizontalPageOverflow(page, `proposals list at ${width} px`);
    await page.getByRole("link", { name: title }).tap();
    await expect(page).toHaveURL(`/governance/proposals/${hash}`);
    await expect(page.getByTestId("tally")).toBeVisible();
    await expectNoHorizontalPageOverflow(page, `proposal at ${width} px`);
    // The choices are labels around radio buttons: the label is what a finger hits.
    await expectTapTargets(page.getByRole("group", { name: "Choice" }).locator("label"), `vote choices at ${width} px`);
    const choices = page.getByRole("group", { name: "Choice" });
    await choices.getByText("NO", { exact: true }).tap();
    await expect(page.getByRole("radio", { name: "NO" })).toBeChecked();
    await choices.getByText("YES", { exact: true }).tap();
    await expectTapTargets(page.getByRole("button", { name: "Vote YES…" }), `vote button at ${width} px`);
    await page.getByRole("button", { name: "Vote YES…" }).tap();
    await expect(page.getByLabel("canonical message")).toContainText(hash);
    await expectNoHorizontalPageOverflow(page, `canonical message at ${width} px`);
    await expectTapTargets(page.getByRole("button", { name: /Sign and submit|Cancel/ }), `sign buttons at ${width} px`);
    await page.getByRole("button", { name: "Sign and submit" }).tap();
    expectedYes += power;
    await expect(page.getByTestId("tally-yes")).toHaveText(String(expectedYes));
    const figure = page.getByTestId("tally").locator("figure");
    const { figureWidth, svgWidth } = await figure.evaluate((el) => ({
      figureWidth: el.getBoundingClientRect().width,
      svgWidth: el.querySelector(".recharts-wrapper > svg.recharts-surface")!.getBoundingClientRect().width,
    }));
    expect(svgWidth).toBeGreaterThan(200);
    expect(svgWidth).toBeLessThanOrEqual(figureWidth + 1);
    await expectNoHorizontalPageOverflow(page, `proposal with the tally after voting at ${width} px`);
    await expectNoSeriousA11yViolations(page, `proposal after a vote at ${width} px`);
    await context.close();
  }
});

test("prefers-reduced-motion stops the live pulse and the progress transition", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "no-preference" });
  await page.goto("/epochs");
  const pulse = page.locator("[data-live-updated] > span[aria-hidden]");
  await expect(pulse).toBeVisible();
  // The control: with no preference the dot pulses, so the assertion below can fail.
  expect(await pulse.evaluate((el) => getComputedStyle(el).animationName)).not.toBe("none");

  await page.emulateMedia({ reducedMotion: "reduce" });
  expect(await pulse.evaluate((el) => getComputedStyle(el).animationName)).toBe("none");
  const bar = page.getByRole("progressbar").locator("div");
  if ((await bar.count()) > 0) {
    const seconds = await bar.evaluate((el) => parseFloat(getComputedStyle(el).transitionDuration));
    expect(seconds).toBeLessThan(0.001);
  }
  // Every element: no running CSS animation and no transition longer than a frame.
  const moving = await page.evaluate(() =>
    [...document.querySelectorAll("*")]
      .filter((el) => {
        const style = getComputedStyle(el);
        const longest = (list: string) => Math.max(...list.split(",").map((d) => parseFloat(d) * (d.trim().endsWith("ms") ? 0.001 : 1)));
        return longest(style.animationDuration) > 0.001 || longest(style.transitionDuration) > 0.001;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(moving).toEqual([]);
});
