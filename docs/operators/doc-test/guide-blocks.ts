/**
 * The operator guides' doc-test convention (docs/operators/README.md, "How these guides are tested"), as pure
 * functions: reading a guide's fenced blocks, matching a command's output against its ```output block, and the
 * static checks of a ```sh no-run block. No I/O here; guide-runner.ts runs the blocks.
 */

export interface CommandBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
  /** `no-run` blocks are checked statically, never executed. */
  run: boolean;
  /** Why a block is not run (`reason="..."`). */
  reason: string | null;
  /** The exit code the block must end with (`exit=N`, default 0). */
  exit: number;
  /** Lines of the ```output block right after it, or null. */
  expected: string[] | null;
}

interface Fence {
  line: number;
  lang: string;
  info: string;
  body: string[];
  /** Only blank lines separate this fence from the previous one. */
  adjacent: boolean;
}

const FENCE = /^```(\S*)\s*(.*)$/;

function fences(markdown: string): Fence[] {
  const lines = markdown.split("\n");
  const out: Fence[] = [];
  let lastClose = -2;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`line ${start + 1}: a fence that is never closed`);
    const between = lines.slice(lastClose + 1, start);
    out.push({ line: start + 1, lang: open[1], info: open[2], body, adjacent: lastClose >= 0 && between.every((l) => l.trim() === "") });
    lastClose = i;
  }
  return out;
}

/** The ```sh blocks of a guide, each with its expected output; throws on an unknown option or a stray output block. */
export function parseGuide(markdown: string): CommandBlock[] {
  const all = fences(markdown);
  const blocks: CommandBlock[] = [];
  all.forEach((f, index) => {
    if (f.lang === "output") {
      const prev = all[index - 1];
      if (!f.adjacent || prev?.lang !== "sh") throw new Error(`line ${f.line}: an output block must follow a sh block`);
      return;
    }
    if (f.lang !== "sh") return;
    const options = /^(?:(no-run)|exit=(\d+)|reason="([^"]*)"|\s)*$/.test(f.info) ? f.info : null;
    if (options === null) throw new Error(`line ${f.line}: unknown options "${f.info}" (known: no-run, exit=N, reason="...")`);
    const run = !/\bno-run\b/.test(f.info);
    const reason = /reason="([^"]*)"/.exec(f.info)?.[1] ?? null;
    if (!run && !reason) throw new Error(`line ${f.line}: a no-run block must give its reason="..."`);
    const next = all[index + 1];
    const expected = next?.lang === "output" && next.adjacent ? next.body.filter((l) => l.trim() !== "") : null;
    if (!run && expected) throw new Error(`line ${f.line}: a no-run block cannot have an output block`);
    blocks.push({ line: f.line, code: f.body.join("\n"), run, reason, exit: Number(/exit=(\d+)/.exec(f.info)?.[1] ?? 0), expected });
  });
  return blocks;
}

/** One expected line as a whole-line pattern: `…` is any text, runs of spaces compare as one. */
export function linePattern(expected: string): RegExp {
  const parts = expected.trim().split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
  return new RegExp(`^${parts.join(".*")}$`);
}

/**
 * Whether `actual` contains the expected lines in order (other lines may come between). Returns null when it does,
 * else the first expected line not found (after the previous ones).
 */
export function findMissingLine(expected: readonly string[], actual: string): string | null {
  const lines = actual.split("\n").map((l) => l.trim());
  let at = 0;
  for (const e of expected) {
    const pattern = linePattern(e);
    while (at < lines.length && !pattern.test(lines[at])) at++;
    if (at === lines.length) return e;
    at++;
  }
  return null;
}

/** What a no-run block refers to, for the static checks. */
export interface BlockReferences {
  /** systemd units named by systemctl or journalctl -u (without ".service"). */
  units: string[];
  /** Paths under deploy/. */
  deployPaths: string[];
  /** Paths of the web server (curl http://localhost:3000/...), without the query. */
  webPaths: string[];
  npmScripts: string[];
  /** Command words of mathledger-cli calls ("verify-chain", "governance emergency declare"). */
  cliCommands: string[];
}

const unique = (xs: string[]) => [...new Set(xs)];

export function blockReferences(code: string): BlockReferences {
  const units: string[] = [];
  for (const line of code.split("\n")) {
    if (/\b(systemctl|journalctl)\b/.test(line)) for (const m of line.matchAll(/\b(mathledger-[a-z-]+?)(?:\.service)?(?=\s|$)/g)) units.push(m[1]);
  }
  const cliCommands: string[] = [];
  for (const m of code.matchAll(/(?:^|[\s;&|(])mathledger-cli((?:\s+[a-z][a-z-]*)+)/gm)) cliCommands.push(m[1].trim().split(/\s+/).join(" "));
  return {
    units: unique(units),
    deployPaths: unique([...code.matchAll(/\bdeploy\/[\w.-]+/g)].map((m) => m[0])),
    webPaths: unique([...code.matchAll(/https?:\/\/localhost:3000(\/[^\s?'"]*)/g)].map((m) => m[1])),
    npmScripts: unique([...code.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1])),
    cliCommands: unique(cliCommands),
  };
}

/** KEY=VALUE lines of an environment file (comments and blank lines skipped; no quoting, as systemd reads it). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not KEY=VALUE: ${line}`);
    env[m[1]] = m[2];
  });
  return env;
}
