/**
 * The command line of `npm run bench`:
 *
 *   npm run bench [-- [--stage ID[,ID...]]... [--quick] [--out DIR] [--list] [--help]]
 *   npm run bench -- --week 1..5|all [--quick] [--out DIR]
 *   npm run bench -- --import FILE.json [--import FILE.json]...
 *
 * With no --stage, the stages that run by default run (bench/stages/index.ts); `--stage all` runs every stage.
 */
import { parseWeekSelection, WeekSelectionError, type PlanWeek } from "../lib/bench/plan-weeks";
import type { BenchStage } from "./harness/stage";

export interface BenchArgs {
  stages: BenchStage[];
  /** `--week`: the plan's weeks to run (bench/weeks.ts), in the plan's order; empty when stages were chosen. */
  weeks: PlanWeek[];
  quick: boolean;
  /** Directory for result files; null means bench/results. */
  outDir: string | null;
  list: boolean;
  help: boolean;
  /** `--import FILE`: store existing result files in the database instead of running stages. */
  importFiles: string[];
  /** `--nodes N` and `--blocks N` (the network stage's testnet); null = the stage's default. */
  nodes: number | null;
  blocks: number | null;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench [-- [--stage ID[,ID...]]... [--quick] [--out DIR] [--nodes N] [--blocks N] [--list] [--help]]
       npm run bench -- --week N|all [--quick] [--out DIR] [--nodes N] [--blocks N]
       npm run bench -- --import FILE.json [--import FILE.json]...

  --stage ID   run only these stages (repeatable or comma-separated; "all" runs every stage)
  --week N     run the plan's weeks (PLAN.md §2): 1 micro, 2 components, 3 integration, 4 network, 5 stress;
               a list "1,3", a range "2..4" or "all". Writes each week's CSV under the plan's name and a week
               report in a directory of its own, and judges the plan's four criteria. Not with --stage: a week
               chooses its stages.
  --quick      fewer samples and shorter warm-ups: a smoke run, numbers indicative only
  --out DIR    write result files to DIR instead of bench/results
  --nodes N    nodes of the network stage's local testnet (default 5; --quick 2)
  --blocks N   blocks the network stage measures per chain (default 40; --quick 3)
  --list       list the stages and exit
  --help       show this help and exit
  --import F   store the result file F (a <stage>-<timestamp>.json) in the database and exit; runs no stage

Writes <stage>-<timestamp>.json/.csv/.html and latest-<stage>.json/.csv per stage, and stores each stage's result in
PostgreSQL when a database is reachable (DATABASE_URL, or the embedded PostgreSQL of \`npm start\` already running).
Exit codes: 0 every target met, 1 a target failed, 2 usage error, 3 a stage failed to run.`;

function valueOf(flag: string, inline: string | undefined, rest: string[]): string {
  const value = inline ?? rest.shift();
  if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
    throw new UsageError(`${flag} needs a value`);
  }
  return value;
}

export function parseBenchArgs(argv: readonly string[], registry: readonly BenchStage[]): BenchArgs {
  const rest = [...argv];
  const named: string[] = [];
  const weekValues: string[] = [];
  const args: BenchArgs = { stages: [], weeks: [], quick: false, outDir: null, list: false, help: false, importFiles: [], nodes: null, blocks: null };
  const count = (flag: string, text: string, min: number, max: number): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return n;
  };
  while (rest.length > 0) {
    const token = rest.shift()!;
    const [flag, inline] = token.startsWith("--") && token.includes("=") ? [token.slice(0, token.indexOf("=")), token.slice(token.indexOf("=") + 1)] : [token, undefined];
    switch (flag) {
      case "--stage":
        named.push(...valueOf(flag, inline, rest).split(",").map((s) => s.trim()).filter((s) => s !== ""));
        break;
      case "--week":
        weekValues.push(valueOf(flag, inline, rest));
        break;
      case "--out":
        if (args.outDir !== null) throw new UsageError("--out given twice");
        args.outDir = valueOf(flag, inline, rest);
        break;
      case "--import":
        args.importFiles.push(valueOf(flag, inline, rest));
        break;
      case "--nodes":
        if (args.nodes !== null) throw new UsageError("--nodes given twice");
        args.nodes = count(flag, valueOf(flag, inline, rest), 2, 50);
        break;
      case "--blocks":
        if (args.blocks !== null) throw new UsageError("--blocks given twice");
        args.blocks = count(flag, valueOf(flag, inline, rest), 1, 10_000);
        break;
      case "--quick":
      case "--list":
      case "--help":
      case "-h":
        if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
        if (flag === "--quick") args.quick = true;
        else if (flag === "--list") args.list = true;
        else args.help = true;
        break;
      default:
        throw new UsageError(token.startsWith("-") ? `unknown option ${token}` : `unexpected argument ${JSON.stringify(token)} (stages are chosen with --stage)`);
    }
  }
  if (args.importFiles.length > 0 && (named.length > 0 || args.quick || args.outDir !== null)) {
    throw new UsageError("--import stores existing result files and runs no stage: give it without --stage, --quick or --out");
  }
  if (weekValues.length > 0) {
    if (named.length > 0) throw new UsageError("--week runs the stages of the plan's weeks: give --week or --stage, not both");
    if (args.importFiles.length > 0) throw new UsageError("--import runs no stage: give it without --week");
    try {
      args.weeks = parseWeekSelection(weekValues);
    } catch (error) {
      if (error instanceof WeekSelectionError) throw new UsageError(error.message);
      throw error;
    }
    return args;
  }
  if (named.length === 0) {
    args.stages = registry.filter((s) => s.runsByDefault);
  } else if (named.includes("all")) {
    args.stages = [...registry];
  } else {
    for (const id of named) {
      const stage = registry.find((s) => s.id === id);
      if (!stage) throw new UsageError(`unknown stage ${JSON.stringify(id)} (known: ${registry.map((s) => s.id).join(", ")}, all)`);
      if (!args.stages.includes(stage)) args.stages.push(stage);
    }
    // Run in registry order whatever order they were named in, so a combined run always reads the same way.
    args.stages.sort((a, b) => registry.indexOf(a) - registry.indexOf(b));
  }
  return args;
}
