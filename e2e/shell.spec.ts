/**
 * The portal shell: every area is reachable with the keyboard alone, the current area is announced
 * (aria-current="page"), focus is visible, and the tRPC API answers both over HTTP and to server components.
 */
import { expect, test, type Page } from "@playwright/test";

const AREAS = [
  { label: "Dashboard", path: "/" },
  { label: "Blocks", path: "/blocks" },
  { label: "Validate", path: "/validate" },
  { label: "Epochs", path: "/epochs" },
  { label: "Governance", path: "/governance" },
  { label: "Council", path: "/council" },
  { label: "Benchmarks", path: "/benchmarks" },
] as const;

/** Presses Tab (or Shift+Tab) until the focused element is the main-navigation link named `label`. */
async function tabToNavLink(page: Page, label: string, key: "Tab" | "Shift+Tab" = "Tab"): Promise<void> {
  const target = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true });
  for (let presses = 0; presses < 25; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`pressing ${key} never focused the "${label}" link`);
}

test("the first Tab reaches a visible skip link that moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("every area is reachable from the navigation with the keyboard alone", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });

  // Forward through the navigation, starting after Dashboard.
  for (const area of AREAS.slice(1)) {
    await tabToNavLink(page, area.label);
    const link = nav.getByRole("link", { name: area.label, exact: true });
    // The focus ring is drawn (an outline), not left to the browser default.
    expect(await link.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(area.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(area.label);
    await expect(link).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  }

  // And back to the Dashboard.
  await tabToNavLink(page, "Dashboard", "Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  await expect(nav.getByRole("link", { name: "Dashboard", exact: true })).toHaveAttribute("aria-current", "page");
});

test("a deep link marks its area as current", async ({ page }) => {
  await page.goto("/governance");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Governance", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Dashboard", exact: true })).not.toHaveAttribute("aria-current", "page");
});

test("the tRPC API answers over HTTP and to server components", async ({ page, request }) => {
  const res = await request.get("/api/trpc/system.ping");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { result: { data: { ok: boolean; serverTime: string } } };
  expect(body.result.data.ok).toBe(true);
  expect(Number.isNaN(Date.parse(body.result.data.serverTime))).toBe(false);

  // The header's indicator is prefetched through the server caller, so it is already "ok" in the server's HTML.
  const html = await (await request.get("/")).text();
  expect(html).toContain('data-api-status="ok"');

  // And it stays ok once the browser's tRPC client has taken over.
  await page.goto("/");
  await expect(page.locator("[data-api-status]")).toHaveAttribute("data-api-status", "ok");
  await expect(page.getByText("API ok")).toBeVisible();
});

test("an unknown address answers 404 inside the shell", async ({ page }) => {
  const response = await page.goto("/no-such-area");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
});
