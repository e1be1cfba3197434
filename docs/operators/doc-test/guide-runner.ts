/**
 * Runs the operator guides' command blocks (docs/operators/README.md, "How these guides are tested"): each runnable
 * block with bash in a shell session shared by the blocks of one guide, each no-run block through static checks.
 * Returns problems as strings (empty: the block is right), so a test can assert on them and a self-test can show
 * that a wrong guide is caught.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { blockReferences, findMissingLine, parseEnvFile, type CommandBlock } from "./guide-blocks";

export interface ShellSession {
  /** Working directory of every block (a scratch directory). */
  cwd: string;
  /** Where the session's exported variables are kept between blocks. */
  stateFile: string;
  env: Record<string, string>;
  /** Rewrites applied to a block's text before it runs (ports, system paths: see the README). */
  rewrite(code: string): string;
  timeoutMs: number;
}

export interface BlockRun {
  code: number | null;
  output: string;
}

/**
 * Runs a block as an operator's terminal would: the session's variables loaded, `set -eo pipefail`, every
 * assignment exported (`set -a`) and the variables saved again at exit for the next block.
 */
export function runBlock(block: CommandBlock, session: ShellSession): Promise<BlockRun> {
  const script = [
    `[ -f ${JSON.stringify(session.stateFile)} ] && . ${JSON.stringify(session.stateFile)}`,
    `trap 'export -p > ${JSON.stringify(session.stateFile)}' EXIT`,
    "set -a -eo pipefail",
    session.rewrite(block.code),
  ].join("\n");
  return new Promise((resolve) => {
    execFile("bash", ["-c", script], { cwd: session.cwd, env: session.env as NodeJS.ProcessEnv, timeout: session.timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** What is wrong with a run of `block` (its exit code, its expected lines), or null. */
export function judgeRun(block: CommandBlock, run: BlockRun): string | null {
  const shown = run.output.length > 2000 ? `${run.output.slice(0, 2000)}…` : run.output;
  if (run.code !== block.exit) return `exit ${run.code ?? "(killed: timeout)"}, expected ${block.exit}; output:\n${shown}`;
  const missing = block.expected ? findMissingLine(block.expected, run.output) : null;
  return missing === null ? null : `expected a line "${missing}" (after the previous expected lines); output:\n${shown}`;
}

export interface StaticContext {
  root: string;
  /** `systemd-analyze verify` of a unit file: null when it passes, else its complaint. */
  verifyUnit(file: string): string | null;
  /** Whether `mathledger-cli WORDS --help` knows the command. */
  cliKnows(words: string): boolean;
  /** Validates an environment (readConfig); throws with the problem. */
  checkConfig(env: Record<string, string>): void;
}

/** Problems with a no-run block's references (units, deploy/ files, web routes, npm scripts, CLI commands). */
export function staticProblems(block: CommandBlock, ctx: StaticContext): string[] {
  const refs = blockReferences(block.code);
  const problems: string[] = [];
  for (const unit of refs.units) {
    const file = path.join(ctx.root, "deploy", `${unit}.service`);
    if (!existsSync(file)) problems.push(`unit ${unit}: no deploy/${unit}.service`);
    else {
      const complaint = ctx.verifyUnit(file);
      if (complaint) problems.push(`unit ${unit}: systemd-analyze verify: ${complaint}`);
    }
  }
  for (const p of refs.deployPaths) {
    if (!existsSync(path.join(ctx.root, p))) problems.push(`${p} does not exist`);
    else if (p.endsWith(".env.example")) {
      try {
        ctx.checkConfig(parseEnvFile(readFileSync(path.join(ctx.root, p), "utf8")));
      } catch (error) {
        problems.push(`${p} is not a valid configuration: ${(error as Error).message}`);
      }
    }
  }
  for (const web of refs.webPaths) {
    const route = path.join(ctx.root, "app", web.replace(/^\/|\/$/g, ""), "route.ts");
    if (!existsSync(route)) problems.push(`web path ${web}: no route ${path.relative(ctx.root, route)}`);
  }
  const scripts = (JSON.parse(readFileSync(path.join(ctx.root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  for (const s of refs.npmScripts) if (!Object.hasOwn(scripts, s)) problems.push(`npm run ${s}: no such script in package.json`);
  for (const c of refs.cliCommands) if (!ctx.cliKnows(c)) problems.push(`mathledger-cli ${c}: no such command`);
  return problems;
}

/** `systemd-analyze verify` when it exists: null when the unit passes (or the tool is missing: `skipped` says why). */
export function systemdVerifier(): { verify(file: string): string | null; skipped: string | null } {
  const available = spawnSync("systemd-analyze", ["--version"], { stdio: "ignore" }).status === 0;
  if (!available) return { verify: () => null, skipped: "systemd-analyze is not installed: the units are checked for existence only" };
  return {
    skipped: null,
    verify(file) {
      const r = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
      const said = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
      // Warnings (an unknown key is "ignoring") exit 0 but are mistakes in a unit we ship.
      if (r.status !== 0) return said || `exit ${r.status}`;
      return /unknown|invalid|bad|not executable|ignoring/i.test(said) ? said : null;
    },
  };
}

/** A scratch directory with the session's state file. */
export function newSession(dir: string, env: Record<string, string>, rewrite: (code: string) => string, timeoutMs = 150_000): ShellSession {
  mkdirSync(dir, { recursive: true });
  const stateFile = path.join(dir, ".session-env");
  writeFileSync(stateFile, "");
  return { cwd: dir, stateFile, env, rewrite, timeoutMs };
}
