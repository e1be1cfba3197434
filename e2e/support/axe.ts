/**
 * axe-core (the engine behind most accessibility audits) for the e2e suite. Call it on any page or state you add:
 *
 *   import { expectNoSeriousA11yViolations } from "./support/axe";
 *   await expectNoSeriousA11yViolations(page, "governance: proposal form with errors");
 *
 * It runs the WCAG 2.0/2.1/2.2 A and AA rules plus axe's best practices on the whole document as it is now (so wait
 * for the state you mean to check first), fails on any serious or critical violation that is not in the exceptions
 * list (./a11y-exceptions.ts, each entry with its reason), and attaches the full axe result to the test report.
 *
 * axe is evaluated in the page through Playwright's protocol channel, not added as a <script> element, so a
 * Content-Security-Policy with nonces does not block it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { expect, test, type Page } from "@playwright/test";
import type { AxeResults, NodeResult, Result } from "axe-core";

import { A11Y_EXCEPTIONS, type A11yException } from "./a11y-exceptions";

/** The rule sets checked: WCAG 2.2 AA includes every earlier A/AA criterion; best-practice adds landmarks/headings. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] as const;

/** Impacts that fail a check. */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

let axeSource: string | undefined;
function loadAxeSource(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

export interface A11yCheckOptions {
  /** CSS selectors to leave out of this check only (prefer an entry in a11y-exceptions.ts, which says why). */
  exclude?: string[];
}

/** Runs axe on the page's current document and returns its raw result. */
export async function runAxe(page: Page, options: A11yCheckOptions = {}): Promise<AxeResults> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!loaded) await page.evaluate(loadAxeSource());
  return page.evaluate(
    async ({ tags, exclude }) => {
      const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
      const context = exclude.length > 0 ? { exclude: exclude.map((selector) => [selector]) } : document;
      return axe.run(context as Parameters<typeof axe.run>[0], {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations", "incomplete"],
      });
    },
    { tags: [...AXE_TAGS], exclude: options.exclude ?? [] },
  );
}

function targetOf(node: NodeResult): string {
  return node.target.map((t) => (Array.isArray(t) ? t.join(" ") : String(t))).join(" ");
}

function exceptionFor(exceptions: readonly A11yException[], rule: string, node: NodeResult, label: string): A11yException | undefined {
  return exceptions.find(
    (e) => e.rule === rule && (e.target === undefined || targetOf(node).includes(e.target)) && (e.label === undefined || label.includes(e.label)),
  );
}

/** The violations that fail a check: serious or critical, minus the nodes the exceptions list excuses. */
export function seriousViolations(results: AxeResults, label: string, exceptions: readonly A11yException[] = A11Y_EXCEPTIONS): Result[] {
  return results.violations
    .filter((v) => FAILING_IMPACTS.has(v.impact ?? ""))
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !exceptionFor(exceptions, v.id, n, label)) }))
    .filter((v) => v.nodes.length > 0);
}

/** A readable report of violations: rule, impact, what it means, and up to five offending elements each. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    - ${targetOf(n)}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`)
        .join("\n");
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : "";
      return `  [${v.impact}] ${v.id} (${v.nodes.length}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join("\n");
}

/**
 * Fails the test when axe finds a serious or critical violation on the page as it is now. `label` names the page or
 * state in the failure message and the report attachment (and lets an exception apply to one state only).
 * Returns the raw result, e.g. to assert on the minor findings too.
 */
export async function expectNoSeriousA11yViolations(page: Page, label: string, options: A11yCheckOptions = {}): Promise<AxeResults> {
  const results = await runAxe(page, options);
  await test.info().attach(`axe ${label}.json`, {
    body: JSON.stringify({ url: results.url, violations: results.violations, incomplete: results.incomplete }, null, 2),
    contentType: "application/json",
  });
  const minor = results.violations.filter((v) => !FAILING_IMPACTS.has(v.impact ?? ""));
  if (minor.length > 0) {
    test.info().annotations.push({ type: "axe minor/moderate", description: `${label}: ${minor.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}` });
  }
  const failing = seriousViolations(results, label);
  expect(failing.length, `axe found serious/critical accessibility violations on ${label} (${results.url}):\n${describeViolations(failing)}`).toBe(0);
  return results;
}
