import { describe, expect, it } from "vitest";
import { isAppError } from "../../lib/errors";
import { closest, parseArgs, parseNonNegativeInteger } from "./parse-args";

const SPECS = {
  algorithm: { kind: "string", value: "ALG", required: true, description: "" },
  index: { kind: "integer", value: "I", description: "" },
  "leaf-hex": { kind: "string", value: "HEX", repeatable: true, description: "" },
  genesis: { kind: "boolean", description: "" },
} as const;

function usageMessage(args: string[]): string {
  try {
    parseArgs("cmd", SPECS, args);
  } catch (error) {
    if (isAppError(error, "USAGE")) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${JSON.stringify(args)}`);
}

describe("parseArgs", () => {
  it("reads --name VALUE, --name=VALUE, switches and repeated flags in order, with typed values", () => {
    const { values, json, help } = parseArgs("cmd", SPECS, ["--algorithm=sha256", "--index", "7", "--leaf-hex", "", "--leaf-hex=0a", "--genesis", "--json"]);
    expect(values).toEqual({ algorithm: "sha256", index: 7, "leaf-hex": ["", "0a"], genesis: true, json: true, help: false });
    expect([json, help]).toEqual([true, false]);
  });

  it("leaves optional flags undefined, repeatable ones empty and switches false", () => {
    expect(parseArgs("cmd", SPECS, ["--algorithm", "x"]).values).toMatchObject({ index: undefined, "leaf-hex": [], genesis: false });
  });

  it("accepts a value that starts with a single dash (it is then judged as a value)", () => {
    expect(usageMessage(["--algorithm", "x", "--index", "-1"])).toBe('--index must be a non-negative integer (0, 1, 2, ...), got "-1"');
  });

  it.each([
    [["--algorithm", "x", "--bogus"], 'unknown flag "--bogus"'],
    [["--algorithm", "x", "--indx", "1"], 'unknown flag "--indx" (did you mean --index?)'],
    [["--algorithm", "x", "-i", "1"], 'unknown flag "-i" (flags start with "--")'],
    [["--algorithm", "x", "stray"], 'unexpected argument "stray"'],
    [["--algorithm", "x", "--"], 'unexpected argument "--"'],
    [["--algorithm"], "--algorithm needs a value (--algorithm ALG)"],
    [["--algorithm", "--json"], "--algorithm needs a value (--algorithm ALG)"],
    [["--algorithm", "a", "--algorithm", "b"], "--algorithm was given more than once (it takes one value)"],
    [["--algorithm", "a", "--index", "1", "--index=2"], "--index was given more than once (it takes one value)"],
    [["--algorithm", "a", "--genesis=yes"], '--genesis is a switch and takes no value, got "--genesis=yes"'],
    [["--algorithm", "a", "--index", "1.5"], '--index must be a non-negative integer (0, 1, 2, ...), got "1.5"'],
    [["--algorithm", "a", "--index", "9007199254740993"], '--index must be at most 9007199254740991, got "9007199254740993"'],
    [["--index", "1"], "--algorithm ALG is required"],
  ])("refuses %j: %s", (args, message) => {
    expect(usageMessage(args)).toBe(message);
  });

  it("reports the first problem on the line", () => {
    expect(usageMessage(["--bogus", "--index", "x"])).toBe('unknown flag "--bogus"');
  });

  it("lets --help or -h win over every other problem", () => {
    expect(parseArgs("cmd", SPECS, ["--bogus", "--index", "x", "--help"]).help).toBe(true);
    expect(parseArgs("cmd", SPECS, ["-h"]).help).toBe(true);
  });

  it("does not take an inherited property name for a flag", () => {
    expect(usageMessage(["--algorithm", "x", "--constructor", "1"])).toBe('unknown flag "--constructor"');
  });
});

describe("parseNonNegativeInteger", () => {
  it.each(["0", "7", "007", "9007199254740991"])("accepts %j", (text) => {
    expect(parseNonNegativeInteger(text)).toBe(Number(text));
  });
  it.each(["", "-1", "+1", "1.0", "1e3", "0x10", " 1", "9007199254740992"])("refuses %j", (text) => {
    expect(parseNonNegativeInteger(text)).toBeUndefined();
  });
});

describe("closest", () => {
  it("suggests the nearest candidate within two edits, and nothing further away", () => {
    expect(closest("hahs", ["hash", "merkle-root"])).toBe("hash");
    expect(closest("leaves", ["leaves-file", "leaf-hex"])).toBeUndefined();
    expect(closest("xyz", ["hash"])).toBeUndefined();
  });
});
