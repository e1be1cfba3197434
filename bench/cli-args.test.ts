import { describe, expect, it } from "vitest";
import type { BenchStage } from "./harness/stage";
import { parseBenchArgs, UsageError } from "./cli-args";

const stage = (id: string, runsByDefault = true): BenchStage => ({
  id,
  title: id,
  description: id,
  runsByDefault,
  run: () => Promise.reject(new Error("not run in this test")),
});
const REGISTRY = [stage("micro"), stage("consensus"), stage("ingest", false)];
const ids = (argv: string[]) => parseBenchArgs(argv, REGISTRY).stages.map((s) => s.id);

describe("parseBenchArgs", () => {
  it("runs the default stages when none is named, and every stage for 'all'", () => {
    expect(ids([])).toEqual(["micro", "consensus"]);
    expect(ids(["--stage", "all"])).toEqual(["micro", "consensus", "ingest"]);
  });
  it("takes stages repeated, comma-separated or with '=', once each, in registry order", () => {
    expect(ids(["--stage", "consensus"])).toEqual(["consensus"]);
    expect(ids(["--stage", "consensus,micro"])).toEqual(["micro", "consensus"]);
    expect(ids(["--stage=ingest", "--stage", "micro", "--stage", "micro"])).toEqual(["micro", "ingest"]);
  });
  it("reads --quick, --out, --list and --help", () => {
    expect(parseBenchArgs(["--quick", "--out", "/tmp/x"], REGISTRY)).toMatchObject({ quick: true, outDir: "/tmp/x", list: false, help: false });
    expect(parseBenchArgs(["--list"], REGISTRY).list).toBe(true);
    expect(parseBenchArgs(["-h"], REGISTRY).help).toBe(true);
  });
  it("refuses unknown stages and options, missing values, repeated --out and stray arguments", () => {
    for (const argv of [["--stage", "nope"], ["--fast"], ["--stage"], ["--stage", "--quick"], ["--out", "a", "--out", "b"], ["consensus"], ["--quick=yes"]]) {
      expect(() => parseBenchArgs(argv, REGISTRY), argv.join(" ")).toThrow(UsageError);
    }
  });
  it("reads --nodes and --blocks as whole numbers in range, null when absent", () => {
    expect(parseBenchArgs(["--nodes", "7", "--blocks=12"], REGISTRY)).toMatchObject({ nodes: 7, blocks: 12 });
    expect(parseBenchArgs([], REGISTRY)).toMatchObject({ nodes: null, blocks: null });
    for (const argv of [["--nodes", "1"], ["--nodes", "51"], ["--nodes", "2.5"], ["--blocks", "0"], ["--blocks", "x"], ["--nodes", "3", "--nodes", "4"]]) {
      expect(() => parseBenchArgs(argv, REGISTRY), argv.join(" ")).toThrow(UsageError);
    }
  });
});

describe("parseBenchArgs --week", () => {
  const weeks = (argv: string[]) => parseBenchArgs(argv, REGISTRY).weeks.map((w) => w.week);
  it("takes a week, a list, a range or all, in the plan's order, once each", () => {
    expect(weeks(["--week", "3"])).toEqual([3]);
    expect(weeks(["--week", "4,1", "--week=1"])).toEqual([1, 4]);
    expect(weeks(["--week", "2..4"])).toEqual([2, 3, 4]);
    expect(weeks(["--week", "all"])).toEqual([1, 2, 3, 4, 5]);
    expect(parseBenchArgs(["--week", "all", "--quick", "--out", "/tmp/x"], REGISTRY)).toMatchObject({ quick: true, outDir: "/tmp/x", stages: [] });
  });
  it("refuses weeks outside 1..5, other words, reversed ranges, a missing value, and --week with --stage or --import", () => {
    for (const argv of [["--week", "0"], ["--week", "6"], ["--week", "1.5"], ["--week", "week1"], ["--week", "2..1"], ["--week", "1-3"], ["--week", ""], ["--week"], ["--week", "all,x"], ["--week", "1", "--stage", "micro"], ["--week", "1", "--import", "x.json"]]) {
      expect(() => parseBenchArgs(argv, REGISTRY), argv.join(" ")).toThrow(UsageError);
    }
  });
});
