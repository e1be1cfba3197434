/**
 * In-process tests of the runner (run-cli.ts) and the commands: every exit-code path, help, --json conventions, and
 * the extension points the online commands will use. The real executable is exercised in mathledger-cli.test.ts.
 */
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode } from "../lib/error-codes";
import { AppError } from "../lib/errors";
import { makeEpoch } from "../lib/consensus/epochs";
import { sealBlock } from "../lib/consensus/seal-block";
import { defineCommand } from "./command";
import { COMMANDS } from "./registry";
import { MAX_INPUT_BYTES } from "./inputs/read-file";
import { MAX_LIST_ENTRIES } from "./inputs/lines";
import { runInProcess } from "./test-support/run-in-process";

let dir: string;
const T0 = 1_750_000_000;
const epochs = [makeEpoch(0, "v1-legacy", 0, T0, null, 0), makeEpoch(1, "v1.5-pq-optional", 1, T0)];
const block0 = sealBlock({ statements: ["s0"], epochs, timestamp: T0 });
const block1 = sealBlock({ statements: ["s1"], epochs, prev: block0, timestamp: T0 + 5 });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mathledger-run-cli-"));
  const put = (name: string, content: string | Uint8Array) => writeFile(path.join(dir, name), content);
  await put("epochs.json", JSON.stringify(epochs));
  await put("b0.json", JSON.stringify(block0));
  await put("b1.json", JSON.stringify(block1));
  await put("statements.txt", "s1\n");
  await put("bom.txt", "\ufeffs1\n");
  await put("latin1.txt", Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x0a));
  await put("number.json", "42");
  await put("bad-prev.json", JSON.stringify({ ...block0, merkle_root: "0x12" }));
  await put("deep-field.json", `{"block_number": ${"[".repeat(5000)}${"]".repeat(5000)}}`);
  await put("leaves.txt", "00\n01\n02\n");
  await put("bad-epochs.json", JSON.stringify([{ ...epochs[0], rule_version: "v9" }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], options: Parameters<typeof runInProcess>[1] = {}) => runInProcess(argv, { cwd: dir, ...options });

/** An input error: exit 2, one stderr line, nothing on stdout. Returns the line without the program prefix. */
async function inputError(argv: string[]): Promise<string> {
  const result = await run(argv);
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderrLines).toHaveLength(1);
  return result.stderrLines[0].replace(/^mathledger-cli: /, "");
}

describe("runCli: command lines", () => {
  it("refuses an empty command line and unknown options before the command", async () => {
    expect(await inputError([])).toBe('no command given; see "mathledger-cli --help"');
    expect(await inputError(["--verbose", "hash"])).toBe('unknown option "--verbose" before the command; see "mathledger-cli --help"');
  });

  it("accepts --json before the command", async () => {
    const result = await run(["--json", "hash", "--algorithm", "sha256", "--hex", ""]);
    expect(JSON.parse(result.stdout).digest).toBe("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("prints the version", async () => {
    expect((await run(["--version"])).stdout).toBe("mathledger-cli 0.0.0-test\n");
  });

  it.each([[["--help"]], [["help"]], [["-h"]]])("prints the command list for %j", async (argv) => {
    const result = await run(argv);
    expect(result.code).toBe(0);
    for (const c of COMMANDS) expect(result.stdout).toContain(`  ${c.name}`);
  });

  it.each([[["help", "merkle-proof"]], [["merkle-proof", "--help"]], [["--help", "merkle-proof", "--index", "x"]]])("prints one command's help for %j", async (argv) => {
    const result = await run(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^mathledger-cli merkle-proof: /);
    expect(result.stdout).toContain("--index I");
  });

  it("prints help as JSON with --json", async () => {
    const help = JSON.parse((await run(["hash", "--help", "--json"])).stdout);
    expect(help).toMatchObject({ command: "hash", exit_codes: { ok: 0, invalid: 1, usage: 2, internal: 3 } });
    expect(help.flags.map((f: { name: string }) => f.name)).toEqual(["--algorithm", "--hex", "--json", "--help"]);
  });
});

describe("runCli: input errors", () => {
  it.each([
    [["hash", "--algorithm", "sha256", "--hex"], '--hex needs a value (--hex HEX); see "mathledger-cli hash --help"'],
    [["hash", "--algorithm", "sha256", "--algorithm", "blake3", "--hex", "00"], '--algorithm was given more than once (it takes one value); see "mathledger-cli hash --help"'],
    [["hash", "--hex", "00"], '--algorithm ALG is required; see "mathledger-cli hash --help"'],
    [["hash", "--algorithm", "sha256", "--hex", "00", "extra"], 'unexpected argument "extra"; see "mathledger-cli hash --help"'],
    [["merkle-proof", "--algorithm", "sha256", "--index", "1.5", "--leaf-hex", "00"], '--index must be a non-negative integer (0, 1, 2, ...), got "1.5"; see "mathledger-cli merkle-proof --help"'],
    [["merkle-proof", "--algorithm", "sha256", "--index", "3", "--leaves-file", "leaves.txt"], "--index: leaf index 3 is outside the tree of 3 leaves (valid: 0..2)"],
    [["merkle-root", "--algorithm", "sha256"], 'give the leaves with --leaf-hex HEX (repeatable) and/or --leaves-file FILE (an empty file is the empty tree); see "mathledger-cli merkle-root --help"'],
    [["merkle-root", "--algorithm", "sha256", "--leaf-hex", "00", "--leaf-hex", "0g"], '--leaf-hex #2: invalid hex "0g": contains a non-hex character "g"'],
    [["verify-proof", "--algorithm", "sha256", "--leaf-hex", "00", "--index", "0", "--tree-size", "1", "--root", "ab".repeat(31)], `--root: expected a 32-byte hash (64 hex digits), got 31 bytes in "${"ab".repeat(31)}"`],
    [["validate-block", "--file", "number.json", "--epochs", "epochs.json"], "block file number.json: not a JSON object (it holds a number (42))"],
    [["validate-block", "--file", "b0.json", "--epochs", "bad-epochs.json"], 'epochs file bad-epochs.json: epoch 0.rule_version: unknown rule version "v9" (known: v1-legacy, v1.5-pq-optional, v2-dual-required, v2.5-pq-primary, v3-pq-only)'],
  ])("refuses %j", async (argv, message) => {
    expect(await inputError(argv)).toBe(message);
  });

  it("refuses a file over the size limit without reading it", async () => {
    await writeFile(path.join(dir, "huge.json"), "");
    await truncate(path.join(dir, "huge.json"), MAX_INPUT_BYTES + 1); // sparse
    expect(await inputError(["validate-block", "--file", "huge.json", "--epochs", "epochs.json"])).toBe("block file huge.json: larger than the 64 MiB limit for input files");
  });

  it("refuses lists longer than 2^20 entries before hashing anything", async () => {
    await writeFile(path.join(dir, "many.txt"), "\n".repeat(MAX_LIST_ENTRIES + 1));
    expect(await inputError(["merkle-root", "--algorithm", "sha256", "--leaves-file", "many.txt"])).toBe(`leaves file many.txt: ${MAX_LIST_ENTRIES + 1} leaves; the limit is ${MAX_LIST_ENTRIES} (2^20)`);
    expect(await inputError(["seal-block", "--epochs", "epochs.json", "--statements-file", "many.txt", "--genesis"])).toMatch(/^statements file many\.txt: 1048577 statements; the limit/);
  });

  it("answers several MB of garbage in one short line, quickly", async () => {
    const noise = Buffer.alloc(6 * 1024 * 1024, "Zq\t\u2028\n");
    await writeFile(path.join(dir, "noise.txt"), noise);
    const started = performance.now();
    const lines = [
      await inputError(["merkle-root", "--algorithm", "sha256", "--leaves-file", "noise.txt"]),
      await inputError(["validate-block", "--file", "noise.txt", "--epochs", "epochs.json"]),
      await inputError(["validate-block", "--file", "b0.json", "--epochs", "noise.txt"]),
    ];
    expect(performance.now() - started).toBeLessThan(3000);
    expect(lines[0]).toMatch(/^leaves file noise\.txt line 1: invalid hex "Zq\\t.*": contains a non-hex character "Z"$/);
    for (const line of lines) expect(line.length).toBeLessThan(300);
  });

  it("prints the error as one JSON document on stdout with --json, and still one line on stderr", async () => {
    const result = await run(["hash", "--json", "--algorithm", "sha256", "--hex", "0x6"]);
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual(['mathledger-cli: --hex: invalid hex "0x6": has an odd number of digits (1)']);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: "MALFORMED_HEX", message: '--hex: invalid hex "0x6": has an odd number of digits (1)', exit_code: 2 } });
    const usage = await run(["hash", "--json", "--bogus"]);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ code: "USAGE", exit_code: 2 });
  });
});

describe("hash", () => {
  it("reports the algorithm, its id and the input length with --json", async () => {
    const result = await run(["hash", "--json", "--algorithm", "0x01", "--hex", "0X616263"]);
    expect(JSON.parse(result.stdout)).toEqual({
      algorithm: "SHA3-256",
      algorithm_id: 1,
      input_bytes: 3,
      digest: "0x3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    });
  });
});

describe("runCli: extension by command modules (how the online commands plug in)", () => {
  const cleaned: string[] = [];
  const nodeStatus = defineCommand({
    name: "node status",
    summary: "test double",
    description: "",
    flags: { fail: { kind: "string", value: "HOW", description: "" } },
    examples: [],
    async run(flags, context) {
      context.defer(() => void cleaned.push("closed"));
      if (flags.fail === "domain") throw new AppError("NODE_UNREACHABLE" as ErrorCode, "cannot reach the node"); // a code the table lacks
      if (flags.fail === "bug") throw new TypeError("x is undefined");
      return { outcome: "ok", json: { status: "up" }, text: "node: up" };
    },
  });
  // The real `node status` (cli/commands/node-status.ts) is replaced by this double.
  const commands = [...COMMANDS.filter((c) => c.name !== "node status"), nodeStatus];

  it("runs a two-word command and its deferred cleanup", async () => {
    cleaned.length = 0;
    const result = await run(["node", "status", "--json"], { commands });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual({ status: "up" });
    expect(cleaned).toEqual(["closed"]);
  });

  it("names the subcommands of a group given alone or with an unknown subcommand", async () => {
    expect((await run(["node"], { commands })).stderr).toContain('"node" needs a subcommand (one of: node status)');
    expect((await run(["node", "stats"], { commands })).stderr).toContain('unknown subcommand "node stats" (one of: node status)');
  });

  it("treats an error code missing from the exit-code table, or any other throw, as internal (exit 3), still in one line", async () => {
    cleaned.length = 0;
    for (const how of ["domain", "bug"]) {
      const result = await run(["node", "status", "--fail", how], { commands });
      expect(result.code).toBe(3);
      expect(result.stderrLines).toHaveLength(1);
      expect(result.stderrLines[0]).toMatch(/^mathledger-cli: internal error: .* \(this is a bug; set MATHLEDGER_CLI_DEBUG=1/);
    }
    expect(cleaned).toEqual(["closed", "closed"]);
  });

  it("prints the stack trace of an internal error only when MATHLEDGER_CLI_DEBUG is set", async () => {
    const result = await run(["node", "status", "--fail", "bug"], { commands, env: { MATHLEDGER_CLI_DEBUG: "1" } });
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe("verify-proof", () => {
  it("verifies a proof given entirely by flags (RFC 6962 leaf 1 of 2)", async () => {
    const result = await run([
      "verify-proof", "--algorithm", "sha256", "--leaf-hex", "00", "--index", "1", "--tree-size", "2",
      "--path", "0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "--root", "0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });

  it("reports a proof file whose leaf_hash does not match its leaf as INVALID (exit 1)", async () => {
    const proof = JSON.parse((await run(["merkle-proof", "--json", "--algorithm", "sha3-256", "--index", "2", "--leaves-file", "leaves.txt"])).stdout);
    await writeFile(path.join(dir, "proof.json"), JSON.stringify(proof));
    await writeFile(path.join(dir, "lying-proof.json"), JSON.stringify({ ...proof, leaf_hash: proof.audit_path[0] }));
    expect((await run(["verify-proof", "--proof-file", "proof.json"])).code).toBe(0);
    const lying = await run(["verify-proof", "--proof-file", "lying-proof.json"]);
    expect(lying).toMatchObject({ code: 1, stdout: "INVALID: the proof file's leaf_hash is not SHA3-256(0x00 || leaf) of its leaf\n" });
    // A leaf given on the command line replaces the file's leaf and leaf_hash.
    expect((await run(["verify-proof", "--proof-file", "lying-proof.json", "--leaf-hex", "02"])).code).toBe(0);
    expect((await run(["verify-proof", "--proof-file", "proof.json", "--leaf-hex", "01"])).code).toBe(1);
    expect((await run(["verify-proof", "--proof-file", "proof.json", "--tree-size", "2"])).stdout).toBe("INVALID: leaf index 2 is outside a tree of 2 leaves\n");
  });

  it("refuses proof files with fields of the wrong type, and names fields that neither flags nor file supply", async () => {
    await writeFile(path.join(dir, "typed.json"), JSON.stringify({ algorithm: "sha256", leaf_index: "3" }));
    await writeFile(path.join(dir, "disagree.json"), JSON.stringify({ algorithm: "sha256", algorithm_id: 2 }));
    expect(await inputError(["verify-proof", "--proof-file", "typed.json"])).toBe('proof file typed.json: leaf_index must be a non-negative integer, got "3"');
    expect(await inputError(["verify-proof", "--proof-file", "disagree.json"])).toBe("proof file disagree.json: algorithm SHA-256 and algorithm_id 2 (BLAKE3) disagree");
    expect(await inputError(["verify-proof", "--proof-file", "number.json"])).toBe("proof file number.json: not a JSON object (it holds a number (42))");
    expect(await inputError(["verify-proof", "--algorithm", "sha256", "--leaf-hex", "00", "--leaf-hash", "00"])).toMatch(/^give either --leaf-hex or --leaf-hash, not both/);
    await writeFile(path.join(dir, "partial.json"), JSON.stringify({ algorithm: "sha256", leaf: "0x00", leaf_index: 0 }));
    expect(await inputError(["verify-proof", "--proof-file", "partial.json"])).toMatch(/^--tree-size N is required \(the proof file has no tree_size\)/);
    expect(await inputError(["verify-proof", "--algorithm", "sha256", "--leaf-hex", "00", "--index", "0", "--tree-size", "1", "--root", "00".repeat(32), "--path", "abcd"])).toMatch(/^--path #1: expected a 32-byte hash/);
  });
});

describe("seal-block", () => {
  it("defaults the timestamp to now, and refuses a now earlier than the predecessor's", async () => {
    const sealed = await run(["seal-block", "--epochs", "epochs.json", "--statements-file", "statements.txt", "--prev-file", "b0.json"], { now: T0 + 60 });
    expect(JSON.parse(sealed.stdout)).toMatchObject({ block_number: 1, timestamp: T0 + 60 });
    const early = await run(["seal-block", "--epochs", "epochs.json", "--statements-file", "statements.txt", "--prev-file", "b0.json"], { now: T0 - 1 });
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(`the current time ${T0 - 1} is earlier than the predecessor's timestamp ${T0}; give --timestamp T with T >= ${T0}`);
  });

  it("includes the optional PQ fields in a v1.5-pq-optional epoch", async () => {
    const sealed = JSON.parse((await run(["seal-block", "--epochs", "epochs.json", "--statements-file", "statements.txt", "--prev-file", "b0.json", "--timestamp", String(T0 + 5)])).stdout);
    expect(sealed).toEqual(block1);
  });

  it.each([
    [["--genesis", "--prev-file", "b0.json"], /^give either --genesis or --prev-file FILE, not both/],
    [[], /^give --genesis \(for block 0\) or --prev-file FILE/],
    [["--genesis", "--block-number", "4"], /must be block 0, not 4/],
    [["--prev-file", "b0.json", "--block-number", "5", "--timestamp", String(T0)], /^block number 5 does not follow the predecessor \(block 0\); it must be 1/],
    [["--prev-file", "b0.json", "--timestamp", String(T0 - 1)], /is earlier than the predecessor's/],
    [["--prev-file", "bad-prev.json"], /^predecessor file bad-prev\.json is not a well-formed block: merkle_root must be a 32-byte hash/],
    [["--prev-file", "number.json"], /not a JSON object/],
  ])("refuses %j", async (extra, message) => {
    expect(await inputError(["seal-block", "--epochs", "epochs.json", "--statements-file", "statements.txt", ...extra])).toMatch(message);
  });

  it("refuses statements files that are not UTF-8 or start with a byte order mark", async () => {
    expect(await inputError(["seal-block", "--epochs", "epochs.json", "--statements-file", "latin1.txt", "--genesis"])).toBe(
      "statements file latin1.txt: not valid UTF-8 text (first bad byte at offset 3)",
    );
    expect(await inputError(["seal-block", "--epochs", "epochs.json", "--statements-file", "bom.txt", "--genesis"])).toMatch(/byte order mark/);
  });
});

describe("validate-block", () => {
  it("refuses unusable epochs files and deeply nested blocks as input errors", async () => {
    expect(await inputError(["validate-block", "--file", "b0.json", "--epochs", "bad-epochs.json"])).toMatch(/^epochs file bad-epochs\.json: epoch 0\.rule_version: unknown rule version "v9"/);
    expect(await inputError(["validate-block", "--file", "b0.json", "--epochs", "b0.json"])).toMatch(/^epochs file b0\.json: the epoch registry must be a JSON array/);
    expect(await inputError(["validate-block", "--file", "deep-field.json", "--epochs", "epochs.json"])).toBe("block file deep-field.json: nested 5001 levels deep; the limit is 64");
  });

  it("says when links were not checked, and checks them with --prev-file", async () => {
    expect((await run(["validate-block", "--file", "b1.json", "--epochs", "epochs.json"])).stdout).toBe(
      "VALID: block 1 (epoch from block 1: v1.5-pq-optional, SHA3-256; links to the predecessor not checked: no --prev-file)\n",
    );
    const linked = await run(["validate-block", "--file", "b1.json", "--epochs", "epochs.json", "--prev-file", "b1.json"]);
    expect(linked.code).toBe(1);
    expect(linked.stdout).toContain("HIGH BLOCK_NUMBER_DISCONTINUITY field block_number");
  });

  it("reports an advisory (LOW) violation without changing the VALID verdict", async () => {
    await writeFile(path.join(dir, "extra-field.json"), JSON.stringify({ ...block0, comment: "hi" }));
    const result = await run(["validate-block", "--file", "extra-field.json", "--epochs", "epochs.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^VALID: block 0 .*, 1 advisory violation\n\nLOW UNKNOWN_FIELD field comment\n/);
  });
});
