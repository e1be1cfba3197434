/**
 * Browser tests (e2e/) in Debian's Chromium, driven by Playwright. `npx playwright install` cannot download browsers
 * here, so the browser is the system one: CHROMIUM_PATH (default /usr/bin/chromium; `apt-get install -y chromium`).
 *
 * The global setup (e2e/global-setup.ts) starts the real product with `npm start` on a fresh database (a new database
 * on DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory), a free port and a fast devnet, and
 * stops it afterwards; the tests reach it through BASE_URL, which the setup sets for the test workers. A cold start
 * includes `next build` when the build is stale (a minute or two on two cores).
 */
import { existsSync } from "node:fs";

import { defineConfig, devices } from "@playwright/test";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  throw new Error(
    `Chromium not found at ${chromiumPath}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
  );
}

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  // Two shared cores: one browser at a time keeps timings stable.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
});
