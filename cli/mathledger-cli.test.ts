/**
 * End-to-end tests of the offline CLI (issue 2 §9): each runs the real bin/mathledger-cli.mjs in a child process and
 * checks stdout, stderr and the exit code. Independent runs go concurrently (each costs a Node + tsx start-up).
 * Breadth (every flag error, every exit-code path, --json errors, help) is covered in-process by run-cli.test.ts.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { blake3 } from "@noble/hashes/blake3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBin, type BinResult } from "./test-support/run-bin";

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mathledger-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An input error: exit 2, nothing on stdout, exactly one `mathledger-cli: ...` line on stderr, no stack frames. */
function expectInputError(result: BinResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderrLines).toHaveLength(1);
  expect(result.stderrLines[0]).toMatch(/^mathledger-cli: /);
  expect(result.stderrLines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderrLines[0].length).toBeLessThan(600);
}

// RFC 6962 test leaves (as in certificate-transparency-go and transparency-dev/merkle) and the published root of all 8.
const RFC_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const RFC_ROOT_8 = "0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

describe("merkle-root", () => {
  it("prints the RFC 6962 root of the 8 test leaves from a leaves file (blank first line = empty leaf)", async () => {
    await writeFile(file("rfc.txt"), RFC_LEAVES.join("\n") + "\n");
    const result = await runBin(["merkle-root", "--algorithm", "sha-256", "--leaves-file", file("rfc.txt")]);
    expect(result).toMatchObject({ code: 0, stdout: RFC_ROOT_8 + "\n", stderr: "" });
  });

  it("gives the same root from repeated --leaf-hex, and reports it as JSON", async () => {
    const args = RFC_LEAVES.flatMap((leaf) => ["--leaf-hex", leaf]);
    const result = await runBin(["merkle-root", "--algorithm", "SHA256", ...args, "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ algorithm: "SHA-256", algorithm_id: 0, tree_size: 8, root: RFC_ROOT_8 });
  });
});

describe("hash", () => {
  // Published vectors for "abc" (FIPS 180-4 and FIPS 202 examples, BLAKE3 test vectors), and the same digests
  // computed here by independent implementations (node:crypto, @noble/hashes).
  const abc = new TextEncoder().encode("abc");
  const cases = [
    { spelling: "sha256", name: "SHA-256", published: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", independent: createHash("sha256").update(abc).digest("hex") },
    { spelling: "SHA3-256", name: "SHA3-256", published: "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", independent: createHash("sha3-256").update(abc).digest("hex") },
    { spelling: "Blake3", name: "BLAKE3", published: "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85", independent: Buffer.from(blake3(abc)).toString("hex") },
  ];

  it.concurrent.each(cases)("prints the $name digest of \"abc\" (hex 616263), as published and as computed independently", async (c) => {
    expect(c.independent).toBe(c.published);
    const text = await runBin(["hash", "--algorithm", c.spelling, "--hex", "616263"]);
    expect(text).toMatchObject({ code: 0, stdout: `0x${c.published}\n`, stderr: "" });
  });
});

describe("merkle-proof and verify-proof", () => {
  it("prove leaf 3 of the RFC leaves, then verify the proof file (exit 0) and reject it against another root (exit 1)", async () => {
    await writeFile(file("rfc-leaves.txt"), RFC_LEAVES.join("\r\n") + "\r\n");
    const proof = await runBin(["merkle-proof", "--algorithm", "sha256", "--index", "3", "--leaves-file", file("rfc-leaves.txt"), "--json"]);
    expect(proof.code, proof.stderr).toBe(0);
    const doc = JSON.parse(proof.stdout);
    expect(doc).toMatchObject({ algorithm: "SHA-256", leaf_index: 3, tree_size: 8, leaf: "0x2021", root: RFC_ROOT_8 });
    // RFC 6962 audit path of leaf 3 in the 8-leaf tree: leaf 2's hash, MTH(D[0:2]), MTH(D[4:8]).
    expect(doc.audit_path).toHaveLength(3);
    expect(doc.audit_path[1]).toBe("0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    await writeFile(file("proof.json"), proof.stdout);

    const [valid, wrongRoot, wrongIndex, text] = await Promise.all([
      runBin(["verify-proof", "--proof-file", file("proof.json")]),
      runBin(["verify-proof", "--proof-file", file("proof.json"), "--root", "0x" + "ab".repeat(32), "--json"]),
      runBin(["verify-proof", "--proof-file", file("proof.json"), "--index", "2"]),
      runBin(["merkle-proof", "--algorithm", "sha256", "--index", "3", "--leaves-file", file("rfc-leaves.txt")]),
    ]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^VALID: leaf 3 is in the SHA-256 tree of 8 leaves/);
    expect(wrongRoot.code).toBe(1);
    expect(JSON.parse(wrongRoot.stdout)).toMatchObject({ valid: false, computed_root: RFC_ROOT_8 });
    expect(wrongIndex.code).toBe(1);
    expect(wrongIndex.stdout).toMatch(/^INVALID: /);
    for (const line of ["leaf index  3", "tree size   8", `leaf hash   ${doc.leaf_hash}`, `root        ${RFC_ROOT_8}`, ...doc.audit_path]) {
      expect(text.stdout).toContain(line);
    }
  });
});

describe("seal-block and validate-block", () => {
  const T0 = 1_750_000_000;
  // Three epochs, so the chain crosses two boundaries: legacy → dual (SHA3-256) → PQ-only (BLAKE3).
  const epochs = [
    { start_block: 0, end_block: 0, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", activation_timestamp: T0, governance_hash: null },
    { start_block: 1, end_block: 1, algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2-dual-required", activation_timestamp: T0, governance_hash: null },
    { start_block: 2, end_block: null, algorithm_id: 2, algorithm_name: "BLAKE3", rule_version: "v3-pq-only", activation_timestamp: T0, governance_hash: null },
  ];

  it("seals genesis, then two successors across both boundaries, each VALID against its predecessor", async () => {
    await writeFile(file("epochs.json"), JSON.stringify(epochs, null, 2));
    await writeFile(file("s0.txt"), "theorem_0: 1 + 1 = 2\n");
    await writeFile(file("s1.txt"), "∀ n ∈ ℕ, n + 0 = n\r\n\r\nlemma: 2 > 1"); // CRLF, an empty statement, no final newline
    await writeFile(file("s2.txt"), "");

    const before = Math.floor(Date.now() / 1000);
    const b0 = await runBin(["seal-block", "--epochs", file("epochs.json"), "--statements-file", file("s0.txt"), "--genesis"]);
    const after = Math.floor(Date.now() / 1000);
    expect(b0.code, b0.stderr).toBe(0);
    const block0 = JSON.parse(b0.stdout);
    expect(block0).toMatchObject({ block_number: 0, prev_hash: "0x" + "00".repeat(32), pq_algorithm: null, statements: ["theorem_0: 1 + 1 = 2"] });
    expect(block0.timestamp).toBeGreaterThanOrEqual(before);
    expect(block0.timestamp).toBeLessThanOrEqual(after);
    await writeFile(file("b0.json"), b0.stdout);

    const b1 = await runBin(["seal-block", "--epochs", file("epochs.json"), "--statements-file", file("s1.txt"), "--prev-file", file("b0.json"), "--timestamp", String(block0.timestamp + 10)]);
    expect(b1.code, b1.stderr).toBe(0);
    const block1 = JSON.parse(b1.stdout);
    expect(block1).toMatchObject({ block_number: 1, pq_algorithm: 1, statements: ["∀ n ∈ ℕ, n + 0 = n", "", "lemma: 2 > 1"] });
    expect(block1.dual_commitment).toMatch(/^0x[0-9a-f]{64}$/);
    await writeFile(file("b1.json"), b1.stdout);

    const b2 = await runBin(["seal-block", "--json", "--epochs", file("epochs.json"), "--statements-file", file("s2.txt"), "--prev-file", file("b1.json"), "--block-number", "2", "--timestamp", String(block0.timestamp + 20)]);
    expect(b2.code, b2.stderr).toBe(0);
    const block2 = JSON.parse(b2.stdout);
    expect(block2).toMatchObject({ block_number: 2, prev_hash: null, merkle_root: null, dual_commitment: null, pq_algorithm: 2, statements: [] });
    await writeFile(file("b2.json"), b2.stdout);

    const [v0, v1, v2] = await Promise.all([
      runBin(["validate-block", "--file", file("b0.json"), "--epochs", file("epochs.json")]),
      runBin(["validate-block", "--file", file("b1.json"), "--epochs", file("epochs.json"), "--prev-file", file("b0.json")]),
      runBin(["validate-block", "--file", file("b2.json"), "--epochs", file("epochs.json"), "--prev-file", file("b1.json"), "--json"]),
    ]);
    expect(v0.code, v0.stdout).toBe(0);
    expect(v0.stdout).toMatch(/^VALID: block 0 /);
    expect(v1.code, v1.stdout).toBe(0);
    expect(v1.stdout).toMatch(/^VALID: block 1 \(epoch from block 1: v2-dual-required, SHA3-256; links checked\)/);
    expect(v2.code, v2.stdout).toBe(0);
    expect(JSON.parse(v2.stdout)).toMatchObject({ verdict: "VALID", block_number: 2, predecessor_checked: true, violations: [] });
  });

  it("finds a tampered block INVALID (exit 1) and names each violation with severity, field, expected and actual", async () => {
    const block2 = JSON.parse(await readFile(file("b2.json"), "utf8"));
    const flipped = block2.pq_merkle_root.slice(0, -1) + (block2.pq_merkle_root.endsWith("0") ? "1" : "0");
    await writeFile(file("t2.json"), JSON.stringify({ ...block2, pq_merkle_root: flipped, timestamp: 1 }));
    await writeFile(file("m2.json"), JSON.stringify({ ...block2, pq_prev_hash: "0xABC" }));

    const [text, json, malformed] = await Promise.all([
      runBin(["validate-block", "--file", file("t2.json"), "--epochs", file("epochs.json"), "--prev-file", file("b1.json")]),
      runBin(["validate-block", "--file", file("t2.json"), "--epochs", file("epochs.json"), "--prev-file", file("b1.json"), "--json"]),
      runBin(["validate-block", "--file", file("m2.json"), "--epochs", file("epochs.json")]),
    ]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^INVALID: block 2, 2 violations/);
    expect(text.stdout).toContain("CRITICAL PQ_MERKLE_ROOT_MISMATCH field pq_merkle_root");
    expect(text.stdout).toContain(`  actual:   ${flipped}`);
    expect(text.stdout).toContain("MEDIUM TIMESTAMP_REGRESSION field timestamp");

    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout);
    expect(result.verdict).toBe("INVALID");
    expect(result.violations.map((v: { code: string }) => v.code)).toEqual(["PQ_MERKLE_ROOT_MISMATCH", "TIMESTAMP_REGRESSION"]);
    expect(result.violations[0]).toMatchObject({ severity: "CRITICAL", field: "pq_merkle_root", expected: block2.pq_merkle_root, actual: flipped });

    // A JSON object with a malformed field is a block with a violation (exit 1), not an input error.
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toContain("HIGH MALFORMED_FIELD field pq_prev_hash");
  });
});

describe("malformed input", () => {
  beforeAll(async () => {
    await mkdir(file("a-directory"), { recursive: true });
    await writeFile(file("broken.json"), '{"block_number": 1, "statements": [');
    await writeFile(file("m-epochs.json"), JSON.stringify([{ start_block: 0, end_block: null, algorithm_id: 0, algorithm_name: "SHA-256", rule_version: "v1-legacy", activation_timestamp: 0, governance_hash: null }]));
    // Several MB of garbage: random bytes (not UTF-8), and printable noise with line breaks (not JSON, not hex).
    const random = new Uint8Array(6 * 1024 * 1024);
    for (let i = 0; i < random.length; i += 65536) crypto.getRandomValues(random.subarray(i, i + 65536));
    await writeFile(file("garbage.bin"), random);
    await writeFile(file("garbage.txt"), Buffer.from(random).toString("base64").replace(/(.{76})/g, "$1\n\u2028\t"));
  });

  const epochsArg = () => ["--epochs", file("m-epochs.json")];
  const cases: Array<{ name: string; args: () => string[]; message: RegExp }> = [
    { name: "bad hex", args: () => ["hash", "--algorithm", "sha256", "--hex", "61zz"], message: /--hex: invalid hex "61zz": contains a non-hex character "z"/ },
    { name: "odd-length hex", args: () => ["hash", "--algorithm", "sha256", "--hex", "616"], message: /odd number of digits \(3\)/ },
    { name: "unknown algorithm", args: () => ["merkle-root", "--algorithm", "md5", "--leaf-hex", "00"], message: /--algorithm: unknown hash algorithm "md5"/ },
    { name: "broken JSON", args: () => ["validate-block", "--file", file("broken.json"), ...epochsArg()], message: /block file .*broken\.json: not valid JSON/ },
    { name: "several MB of random bytes", args: () => ["validate-block", "--file", file("garbage.bin"), ...epochsArg()], message: /not valid UTF-8 text \(first bad byte at offset \d+\)/ },
    { name: "several MB of printable garbage as JSON", args: () => ["validate-block", "--file", file("garbage.txt"), ...epochsArg()], message: /not valid JSON/ },
    { name: "a missing file", args: () => ["validate-block", "--file", file("absent.json"), ...epochsArg()], message: /block file .*absent\.json: no such file/ },
    { name: "a directory", args: () => ["merkle-root", "--algorithm", "sha256", "--leaves-file", file("a-directory")], message: /a directory, not a file/ },
    { name: "an unknown command", args: () => ["hahs", "--algorithm", "sha256"], message: /unknown command "hahs" \(did you mean hash\?\); see "mathledger-cli --help"/ },
    { name: "an unknown flag", args: () => ["hash", "--algorithm", "sha256", "--hexx", "00"], message: /unknown flag "--hexx" \(did you mean --hex\?\); see "mathledger-cli hash --help"/ },
  ];

  it.concurrent.each(cases)("$name: exit 2 with one line on stderr", async ({ args, message }) => {
    expectInputError(await runBin(args()), message);
  });
});
