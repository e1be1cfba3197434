/**
 * The Benchmarks page on the running stack: two runs of the micro stage stored through `npm run bench -- --import`
 * (the operator's path, into the stack's own database), then the list, a run's acceptance table and chart, and the
 * comparison of the two, each checked with axe.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { sampleDocument } from "../lib/bench/test-documents";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { projectRoot } from "./support/stack";
import { expectSvgTextContrast } from "./support/svg-text-contrast";

/** The stack's database environment (e2e/global-setup.ts), as e2e/support/import-blocks.ts uses it. */
function databaseEnv(): NodeJS.ProcessEnv {
  const extra = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "null") as Record<string, string> | null;
  if (!extra) throw new Error("MLPQ_E2E_DATABASE_ENV is not set: run the tests through playwright.config.ts (its global setup starts the stack)");
  const env = { ...process.env, ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

// Fixed start times: the import stores a (stage, started_at) once, so a retry finds the same two runs.
const OLDER = sampleDocument({ started_at: "2026-11-30T08:00:00.000Z", finished_at: "2026-11-30T08:00:05.000Z" });
const NEWER = sampleDocument({
  started_at: "2026-11-30T09:00:00.000Z",
  finished_at: "2026-11-30T09:00:06.000Z",
  quick: false,
  metrics: {
    ...OLDER.metrics,
    "hash-wasm.sha256.64.mb_per_s": { value: 140, unit: "MB/s", description: "sha256 64 B" },
    "hash-wasm.sha256.65536.mb_per_s": { value: 280, unit: "MB/s", description: "sha256 64 KB" },
  },
  acceptance: OLDER.acceptance.map((a) => ({ ...a, status: "PASS" as const })),
});

let ids: { older: string; newer: string };

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-e2e-bench-"));
  try {
    const files = [OLDER, NEWER].map((doc, i) => {
      const file = path.join(dir, `micro-${i}.json`);
      writeFileSync(file, JSON.stringify(doc));
      return file;
    });
    const tsx = path.join(projectRoot(), "node_modules", "tsx", "dist", "cli.mjs");
    const res = spawnSync(process.execPath, [tsx, "bench/run.ts", "--import", files[0], "--import", files[1]], {
      cwd: projectRoot(),
      env: databaseEnv(),
      encoding: "utf8",
      timeout: 120_000,
    });
    const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
    if (res.status !== 0) throw new Error(`npm run bench -- --import failed (exit ${res.status}):\n${output}`);
    const stored = [...output.matchAll(/benchmark run (\d+)/g)].map((m) => m[1]);
    expect(stored, output).toHaveLength(2);
    ids = { older: stored[0], newer: stored[1] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the list shows both stored runs, newest first, with mode, machine and PASS/FAIL counts", async ({ page }) => {
  await page.goto("/benchmarks");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Benchmarks");
  const table = page.getByRole("table", { name: "Stored benchmark runs, newest first" });
  const newer = table.getByRole("row").filter({ has: page.getByRole("link", { name: `micro run ${ids.newer}` }) });
  const older = table.getByRole("row").filter({ has: page.getByRole("link", { name: `micro run ${ids.older}` }) });
  await expect(newer).toContainText("2026-11-30 09:00 UTC");
  await expect(newer).toContainText("full");
  await expect(newer).toContainText("2 PASS / 0 FAIL");
  await expect(older).toContainText("quick");
  await expect(older).toContainText("1 PASS / 1 FAIL");
  await expect(older).toContainText("2 cores, load 1.5 → 2");
  const rows = await table.getByRole("link").allTextContents();
  expect(rows.findIndex((t) => t.includes(`run ${ids.newer}`))).toBeLessThan(rows.findIndex((t) => t.includes(`run ${ids.older}`)));
  await expectNoSeriousA11yViolations(page, "benchmarks: run list");
});

test("a run shows its acceptance table and its chart as an svg inside the chart's figure, with a text alternative", async ({ page }) => {
  await page.goto("/benchmarks");
  await page.getByRole("link", { name: `micro run ${ids.older}` }).click();
  await expect(page).toHaveURL(new RegExp(`/benchmarks/${ids.older}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("micro");
  const acceptance = page.getByRole("table", { name: new RegExp(`Acceptance of run #${ids.older}`) });
  await expect(acceptance.getByRole("row")).toHaveCount(3);
  await expect(acceptance.getByRole("row").filter({ hasText: "crit_a" })).toContainText("PASS");
  await expect(acceptance.getByRole("row").filter({ hasText: "crit_b" })).toContainText("FAIL");
  await expect(acceptance.getByRole("row").filter({ hasText: "crit_b" })).toContainText("≥ 20 blocks/s");
  const figure = page.getByRole("figure", { name: "Hash throughput by input size" });
  await expect(figure.locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(figure).toContainText("hash-wasm sha256: 70 to 230 MB/s");
  await figure.getByText("Values as a table").click();
  await expect(figure.getByRole("table")).toContainText("1,024");
  await expectSvgTextContrast(figure, "benchmark chart labels");
  await expectNoSeriousA11yViolations(page, "benchmarks: one run");
});

test("the compare view, chosen with the keyboard, shows both runs and the ratio of each metric", async ({ page }) => {
  await page.goto(`/benchmarks/${ids.newer}`);
  const runA = page.getByLabel("Run A (baseline)");
  await runA.focus();
  await runA.selectOption(ids.older);
  await page.getByLabel("Run B").selectOption(ids.newer);
  await page.getByRole("button", { name: "Compare" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`/benchmarks/compare\\?a=${ids.older}&b=${ids.newer}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare benchmark runs");
  await expect(page.getByRole("table", { name: `Acceptance of run A (#${ids.older})` })).toBeVisible();
  await expect(page.getByRole("table", { name: `Acceptance of run B (#${ids.newer})` })).toBeVisible();
  const metrics = page.getByRole("table", { name: /Metrics of run A/ });
  await expect(metrics.getByRole("row").filter({ hasText: "hash-wasm.sha256.64.mb_per_s" })).toContainText("2×");
  await expect(metrics.getByRole("row").filter({ hasText: "hash-wasm.sha256.65536.mb_per_s" })).toContainText("–");
  await expect(page.getByRole("figure", { name: "Run A: Hash throughput by input size" }).locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(page.getByRole("figure", { name: "Run B: Hash throughput by input size" }).locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "benchmarks: compare two runs");
});

test("a run that does not exist is a 404", async ({ page }) => {
  expect((await page.goto("/benchmarks/999999999"))!.status()).toBe(404);
  expect((await page.goto("/benchmarks/not-a-run"))!.status()).toBe(404);
});
