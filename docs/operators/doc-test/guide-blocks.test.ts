// The doc-test harness itself: parsing, output matching, and that a wrong guide (a wrong command, a wrong expected
// line, a wrong exit code, a unit or script that does not exist) is reported, so the guides' test can fail.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { blockReferences, findMissingLine, linePattern, parseEnvFile, parseGuide } from "./guide-blocks";
import { judgeRun, newSession, runBlock, staticProblems, type StaticContext } from "./guide-runner";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const fence = "```";
const guide = (...parts: string[]) => parts.join("\n");

describe("parseGuide", () => {
  it("reads sh blocks with their options and the output block right after them; other fences are illustrations", () => {
    const blocks = parseGuide(guide("# t", `${fence}sh`, "echo a", fence, "", `${fence}output`, "a", "", fence, `${fence}yaml`, "x: 1", fence, `${fence}sh exit=2`, "false", fence, `${fence}sh no-run reason="needs systemd"`, "systemctl start x", fence));
    expect(blocks).toEqual([
      { line: 2, code: "echo a", run: true, reason: null, exit: 0, expected: ["a"] },
      { line: 13, code: "false", run: true, reason: null, exit: 2, expected: null },
      { line: 16, code: "systemctl start x", run: false, reason: "needs systemd", exit: 0, expected: null },
    ]);
  });
  it("refuses an output block after prose, a no-run block without a reason, unknown options and an unclosed fence", () => {
    expect(() => parseGuide(guide(`${fence}sh`, "echo a", fence, "text", `${fence}output`, "a", fence))).toThrow(/must follow a sh block/);
    expect(() => parseGuide(guide(`${fence}sh no-run`, "x", fence))).toThrow(/reason/);
    expect(() => parseGuide(guide(`${fence}sh runme`, "x", fence))).toThrow(/unknown options/);
    expect(() => parseGuide(guide(`${fence}sh`, "x"))).toThrow(/never closed/);
  });
});

describe("findMissingLine", () => {
  it("finds expected lines in order, whole lines, with … as any text and runs of spaces as one", () => {
    const out = "Node status at 2026\n  tip         block 51, 0xab\n  health      HEALTHY\n";
    expect(findMissingLine(["Node status at …", "tip block …", "health HEALTHY"], out)).toBeNull();
    expect(findMissingLine(["health HEALTHY", "tip block …"], out)).toBe("tip block …");
    expect(findMissingLine(["VALID…"], "INVALID: block 2")).toBe("VALID…");
    expect(findMissingLine(["HEALTHY"], out)).toBe("HEALTHY");
    expect(linePattern("a.b (c)").test("a.b (c)")).toBe(true);
    expect(linePattern("a.b").test("axb")).toBe(false);
  });
});

describe("blockReferences and parseEnvFile", () => {
  it("names units, deploy files, web paths, npm scripts and CLI commands", () => {
    const refs = blockReferences("sudo systemctl enable --now mathledger-web mathledger-worker.service\njournalctl -u mathledger-drift-radar -f\ncp deploy/x.env.example /etc\ncurl -s http://localhost:3000/api/health?x=1\nnpm run rehearsal\nmathledger-cli governance emergency declare --key k; mathledger-cli node status");
    expect(refs).toEqual({
      units: ["mathledger-web", "mathledger-worker", "mathledger-drift-radar"],
      deployPaths: ["deploy/x.env.example"],
      webPaths: ["/api/health"],
      npmScripts: ["rehearsal"],
      cliCommands: ["governance emergency declare", "node status"],
    });
  });
  it("reads KEY=VALUE lines and refuses anything else", () => {
    expect(parseEnvFile("# c\n\nA=1\nB_2=x=y\n")).toEqual({ A: "1", B_2: "x=y" });
    expect(() => parseEnvFile("export A=1")).toThrow(/not KEY=VALUE/);
  });
});

describe("a wrong guide is caught", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-doc-self-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const session = newSession(dir, { PATH: process.env.PATH ?? "/usr/bin:/bin" }, (c) => c.replaceAll("localhost:9091", "127.0.0.1:1"), 20_000);
  const run = async (markdown: string) => {
    const problems: string[] = [];
    for (const b of parseGuide(markdown)) {
      const p = judgeRun(b, await runBlock(b, session));
      if (p) problems.push(p);
    }
    return problems;
  };

  it("passes a right block, and keeps variables from one block to the next", async () => {
    expect(await run(guide(`${fence}sh`, "GREETING=hello", "echo $GREETING", fence, `${fence}output`, "hello", fence, `${fence}sh`, 'echo "$GREETING again"', fence, `${fence}output`, "hello again", fence))).toEqual([]);
  });
  it("fails on a wrong expected line, a wrong exit code, a failing command inside a block, and a rewrite it did not expect", async () => {
    expect((await run(guide(`${fence}sh`, "echo hello", fence, `${fence}output`, "goodbye", fence)))[0]).toMatch(/expected a line "goodbye"/);
    expect((await run(guide(`${fence}sh exit=1`, "true", fence)))[0]).toMatch(/exit 0, expected 1/);
    expect((await run(guide(`${fence}sh`, "false", "echo after", fence)))[0]).toMatch(/exit 1, expected 0/);
    expect((await run(guide(`${fence}sh`, "echo localhost:9091", fence, `${fence}output`, "localhost:9091", fence)))[0]).toMatch(/expected a line/);
  });
  it("fails on a CLI command typed wrong (exit 2 from the real mathledger-cli)", async () => {
    const cli = path.join(ROOT, "bin", "mathledger-cli.mjs");
    const problems = await run(guide(`${fence}sh`, `node ${cli} hash --algoritm sha256 --hex 00`, fence));
    expect(problems[0]).toMatch(/exit 2, expected 0/);
  });
  it("reports a no-run block that names a unit, a file, a route, a script or a command that does not exist", () => {
    const ctx: StaticContext = { root: ROOT, verifyUnit: () => null, cliKnows: (c) => c === "node status", checkConfig: () => undefined };
    const [block] = parseGuide(guide(`${fence}sh no-run reason="test"`, "systemctl start mathledger-nodee", "cp deploy/nothing.conf /etc", "curl http://localhost:3000/api/nothing", "npm run nothing", "mathledger-cli node statuss", fence));
    expect(staticProblems(block, ctx)).toEqual([
      "unit mathledger-nodee: no deploy/mathledger-nodee.service",
      "deploy/nothing.conf does not exist",
      "web path /api/nothing: no route app/api/nothing/route.ts",
      "npm run nothing: no such script in package.json",
      "mathledger-cli node statuss: no such command",
    ]);
  });
});
