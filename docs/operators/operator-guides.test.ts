/**
 * The operator guides' doc test (issue 9 §3): every command block an operator is meant to type in
 * docs/operators/*.md runs against a fresh devnet and its expected output is checked; blocks that need root, systemd
 * or never end are checked statically (units with systemd-analyze verify, files by existence, routes, scripts, CLI
 * commands, the environment file through the product's own configuration parser). The convention is in
 * docs/operators/README.md.
 *
 * The devnet: a fresh database (server/db/test-database.ts), the real worker process (`node --import tsx
 * worker/main.ts`: devnet producer every 0.05 s up to block 225, then every 0.5 s, dual activation at the default block 200, the demo governance
 * genesis in the data directory, radar monitors off as in deploy/mathledger.env.example), and, when a block first
 * calls port 9091, the real drift radar agent (`mathledger-cli radar`) with the guide's YAML configuration when one
 * was written. `mathledger-cli` is on PATH as the upgrade guide installs it (a symlink to bin/mathledger-cli.mjs).
 * The guides run in one session each, in the order below (the rollback drill last: it changes the registry).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heartbeatAgeSeconds } from "../../server/chain/heartbeat";
import { readConfig } from "../../server/config";
import { createPgPool } from "../../server/db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { freePort } from "../../server/http/free-port";
import { runBin } from "../../cli/test-support/run-bin";
import { blockReferences, parseGuide, type CommandBlock } from "./doc-test/guide-blocks";
import { judgeRun, newSession, runBlock, staticProblems, systemdVerifier, type ShellSession, type StaticContext } from "./doc-test/guide-runner";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIR = path.join(ROOT, "docs", "operators");
const GUIDES = ["pq_upgrade_guide.md", "compatibility_tests.md", "activation_verification.md", "drift_radar_install.md", "rollback_rehearsal.md"];
/** The guides' examples need blocks past the activation at 200 (verify-chain 0-220 and a margin). */
const READY_TIP = 225;

let db: TestDatabase;
let pool: pg.Pool;
let tmp: string;
let env: Record<string, string>;
let worker: ChildProcess;
let workerLog = "";
let radar: ChildProcess | null = null;
let radarPort = 0;
const systemd = systemdVerifier();
const cliCommands = new Map<string, boolean>();

function rewrite(code: string): string {
  return code
    .replaceAll("localhost:9091", `127.0.0.1:${radarPort}`)
    .replaceAll("/etc/mathledger", path.join(tmp, "etc", "mathledger"))
    .replaceAll("/var/lib/mathledger", env.MATHLEDGER_DATA_DIR);
}

async function waitFor(what: string, ms: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s; worker log:\n${workerLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts the radar agent the first time a block calls it, with the YAML a guide wrote when there is one. */
let radarConfigured = false;
async function ensureRadar(): Promise<void> {
  const config = path.join(tmp, "etc", "mathledger", "drift_radar.yaml");
  // Restarted once a guide has written the YAML, so the agent really loads it (a bad file stops it at start-up).
  if (radar && (radarConfigured || !existsSync(config))) return;
  await stopChild(radar);
  radarConfigured = existsSync(config);
  const radarEnv: Record<string, string> = { ...env, ...(existsSync(config) ? { MATHLEDGER_RADAR_CONFIG: config } : {}) };
  let out = "";
  const agent = spawn(process.execPath, [path.join(ROOT, "bin", "mathledger-cli.mjs"), "radar", "--port", String(radarPort), "--host", "127.0.0.1"], { cwd: ROOT, env: radarEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  radar = agent;
  agent.stdout.on("data", (d: Buffer) => (out += d));
  agent.stderr.on("data", (d: Buffer) => (out += d));
  await waitFor(`the radar agent on port ${radarPort} (${out})`, 30_000, async () => {
    if (agent.exitCode !== null) throw new Error(`the radar agent exited ${agent.exitCode}: ${out}`);
    return fetch(`http://127.0.0.1:${radarPort}/health`).then((r) => r.ok, () => false);
  });
}

function startWorker(interval: string): ChildProcess {
  const workerEnv: Record<string, string> = { ...env, MATHLEDGER_DEVNET: "on", MATHLEDGER_DEVNET_INTERVAL: interval, MATHLEDGER_DUAL_ACTIVATION_BLOCK: "200", MATHLEDGER_RADAR: "off" };
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], { cwd: ROOT, env: workerEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d: Buffer) => (workerLog += d));
  child.stderr.on("data", (d: Buffer) => (workerLog += d));
  return child;
}

async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => {
    const t = setTimeout(() => (child.kill("SIGKILL"), r(null)), 10_000);
    child.once("exit", () => (clearTimeout(t), r(null)));
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "mlpq-guides-"));
  const binDir = path.join(tmp, "bin");
  mkdirSync(binDir);
  symlinkSync(path.join(ROOT, "bin", "mathledger-cli.mjs"), path.join(binDir, "mathledger-cli"));
  db = await createTestDatabase();
  pool = createPgPool(db.url, 2);
  radarPort = await freePort();
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("MATHLEDGER_") && !k.startsWith("VITEST") && k !== "NODE_OPTIONS") base[k] = v;
  env = { ...base, PATH: `${binDir}:${process.env.PATH}`, DATABASE_URL: db.url, MATHLEDGER_DATA_DIR: path.join(tmp, "data") };
  worker = startWorker("0.05");
  await waitFor(`the devnet past block ${READY_TIP}`, 90_000, async () => {
    if (worker.exitCode !== null) throw new Error(`the worker exited ${worker.exitCode}:\n${workerLog.slice(-3000)}`);
    const { rows } = await pool.query<{ tip: number | null }>("SELECT max(block_number) AS tip FROM blocks WHERE canonical");
    return (rows[0].tip ?? -1) >= READY_TIP;
  });
  // Then a calmer devnet for the guides (a block every 0.5 s): the rollback drill's "30 blocks above the tip" must
  // stay ahead of the tip while its CLI calls run, as it does at a real devnet's 2 s.
  await stopChild(worker);
  worker = startWorker("0.5");
  const { rows: before } = await pool.query<{ tip: number }>("SELECT max(block_number) AS tip FROM blocks WHERE canonical");
  await waitFor("the restarted worker's heartbeat and blocks", 60_000, async () => {
    const { rows } = await pool.query<{ tip: number }>("SELECT max(block_number) AS tip FROM blocks WHERE canonical");
    return rows[0].tip > before[0].tip + 2 && (await heartbeatAgeSeconds(pool)) !== null;
  });
  // The CLI commands the no-run blocks name, asked of the real CLI once (`mathledger-cli WORDS --help` exits 0).
  if (systemd.skipped) console.warn(`[operator guides] ${systemd.skipped}`);
  const words = new Set<string>();
  for (const name of GUIDES) for (const b of parseGuide(readFileSync(path.join(DIR, name), "utf8"))) if (!b.run) for (const c of blockReferences(b.code).cliCommands) words.add(c);
  for (const w of words) cliCommands.set(w, (await runBin([...w.split(" "), "--help"], { env })).code === 0);
}, 150_000);

afterAll(async () => {
  await stopChild(radar);
  await stopChild(worker);
  await pool?.end();
  await db?.drop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const staticContext: StaticContext = {
  root: ROOT,
  verifyUnit: (file) => systemd.verify(file),
  cliKnows: (words) => cliCommands.get(words) ?? false,
  checkConfig: (e) => void readConfig(e),
};

/** Runs a guide's blocks in one session; returns one problem line per wrong block. */
async function checkGuide(name: string, blocks: CommandBlock[], session: ShellSession): Promise<string[]> {
  const problems: string[] = [];
  for (const block of blocks) {
    if (!block.run) {
      for (const p of staticProblems(block, staticContext)) problems.push(`${name}:${block.line} (no-run): ${p}`);
      continue;
    }
    if (block.code.includes("localhost:9091")) await ensureRadar();
    const problem = judgeRun(block, await runBlock(block, session));
    if (problem) problems.push(`${name}:${block.line}:\n${block.code}\n--> ${problem}`);
  }
  return problems;
}

const sessionFor = (name: string) => {
  const dir = path.join(tmp, "work", name);
  mkdirSync(path.join(tmp, "etc", "mathledger"), { recursive: true });
  return newSession(dir, env, rewrite);
};

describe("docs/operators guides", () => {
  for (const name of GUIDES) {
    it(`${name}: every command runs and prints what the guide says; every no-run block's references exist`, async () => {
      const blocks = parseGuide(readFileSync(path.join(DIR, name), "utf8"));
      expect(blocks.filter((b) => b.run).length, "a guide with nothing to run").toBeGreaterThan(0);
      const problems = await checkGuide(name, blocks, sessionFor(name));
      expect(problems, problems.join("\n\n")).toEqual([]);
    }, 150_000);
  }

  it("fails a guide edited to a wrong command or a wrong expected output (the harness's negative self-test)", async () => {
    const text = readFileSync(path.join(DIR, "compatibility_tests.md"), "utf8");
    const typo = text.replace("mathledger-cli validate-block --block-number 199", "mathledger-cli validate-block --block-nubmer 199");
    const wrongOutput = text.replace("VALID: block 199 (epoch from block 0: v1-legacy", "VALID: block 199 (epoch from block 0: v2-dual-required");
    const wrongHeight = text.replace("mathledger-cli epoch-info --block-number 200", "mathledger-cli epoch-info --block-number 201");
    expect(typo).not.toBe(text);
    expect(wrongOutput).not.toBe(text);
    expect(wrongHeight).not.toBe(text);
    const only = (markdown: string, needle: string) => parseGuide(markdown).filter((b) => b.code.includes(needle));
    expect((await checkGuide("typo", only(typo, "block-nubmer"), sessionFor("neg-1")))[0]).toMatch(/exit 2, expected 0/);
    expect((await checkGuide("output", only(wrongOutput, "--block-number 199"), sessionFor("neg-2")))[0]).toMatch(/expected a line "VALID: block 199 \(epoch from block 0: v2-dual-required/);
    expect((await checkGuide("height", only(wrongHeight, "epoch-info"), sessionFor("neg-3")))[0]).toMatch(/expected a line "Block 200 is the activation block/);
    const unit = parseGuide("```sh no-run reason=\"x\"\nsudo systemctl start mathledger-node\n```\n");
    expect(await checkGuide("unit", unit, sessionFor("neg-4"))).toEqual(["unit:1 (no-run): unit mathledger-node: no deploy/mathledger-node.service"]);
  }, 60_000);
});
