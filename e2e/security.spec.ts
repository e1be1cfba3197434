/**
 * The web security baseline (issue 12) in a real Chromium against the production build (`npm start`):
 *  - every page loads, hydrates and runs its scripts under the strict CSP with no violation and no console error,
 *    and every response carries the security headers;
 *  - the portal refuses to be framed, and a cross-site form POST to the API answers 403 whatever the path;
 *  - no page, script, API body, static chunk or server log line contains the node token, the database password or the
 *    session cookie's token (every page is loaded signed in, so the token is in play on every request).
 */
import { spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, request as playwrightRequest, test, type Page, type Response } from "@playwright/test";

import { sampleDocument } from "../lib/bench/test-documents";
import { findSecrets, type SecretFinding } from "../lib/security/secret-scan";
import { tipHeight, waitForHeight } from "./support/chain";
import { signInAs, submitAs } from "./support/governance";
import { describeFindings, filesUnder, publishedStackSecrets } from "./support/secrets";
import { projectRoot } from "./support/stack";

/**
 * The proposal the setup submits and the benchmark run it stores (their pages are among PAGES; the proposal carries
 * the run's results, so its benchmark card renders too), and the session every page is loaded with.
 */
const state = { proposalHash: "", benchRunId: "", sessionToken: "" };

/** A stored run of the micro stage with a chart (hash throughput), imported as an operator would. */
const BENCH_RUN = sampleDocument({ started_at: "2026-11-29T06:00:00.000Z", finished_at: "2026-11-29T06:00:30.000Z" });

function importBenchRun(): string {
  const extra = JSON.parse(process.env.MLPQ_E2E_DATABASE_ENV ?? "null") as Record<string, string> | null;
  if (!extra) throw new Error("MLPQ_E2E_DATABASE_ENV is not set: run the tests through playwright.config.ts (its global setup starts the stack)");
  const env = { ...process.env, ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-e2e-sec-bench-"));
  try {
    const file = path.join(dir, "micro.json");
    writeFileSync(file, JSON.stringify(BENCH_RUN));
    const res = spawnSync(process.execPath, [path.join(projectRoot(), "node_modules", "tsx", "dist", "cli.mjs"), "bench/run.ts", "--import", file], { cwd: projectRoot(), env, encoding: "utf8", timeout: 120_000 });
    const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
    const id = /benchmark run (\d+)/.exec(output)?.[1];
    if (res.status !== 0 || !id) throw new Error(`npm run bench -- --import failed (exit ${res.status}):\n${output}`);
    return id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PAGES = [
  { name: "dashboard", path: "/", heading: "Dashboard" },
  { name: "blocks", path: "/blocks", heading: "Blocks" },
  { name: "a block", path: "/blocks/1", heading: /Block/ },
  { name: "epochs", path: "/epochs", heading: "Epochs" },
  { name: "governance", path: "/governance", heading: "Governance" },
  { name: "a proposal", path: () => `/governance/proposals/${state.proposalHash}`, heading: "Proposal" },
  { name: "members", path: "/governance/members", heading: "Members" },
  { name: "account", path: "/governance/account", heading: "Account & keys" },
  { name: "audit log", path: "/governance/audit", heading: "Audit log" },
  { name: "recount", path: "/governance/recount", heading: "Recount" },
  { name: "council", path: "/council", heading: "Council" },
  { name: "benchmarks", path: "/benchmarks", heading: "Benchmarks" },
  { name: "a stored benchmark run", path: () => `/benchmarks/${state.benchRunId}`, heading: `micro: ${BENCH_RUN.title}` },
  { name: "validate", path: "/validate", heading: "Validate" },
  { name: "404", path: "/no-such-page", heading: "Not found", status: 404 },
] as const;

const pathOf = (target: (typeof PAGES)[number]) => (typeof target.path === "function" ? target.path() : target.path);

/** Records CSP violations from the first moment of every document (an init script runs before the page's own). */
const RECORD_VIOLATIONS = () => {
  const w = window as unknown as { __cspViolations: string[] };
  w.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
  });
};

interface Watch {
  consoleErrors: string[];
  responses: Response[];
}

function watch(page: Page, origin: string): Watch {
  const w: Watch = { consoleErrors: [], responses: [] };
  page.on("console", (message) => {
    // Chromium reports header problems (an unknown Permissions-Policy feature) as warnings: count those too.
    if (message.type() === "error" || (message.type() === "warning" && /policy|Content Security/i.test(message.text()))) {
      w.consoleErrors.push(`${message.type()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => w.consoleErrors.push(`uncaught: ${error.message}`));
  page.on("response", (response) => {
    if (response.url().startsWith(origin)) w.responses.push(response);
  });
  return w;
}

/** Server-sent event streams stay open for as long as the page does (the dashboard's live radar). */
const STREAM = /\/api\/v1\/radar\/stream/;

/**
 * Waits until no request is in flight for half a second, open event streams aside. (Playwright's "networkidle" never
 * comes on a page that holds a server-sent event stream open.)
 */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  let inFlight = 0;
  let quietSince = Date.now();
  const counts = (request: { url(): string }) => !STREAM.test(request.url());
  const started = (request: { url(): string }) => {
    if (counts(request)) inFlight++;
  };
  const ended = (request: { url(): string }) => {
    if (counts(request) && --inFlight <= 0) quietSince = Date.now();
  };
  page.on("request", started);
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  try {
    await expect.poll(() => inFlight <= 0 && Date.now() - quietSince >= 500, { timeout: 15_000, intervals: [100] }).toBe(true);
  } finally {
    page.off("request", started);
    page.off("requestfinished", ended);
    page.off("requestfailed", ended);
  }
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["(the recorder did not run)"]);
}

/** True once React has hydrated the document (it marks hydrated DOM nodes with its fiber keys). */
async function hydrated(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const header = document.querySelector("header");
    return header !== null && Object.keys(header).some((key) => key.startsWith("__reactFiber$"));
  });
}

function expectPageHeaders(headers: Record<string, string>, where: string): string {
  const policy = headers["content-security-policy"];
  expect(policy, `${where}: Content-Security-Policy`).toBeTruthy();
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic' 'wasm-unsafe-eval'(;|$)/.exec(policy)?.[1];
  expect(nonce, `${where}: script-src with a nonce, 'strict-dynamic' and nothing else (${policy})`).toBeTruthy();
  expect(policy).not.toContain("'unsafe-eval'");
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "connect-src 'self'", "style-src-attr 'unsafe-inline'"]) {
    expect(policy, where).toContain(directive);
  }
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  expect(headers["referrer-policy"], where).toBe("no-referrer");
  expect(headers["permissions-policy"], where).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  expect(headers["x-frame-options"], where).toBe("DENY");
  expect(headers["strict-transport-security"], `${where}: no HSTS over plain http`).toBeUndefined();
  return nonce!;
}

const bodies: Array<{ where: string; text: string }> = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request, baseURL }) => {
  await waitForHeight(request, 1);
  const tip = (await tipHeight(request)) ?? 0;
  state.benchRunId = importBenchRun();
  const results = await request.get(`/api/trpc/bench.proposalResults?input=${encodeURIComponent(JSON.stringify({ id: state.benchRunId }))}`);
  expect(results.status(), await results.text()).toBe(200);
  const benchmarkResults = ((await results.json()) as { result: { data: Record<string, unknown> } }).result.data;
  state.proposalHash = await submitAs(request, "margaret", "submitProposal", {
    type: "proposal",
    body: {
      proposal_id: `SEC-${Date.now()}`,
      proposal_type: "epoch_activation",
      title: "Security spec: a proposal page",
      activation_block: tip + 100_000,
      epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary" },
      rationale: "Loaded under the strict CSP.",
      benchmark_results: benchmarkResults,
      risk_assessment: {},
      implementation_readiness: {},
      endorsements: [],
    },
  });
  // A session of its own (a separate API context: a cookie-bearing POST without Origin would be refused as cross-site).
  const api = await playwrightRequest.newContext({ baseURL });
  state.sessionToken = await signInAs(api, "voter-01");
  await api.dispose();
});

for (const target of PAGES) {
  test(`${target.name} (${typeof target.path === "string" ? target.path : "set up by the spec"}) runs under the strict CSP with every header, no violation, no console error`, async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    await page.addInitScript(RECORD_VIOLATIONS);
    // Signed in: the header names the member, and the session token rides on every request the page makes.
    await page.context().addCookies([{ name: "mlpq_session", value: state.sessionToken, url: origin, httpOnly: true, sameSite: "Strict" }]);
    const w = watch(page, origin);

    const response = await page.goto(pathOf(target));
    expect(response!.status()).toBe("status" in target ? target.status : 200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
    await expect(page.getByTestId("session-badge")).toContainText("voter-01");
    await expect.poll(() => hydrated(page), { message: "React hydrated the page (its scripts ran under the CSP)" }).toBe(true);
    await settled(page);

    const nonce = expectPageHeaders(await response!.allHeaders(), pathOf(target));
    // Next.js stamped every script of the document with this response's nonce, and only with it.
    const html = await response!.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, "a script without this response's nonce").toContain(`nonce="${nonce}"`);

    // Every response of the portal (document, chunks, RSC payloads, API) says nosniff.
    for (const r of w.responses) {
      expect((await r.allHeaders())["x-content-type-options"], r.url()).toBe("nosniff");
      const type = (await r.allHeaders())["content-type"] ?? "";
      // An event stream's body never ends while the page is open; its headers are checked above.
      if (STREAM.test(r.url()) || type.includes("event-stream")) continue;
      if (/html|javascript|json|x-component|css|text/.test(type)) bodies.push({ where: r.url(), text: await r.text().catch(() => "") });
    }

    expect(await violations(page)).toEqual([]);
    // The 404 page's own document is a 404, which Chromium reports as a failed resource; nothing else may appear.
    const expected = "status" in target ? /Failed to load resource: the server responded with a status of 404/ : null;
    expect(w.consoleErrors.filter((m) => !(expected && expected.test(m)))).toEqual([]);
  });
}

test("an explorer page served again from the micro-cache carries this response's nonce, and its scripts run", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  await page.addInitScript(RECORD_VIOLATIONS);
  const w = watch(page, origin);
  // Two loads of the same page well within MATHLEDGER_PAGE_CACHE_MS (1 s): the first may be rendered, the second is
  // the same render served again (server/http/page-cache.ts). A slow machine can let the first entry expire, so try
  // a few times for a hit.
  let hit: { nonce: string; html: string } | null = null;
  const nonces: string[] = [];
  for (let attempt = 0; attempt < 5 && !hit; attempt++) {
    await page.goto("/blocks");
    const response = await page.goto("/blocks");
    const headers = await response!.allHeaders();
    const nonce = expectPageHeaders(headers, "/blocks (again)");
    nonces.push(nonce);
    if (headers["x-mathledger-page-cache"] === "hit") {
      hit = { nonce, html: await response!.text() };
      // Next.js repeats the nonce in its Link preload header: that one is this response's too.
      for (const m of (headers["link"] ?? "").matchAll(/nonce="([^"]+)"/g)) expect(m[1], "a Link header nonce").toBe(nonce);
    }
  }
  expect(hit, "a second load of /blocks within a second is served from the micro-cache").not.toBeNull();
  // Every script of the served page has this response's nonce, not the stored render's.
  const scripts = hit!.html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, "a script without this response's nonce").toContain(`nonce="${hit!.nonce}"`);
  expect(new Set(nonces).size, "no two responses share a nonce").toBe(nonces.length);
  await expect.poll(() => hydrated(page), { message: "React hydrated the served page (its scripts ran under the CSP)" }).toBe(true);
  await settled(page);
  expect(await violations(page)).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});

test("client-side navigation and live updates stay within the policy", async ({ page, baseURL }) => {
  const w = watch(page, new URL(baseURL!).origin);
  await page.addInitScript(RECORD_VIOLATIONS);
  await page.goto("/");
  await expect.poll(() => hydrated(page)).toBe(true);
  await settled(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Blocks", "Epochs", "Governance", "Dashboard"]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(label);
  }
  // Let the dashboard poll the API a few times (tRPC fetches, charts re-rendering).
  await page.waitForTimeout(2500);
  expect(await violations(page)).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});

test("API responses carry nosniff and a policy that forbids rendering anything", async ({ request }) => {
  for (const path of ["/api/v1/status", "/api/health", "/api/trpc/system.ping"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["content-security-policy"], path).toContain("default-src 'none'");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    bodies.push({ where: path, text: await response.text() });
  }
});

test("HSTS is sent only when the request came over TLS (X-Forwarded-Proto: https from the reverse proxy)", async ({ request }) => {
  const plain = await request.get("/governance");
  expect(plain.headers()["strict-transport-security"]).toBeUndefined();
  const tls = await request.get("/governance", { headers: { "x-forwarded-proto": "https" } });
  expect(tls.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  expect(tls.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
});

test.describe("from another site", () => {
  let server: http.Server;
  let attacker: string;

  test.beforeAll(async ({ baseURL }) => {
    // A hostile page on another site: `localhost` is a different site from the portal's 127.0.0.1.
    server = http.createServer((req, res) => {
      const target = `${baseURL}${req.url === "/trpc" ? "/api/trpc/system.ping" : req.url === "/sign-in" ? "/api/v1/governance/sign-in" : "/api/v1/blocks"}`;
      res.setHeader("content-type", "text/html; charset=utf-8");
      if (req.url === "/frame") res.end(`<!doctype html><title>framer</title><iframe id="f" src="${baseURL}/governance" width="600" height="400"></iframe>`);
      else res.end(`<!doctype html><title>csrf</title><form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"blocks":[]}' value=""></form><script>document.getElementById("f").submit()</script>`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    attacker = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  for (const [name, route, apiPath] of [
    ["the push API", "/blocks", "/api/v1/blocks"],
    ["a tRPC procedure", "/trpc", "/api/trpc/system.ping"],
    ["the sign-in endpoint", "/sign-in", "/api/v1/governance/sign-in"],
  ] as const) {
    test(`a cross-site form POST to ${name} answers 403 CROSS_SITE_REQUEST`, async ({ page }) => {
      const answer = page.waitForResponse((r) => r.url().endsWith(apiPath) && r.request().method() === "POST");
      await page.goto(`${attacker}${route}`);
      const response = await answer;
      expect(response.status()).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "CROSS_SITE_REQUEST", message: expect.stringContaining(`POST ${apiPath} refused`) } });
    });
  }

  test("another site cannot frame the portal", async ({ page }) => {
    const refused: string[] = [];
    page.on("console", (m) => refused.push(m.text()));
    await page.goto(`${attacker}/frame`);
    await expect.poll(() => refused.some((t) => /frame-ancestors/.test(t)), { message: "Chromium refused the frame by frame-ancestors" }).toBe(true);
    // The frame holds Chromium's error page, not the portal.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(await frame!.getByRole("heading", { name: "Governance" }).count()).toBe(0);
  });
});

test("cross-origin POSTs from a non-browser client are refused too; the CLI's and nodes' requests pass", async ({ request, baseURL }) => {
  const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "application/json" };
  for (const path of ["/api/trpc/system.ping", "/api/v1/blocks", "/api/v1/not-a-route", "/api/v1/governance/sign-in", "/api/v1/governance/sign-in/challenge"]) {
    const response = await request.post(path, { headers: crossSite, data: "{}" });
    expect(response.status(), path).toBe(403);
    expect((await response.json()).error.code).toBe("CROSS_SITE_REQUEST");
  }
  // No Origin, no cookie: the route itself answers (here: the push API asking for its token).
  const cli = await request.post("/api/v1/blocks", { headers: { "content-type": "application/json" }, data: "{}" });
  expect(cli.status()).toBe(401);
  // The portal's own origin passes.
  const own = await request.post("/api/v1/blocks", { headers: { origin: new URL(baseURL!).origin, "content-type": "application/json" }, data: "{}" });
  expect(own.status()).toBe(401);
});

test("no secret reaches a page, a script, an API body, a static chunk or the server log", async () => {
  const secrets = [...publishedStackSecrets(), { name: "session cookie token", value: state.sessionToken }];
  expect(state.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const names = secrets.map((s) => s.name).join(", ");
  expect(names).toMatch(/node-token/);
  // DATABASE_URL's password (the stack adds one on a trust server) or the embedded PostgreSQL's.
  expect(names).toMatch(/database password|postgres\.password/);
  expect(names).toMatch(/session cookie/);
  test.info().annotations.push({ type: "secrets checked", description: names });

  const findings: SecretFinding[] = [];
  expect(bodies.length).toBeGreaterThan(20);
  for (const { where, text } of bodies) findings.push(...findSecrets(text, secrets, where));
  const staticFiles = filesUnder(path.join(projectRoot(), ".next", "static"), [".js", ".css", ".json", ".html", ".txt"]);
  expect(staticFiles.length).toBeGreaterThan(0);
  for (const file of staticFiles) findings.push(...findSecrets(readFileSync(file, "utf8"), secrets, file));
  const log = process.env.MLPQ_E2E_SERVER_LOG;
  if (log) findings.push(...findSecrets(readFileSync(log, "utf8"), secrets, "server log"));
  expect(describeFindings(findings)).toBe("");
});
