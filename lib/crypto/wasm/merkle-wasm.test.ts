/**
 * The whole-tree Merkle module against the reference: @noble/hashes (and the per-call hash-wasm suite) on the golden
 * vectors of test-vectors/ and on random trees, plus the check that the committed merkle.wasm is what merkle.c builds.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { nobleHashSuite, type HashSuite } from "../hash-algorithms";
import { loadPerCallWasmHashSuite, loadWasmHashSuite } from "../wasm-hash-suite";
import { toBareHex } from "../../encoding/hex";
import { encodeLeaves } from "../../consensus/block";
import { leafHash, merkleRoot, merkleRootOfLeafInputs, packLeafData } from "../../consensus/merkle";
import { createMerkleWasm } from "./merkle-wasm";
import { MERKLE_WASM_BASE64 } from "./merkle-wasm-bytes";

/* eslint-disable @typescript-eslint/no-explicit-any -- the vectors are untyped JSON by design */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const load = (name: string): any => JSON.parse(readFileSync(join(ROOT, "test-vectors", name), "utf8"));
const bytes = (bareHex: string) => Uint8Array.from(Buffer.from(bareHex, "hex"));
const ALGORITHMS = [0, 1, 2];

const merkle = createMerkleWasm();
let perCall: HashSuite;
let server: HashSuite;
beforeAll(async () => {
  perCall = await loadPerCallWasmHashSuite();
  server = await loadWasmHashSuite();
});

function hasClang(): boolean {
  try {
    execFileSync("clang", ["--version"], { stdio: "ignore" });
    execFileSync("wasm-ld", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("merkle.wasm (committed build)", () => {
  const committed = readFileSync(join(ROOT, "lib/crypto/wasm/merkle.wasm"));

  it("is the module merkle-wasm-bytes.ts embeds", () => {
    expect(Buffer.from(MERKLE_WASM_BASE64, "base64").equals(committed)).toBe(true);
  });

  it("is what scripts/wasm/build-merkle.sh builds from merkle.c", (context) => {
    if (!hasClang()) {
      console.warn("skipped: clang and lld are not installed (apt-get install -y clang lld), so merkle.wasm was not rebuilt to compare");
      context.skip();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "merkle-wasm-"));
    try {
      const out = join(dir, "merkle.wasm");
      execFileSync(join(ROOT, "scripts/wasm/build-merkle.sh"), [out], { stdio: "pipe" });
      expect(readFileSync(out).equals(committed), "merkle.wasm is stale: run scripts/wasm/build-merkle.sh and commit the result").toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("createMerkleWasm().digest", () => {
  it("reproduces every published digest of test-vectors/hash.json (BLAKE3 across chunk boundaries included)", () => {
    for (const v of load("hash.json").vectors) {
      const input = v.input;
      const data =
        input.encoding === "blake3-pattern"
          ? Uint8Array.from({ length: input.length }, (_, i) => i % 251)
          : new Uint8Array(Buffer.concat(Array(input.repeat ?? 1).fill(Buffer.from(input.value, input.encoding === "utf8" ? "utf8" : "hex"))));
      expect(toBareHex(merkle.digest(v.algorithm_id, data)), `${v.algorithm} ${v.description}`).toBe(v.digest);
    }
  });

  it("agrees with noble on random inputs of every length class (block and chunk boundaries)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3200 }), fc.constantFrom(...ALGORITHMS), (data, id) => {
        expect(toBareHex(merkle.digest(id, data))).toBe(toBareHex(nobleHashSuite.get(id).digest(data)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("createMerkleWasm().root", () => {
  it("hashes every leaf length 0..300 correctly in one tree (every SIMD group size and block boundary)", () => {
    const leaves = Array.from({ length: 301 }, (_, n) => Uint8Array.from({ length: n }, (_, j) => (n + 7 * j) & 255));
    for (const id of ALGORITHMS) {
      expect(merkle.levels(id, packLeafData(leaves))[0].map(toBareHex), `algorithm ${id}`).toEqual(leaves.map((d) => toBareHex(leafHash(nobleHashSuite.get(id), d))));
    }
  });

  it("reproduces the RFC 6962 roots of test-vectors/merkle-rfc6962.json, the empty tree included", () => {
    const file = load("merkle-rfc6962.json");
    const leaves = file.leaves_hex.map(bytes);
    expect(toBareHex(merkle.root(0, packLeafData([])))).toBe(file.empty_root.root);
    for (const r of file.roots) expect(toBareHex(merkle.root(0, packLeafData(leaves.slice(0, r.tree_size)))), `size ${r.tree_size}`).toBe(r.root);
  });

  it("reproduces the SHA3-256 and BLAKE3 roots and leaf hashes of test-vectors/merkle-pq.json", () => {
    const file = load("merkle-pq.json");
    const leaves = file.leaves_hex.map(bytes);
    for (const a of file.algorithms) {
      expect(toBareHex(merkle.root(a.algorithm_id, packLeafData([]))), `${a.hash_algorithm} empty`).toBe(a.empty_root);
      const levels = merkle.levels(a.algorithm_id, packLeafData(leaves));
      expect(levels[0].map(toBareHex), `${a.hash_algorithm} leaf hashes`).toEqual(a.leaf_hashes);
      for (const r of a.roots) {
        expect(toBareHex(merkle.root(a.algorithm_id, packLeafData(leaves.slice(0, r.tree_size)))), `${a.hash_algorithm} size ${r.tree_size}`).toBe(r.root);
      }
    }
  });

  // Short leaves (the common case, hashed four or two at a time when they need the same number of blocks), longer
  // ones up to the grouping limit (16 SHA-256 blocks), and a few past it or past a BLAKE3 chunk (hashed one by one).
  const treeArb = fc.array(
    fc.oneof(
      { weight: 12, arbitrary: fc.uint8Array({ maxLength: 200 }) },
      { weight: 2, arbitrary: fc.uint8Array({ minLength: 200, maxLength: 1100 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1000, maxLength: 2600 }) },
    ),
    { maxLength: 70 },
  );

  it("gives noble's root, and the per-call suite's, on random trees under every algorithm", () => {
    fc.assert(
      fc.property(treeArb, fc.constantFrom(...ALGORITHMS), (leaves, id) => {
        const expected = toBareHex(merkleRoot(nobleHashSuite.get(id), leaves));
        expect(toBareHex(merkle.root(id, packLeafData(leaves)))).toBe(expected);
        expect(toBareHex(merkleRoot(perCall.get(id), leaves))).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps every level: leaf hashes first, each level half the one below (odd node carried), the root last", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 40 }), fc.constantFrom(...ALGORITHMS), (leaves, id) => {
        const alg = nobleHashSuite.get(id);
        const levels = merkle.levels(id, packLeafData(leaves));
        expect(levels[0].map(toBareHex)).toEqual(leaves.map((d) => toBareHex(leafHash(alg, d))));
        for (let k = 1; k < levels.length; k++) expect(levels[k].length).toBe(Math.ceil(levels[k - 1].length / 2));
        expect(levels[levels.length - 1].map(toBareHex)).toEqual([toBareHex(merkleRoot(alg, leaves))]);
      }),
      { numRuns: 100 },
    );
  });

  it("reads leaves where the offsets say, even when the first does not start at 0", () => {
    const a = packLeafData([Uint8Array.of(1, 2), Uint8Array.of(3)]);
    const shifted = { bytes: new Uint8Array([9, 9, ...a.bytes]), offsets: a.offsets.map((o) => o + 2) };
    expect(merkle.root(1, shifted)).toEqual(merkle.root(1, a));
  });

  it("refuses an unknown algorithm, decreasing offsets and offsets past the buffer", () => {
    const ok = packLeafData([Uint8Array.of(1), Uint8Array.of(2)]);
    expect(() => merkle.root(3, ok)).toThrow(/algorithms 0, 1 and 2/);
    expect(() => merkle.root(0, { bytes: ok.bytes, offsets: Uint32Array.of(2, 0, 4) })).toThrow(/must not decrease/);
    expect(() => merkle.root(0, { bytes: ok.bytes, offsets: Uint32Array.of(0, 2, 9) })).toThrow(/past the 4 bytes/);
    expect(() => merkle.root(0, { bytes: ok.bytes, offsets: new Uint32Array(0) })).toThrow(/at least one/);
  });

  it("grows its memory for a large tree and still agrees (10,000 leaves of 100 bytes)", () => {
    const leaves = Array.from({ length: 10_000 }, (_, i) => Uint8Array.from({ length: 100 }, (_, j) => (i * 31 + j) & 255));
    expect(merkle.root(1, packLeafData(leaves))).toEqual(merkleRoot(nobleHashSuite.get(1), leaves));
  });
});

describe("the server suite (loadWasmHashSuite)", () => {
  it("carries the whole-tree routine for every algorithm and roots statements as encodeLeaves packs them", () => {
    expect(server.implementation).toBe("merkle-wasm");
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 60 }), { maxLength: 50 }), fc.constantFrom(...ALGORITHMS), (statements, id) => {
        const alg = server.get(id);
        expect(alg.merkleRoot).toBeTypeOf("function");
        const leaves = encodeLeaves(statements);
        expect(toBareHex(merkleRootOfLeafInputs(alg, leaves))).toBe(toBareHex(merkleRootOfLeafInputs(nobleHashSuite.get(id), leaves)));
      }),
      { numRuns: 100 },
    );
  });
});
