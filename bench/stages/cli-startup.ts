/**
 * Stage "cli": how long `mathledger-cli --help` takes from exec to exit (issue 6 §4: ≤ 150 ms), beside the floor
 * every Node program pays (`node -e 0`) and the tsx path the CLI used before it was bundled, all in the same run.
 *
 * The CLI is run as an operator's script runs it: node_modules/.bin/mathledger-cli (bin/mathledger-cli.mjs), which
 * uses the esbuild bundle in dist/cli/ when it is fresh. The stage rebuilds the bundle first, and times the
 * tsx path with MATHLEDGER_CLI_FROM_SOURCE=1. Runs are sequential; medians and p95 of wall time per process.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import { summarize } from "../../lib/bench/statistics";
import { projectPath } from "../../server/db/project-root";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";

interface StartupCase {
  id: string;
  label: string;
  command: string[];
  env?: Record<string, string>;
}

function timeRuns(c: StartupCase, runs: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const res = spawnSync(c.command[0], c.command.slice(1), { env: { ...process.env, ...c.env }, stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - t0;
    if (res.status !== 0) throw new Error(`${c.command.join(" ")} exited ${res.status}: ${String(res.stderr)}`);
    if (i >= 2) samples.push(ms); // two warm-up runs fill the page cache
  }
  return samples;
}

async function runCliStartup(context: StageContext): Promise<StageResult> {
  const runs = context.quick ? 3 : 25;
  const bin = projectPath("node_modules", ".bin", "mathledger-cli");
  // Always rebuilt, so the bundle timed is the code on disk (a stale one would silently time the tsx path).
  context.progress("building the CLI bundle (npm run build:cli)");
  execFileSync(process.execPath, [projectPath("scripts", "cli", "build-cli.mjs"), "--quiet"], { stdio: "inherit" });
  if (!existsSync(bin)) throw new Error(`${bin} is missing after the build`);
  const cases: StartupCase[] = [
    { id: "node_floor", label: "node -e 0 (the floor)", command: [process.execPath, "-e", "0"] },
    { id: "cli_help", label: "mathledger-cli --help (bundle)", command: [bin, "--help"] },
    { id: "cli_help_tsx", label: "mathledger-cli --help (tsx, from source)", command: [bin, "--help"], env: { MATHLEDGER_CLI_FROM_SOURCE: "1" } },
  ];
  const measurements: Measurement[] = [];
  const medians: Record<string, number> = {};
  const p95s: Record<string, number> = {};
  for (const c of cases) {
    context.progress(`timing ${c.label} (${runs} runs)`);
    const samples = timeRuns(c, runs);
    const summary = summarize(samples.map((ms) => ms * 1000));
    measurements.push({
      id: c.id,
      label: c.label,
      params: { command: c.command.map((p) => path.basename(p)).join(" ") },
      bytes_per_call: null,
      iterations_per_sample: 1,
      us: summary,
      cpu_us_per_call: null,
      runqueue_wait_pct: null,
    });
    medians[c.id] = summary.median / 1000;
    p95s[c.id] = summary.p95 / 1000;
  }
  const metrics: Record<string, Metric> = {
    help_median_ms: { value: medians.cli_help, unit: "ms", description: "mathledger-cli --help, exec to exit (median)" },
    help_p95_ms: { value: p95s.cli_help, unit: "ms", description: "mathledger-cli --help, exec to exit (p95)" },
    node_floor_median_ms: { value: medians.node_floor, unit: "ms", description: "node -e 0 in the same run (median)" },
    help_over_floor_ms: { value: medians.cli_help - medians.node_floor, unit: "ms", description: "the CLI's own start-up cost above Node's" },
    tsx_help_median_ms: { value: medians.cli_help_tsx, unit: "ms", description: "the same through tsx (before the bundle)" },
  };
  return {
    stage: "cli",
    title: "CLI start-up",
    measurements,
    metrics,
    tables: [
      {
        id: "cli-startup",
        title: "Process start to exit, ms",
        columns: [
          { key: "case", label: "case" },
          { key: "median", label: "median ms", align: "right" },
          { key: "p95", label: "p95 ms", align: "right" },
        ],
        rows: cases.map((c) => ({ case: c.label, median: formatNumber(medians[c.id]), p95: formatNumber(p95s[c.id]) })),
      },
    ],
    notes: [
      `The bundle's own cost above \`node -e 0\`: ${formatNumber(medians.cli_help - medians.node_floor)} ms (median); ` +
        `tsx took ${formatNumber(medians.cli_help_tsx / medians.cli_help)}× as long. \`npx\` adds its own ~0.2 s on top of either.`,
    ],
  };
}

export const cliStartupStage: BenchStage = {
  id: "cli",
  title: "CLI start-up",
  description: "mathledger-cli --help from exec to exit, against node -e 0 and the tsx path, same run",
  runsByDefault: true,
  run: runCliStartup,
};
