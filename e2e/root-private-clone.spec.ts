/**
 * Issue 6 §1: as root, with the product's data directory inside a private (0700) directory such as a clone under
 * /root, `npm start` with no configuration starts its own embedded PostgreSQL (the cluster where the OS user
 * "postgres" can reach it, printed in the banner), a devnet, and serves blocks. Runs only as root (CI does).
 *
 * A second `npm start` beside the suite's own stack: it reuses the build the global setup made.
 */
import { expect, test } from "@playwright/test";

import { startStack, type RunningStack } from "./support/stack";

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;

test.describe("npm start as root from a private directory", () => {
  test.skip(!asRoot, "only meaningful as root");
  test.setTimeout(240_000);

  let stack: RunningStack | undefined;
  test.afterAll(async () => {
    await stack?.stop();
  });

  test("starts the embedded PostgreSQL where it can run, and serves blocks", async ({ page, request }) => {
    stack = await startStack((m) => console.log(m), { database: "embedded", privateDataDir: true });
    const banner = stack.output();
    expect(banner).toContain(`data directory: ${stack.dataDir}`);
    const cluster = /embedded PostgreSQL cluster: (\S+)/.exec(banner)?.[1];
    expect(cluster, banner).toMatch(/^\/var\/lib\/mathledger\//);

    await expect
      .poll(async () => (await (await request.get(`${stack!.baseUrl}/api/v1/status`)).json()).current_block ?? -1, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(2);
    await page.goto(`${stack.baseUrl}/blocks`);
    const table = page.getByRole("table", { name: "Canonical chain, newest first" });
    await expect(table.getByRole("link", { name: "#1", exact: true })).toBeVisible();
    await page.goto(`${stack.baseUrl}/blocks/1`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Block 1");
  });
});
