/**
 * The drift radar on the dashboard, live: a peer pushes the plan's algorithm-mismatch injection (pq_algorithm 0xFF,
 * refused at admission), and without a reload the page shows the alert and the health turning CRITICAL within 5 s
 * (pushed by server-sent events). An operator with the node token acknowledges, silences and resolves it with a note;
 * a member with the operator role, signed in, does the same without any token and is recorded as the actor, while
 * anonymous requests are refused.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

import { canonicalBlockJson, tipHeight, waitForHeight } from "./support/chain";
import { demoKeyFile, demoPassphrase, submitAs } from "./support/governance";

function nodeToken(): string {
  const env = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "{}") as Record<string, string>;
  return readFileSync(path.join(env.MATHLEDGER_DATA_DIR, "node-token"), "utf8").trim();
}

test("injected drift appears live; the operator acknowledges, silences and resolves it", async ({ page, request }) => {
  const tip = await waitForHeight(request, 25); // past the dual activation (block 20)
  await page.goto("/");
  const health = page.getByTestId("radar-health-value");
  await expect(health).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await expect(page.getByText("live (pushed by the server)")).toBeVisible();

  // The plan's DriftInjector.inject_algorithm_mismatch, pushed by a peer.
  const block = await canonicalBlockJson(request, tip);
  const token = nodeToken();
  const pushed = await request.post("/api/v1/blocks", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    data: JSON.stringify({ ...block, pq_algorithm: 0xff }),
  });
  expect(pushed.status()).toBe(400); // refused at admission, as before; the radar still sees it

  const alert = page.getByTestId("radar-alert").filter({ hasText: "algorithm_mismatch" }).filter({ hasText: `block ${tip}` });
  await expect(alert).toBeVisible({ timeout: 5_000 });
  await expect(alert).toContainText("Algorithm mismatch: expected 01, got ff");
  await expect(health).toHaveText("CRITICAL", { timeout: 5_000 });
  await expect(page.getByTestId("radar-health")).toContainText("open CRITICAL algorithm_mismatch drift event");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // Anonymous visitors only read: no action buttons until the operator gives the node token.
  await expect(alert.getByRole("button", { name: /Acknowledge/ })).toHaveCount(0);
  await page.getByLabel(/Node token/).fill(token);
  await page.getByRole("button", { name: "Use token" }).click();

  await alert.getByRole("button", { name: /Acknowledge algorithm_mismatch/ }).click();
  await expect(alert.getByTestId("alert-acknowledged")).toHaveText("acknowledged by node-token");

  await alert.getByRole("button", { name: /Silence CRITICAL algorithm_mismatch/ }).click();
  await expect(page.getByTestId("radar-silence").filter({ hasText: "drift_category=algorithm_mismatch" })).toBeVisible();

  await alert.getByRole("button", { name: /Resolve algorithm_mismatch/ }).click();
  await alert.getByLabel(/Resolution note/).fill("peer misconfigured; operator fixed its hash registry");
  await alert.getByRole("button", { name: "Resolve with note" }).click();
  await expect(page.getByTestId("radar-alert").filter({ hasText: `block ${tip}` }).filter({ hasText: "algorithm_mismatch" }).getByTestId("alert-resolved")).toContainText(
    "peer misconfigured",
    { timeout: 5_000 },
  );
  // Its reason leaves the banner (other specs' drift may keep the health itself elsewhere).
  await expect(page.getByTestId("radar-health")).not.toContainText("algorithm_mismatch drift event", { timeout: 5_000 });
});

test("a signed-in operator acts on drift with the session alone, recorded by member id; anonymous requests are refused", async ({ page, request }) => {
  test.setTimeout(90_000);
  // Anonymous: no token, no session.
  const anonymous = await request.post("/api/v1/radar/actions", { data: { action: "ack", event_id: "anything" } });
  expect(anonymous.status()).toBe(401);

  // linus holds the operator role in the demo genesis: import, unlock, sign in.
  await page.goto("/governance/account");
  await page.getByLabel("Key file (.key)").setInputFiles(demoKeyFile("linus"));
  await page.getByLabel("Passphrase", { exact: true }).fill(demoPassphrase());
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByTestId("key-status")).toHaveText("unlocked in this tab", { timeout: 20_000 });
  await page.getByRole("button", { name: "Sign in as linus" }).click();
  await expect(page.getByTestId("session-badge")).toHaveText("Signed in as Linus (linus)");

  await page.goto("/");
  await expect(page.getByTestId("radar-operator")).toHaveText("Operator actions enabled: signed in as Linus (linus).");
  await expect(page.getByLabel(/Node token/)).toHaveCount(0);
  await expect(page.getByText("live (pushed by the server)")).toBeVisible();

  // A fresh block, so this event is not one the other test already handled.
  const tip = await waitForHeight(request, ((await tipHeight(request)) ?? 25) + 1);
  const block = await canonicalBlockJson(request, tip);
  const pushed = await request.post("/api/v1/blocks", {
    headers: { authorization: `Bearer ${nodeToken()}`, "content-type": "application/json" },
    data: JSON.stringify({ ...block, pq_algorithm: 0xff }),
  });
  expect(pushed.status()).toBe(400);

  const alert = page.getByTestId("radar-alert").filter({ hasText: "algorithm_mismatch" }).filter({ hasText: `block ${tip}` });
  await expect(alert).toBeVisible({ timeout: 5_000 });
  await alert.getByRole("button", { name: /Acknowledge algorithm_mismatch/ }).click();
  await expect(alert.getByTestId("alert-acknowledged")).toHaveText("acknowledged by linus");
  await alert.getByRole("button", { name: /Resolve algorithm_mismatch/ }).click();
  await alert.getByLabel(/Resolution note/).fill("checked by the signed-in operator");
  await alert.getByRole("button", { name: "Resolve with note" }).click();
  await expect(page.getByTestId("radar-alert").filter({ hasText: `block ${tip}` }).filter({ hasText: "algorithm_mismatch" }).getByTestId("alert-resolved")).toContainText("linus", { timeout: 5_000 });
});

test("a council emergency reaches the radar's alert list at 5 of 7 signatures, not before", async ({ page, request }) => {
  test.setTimeout(90_000);
  await waitForHeight(request, 3);
  await page.goto("/");
  await expect(page.getByText("live (pushed by the server)")).toBeVisible();
  const trigger = `e2e-radar-${Date.now()}`;
  const hash = await submitAs(request, "ada", "declareEmergency", { type: "emergency_declaration", body: { trigger, evidence: "radar e2e" } });
  for (const member of ["grace", "alan", "barbara"]) await submitAs(request, member, "signEmergency", { type: "emergency_signature", body: { emergency_hash: hash } });
  const alert = page.getByTestId("radar-alert").filter({ hasText: hash });
  // PENDING (4 of 7): seen only in the portal, never on the radar. Give the radar a few ticks to prove it.
  await page.waitForTimeout(2_000);
  await expect(alert).toHaveCount(0);

  await submitAs(request, "edsger", "signEmergency", { type: "emergency_signature", body: { emergency_hash: hash } });
  await expect(alert).toBeVisible({ timeout: 5_000 });
  await expect(alert).toHaveAttribute("data-source", "governance");
  await expect(alert).toHaveAttribute("data-kind", "EMERGENCY_DECLARED");
  await expect(alert).toContainText("governance EMERGENCY_DECLARED");
  await expect(alert).toContainText("ada, grace, alan, barbara, edsger");
  await expect(page.getByTestId("radar-health")).toContainText("open CRITICAL governance EMERGENCY_DECLARED");

  const dashboard = (await (await request.get("/api/v1/dashboard")).json()) as { dashboard_data: { recent_alerts: Record<string, unknown>[] } };
  const listed = dashboard.dashboard_data.recent_alerts.find((a) => String(a.message).includes(hash));
  expect(listed).toMatchObject({ severity: "CRITICAL", source: "governance", kind: "EMERGENCY_DECLARED", drift_category: null, resolved: false });

  // The operator closes it, so the specs that follow see a calm network.
  const resolved = await request.post("/api/v1/radar/actions", {
    headers: { authorization: `Bearer ${nodeToken()}`, "content-type": "application/json" },
    data: JSON.stringify({ action: "resolve", event_id: listed!.event_id, note: "e2e: emergency handled" }),
  });
  expect(resolved.status(), await resolved.text()).toBe(200);
  await expect(alert.getByTestId("alert-resolved")).toContainText("e2e: emergency handled", { timeout: 5_000 });
});
