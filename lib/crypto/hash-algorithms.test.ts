import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { blake3 } from "@noble/hashes/blake3.js";
import {
  algorithmByName,
  algorithmInfo,
  isKnownAlgorithmId,
  listHashAlgorithms,
  nobleHashSuite,
  parseAlgorithm,
} from "./hash-algorithms";
import { loadWasmHashSuite } from "./wasm-hash-suite";
import { isAppError } from "../errors";
import { concatBytes, toBareHex } from "../encoding/hex";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("listHashAlgorithms", () => {
  it("registers exactly SHA-256 (0x00), SHA3-256 (0x01) and BLAKE3 (0x02), all 32-byte", () => {
    expect(listHashAlgorithms().map((a) => [a.id, a.name, a.digestBytes, a.postQuantum])).toEqual([
      [0, "SHA-256", 32, false],
      [1, "SHA3-256", 32, true],
      [2, "BLAKE3", 32, true],
    ]);
  });
});

describe("algorithmInfo", () => {
  it("refuses an unknown id with UNKNOWN_ALGORITHM and names it in hex", () => {
    for (const id of [3, 0xff, -1, 1.5]) {
      try {
        algorithmInfo(id);
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e, "UNKNOWN_ALGORITHM")).toBe(true);
      }
    }
    expect(() => algorithmInfo(0xff)).toThrow(/0xff/);
  });
  it("isKnownAlgorithmId accepts only registered integer ids", () => {
    expect([0, 1, 2].every(isKnownAlgorithmId)).toBe(true);
    expect([3, -1, 1.5, "1", null, undefined].some(isKnownAlgorithmId)).toBe(false);
  });
});

describe("algorithmByName", () => {
  it("takes only the exact canonical name", () => {
    expect(algorithmByName("SHA3-256").id).toBe(1);
    expect(() => algorithmByName("sha3-256")).toThrow(/unknown hash algorithm/);
    expect(() => algorithmByName("SHA-256-ROLLBACK")).toThrow(/unknown hash algorithm/);
  });
});

describe("parseAlgorithm", () => {
  it("accepts names case-insensitively with or without hyphens", () => {
    const cases: Record<string, number> = {
      "sha-256": 0, SHA256: 0, "Sha_256": 0, "SHA-256": 0,
      "sha3-256": 1, SHA3256: 1, "sha3_256": 1,
      blake3: 2, BLAKE3: 2, "Blake-3": 2,
      "0x01": 1, "2": 2,
    };
    for (const [text, id] of Object.entries(cases)) expect(parseAlgorithm(text).id, text).toBe(id);
  });
  it("refuses anything else with UNKNOWN_ALGORITHM", () => {
    for (const text of ["md5", "sha-512", "", "sha3", "0xff", "3", "blake2b"]) {
      expect(() => parseAlgorithm(text), text).toThrow(/unknown hash algorithm/);
    }
  });
});

// Published vectors: FIPS 180-4 / FIPS 202 examples ("abc", empty) and the BLAKE3 reference implementation's output
// for the empty input and "abc". The golden-vector files under test-vectors/ carry more.
const PUBLISHED: Array<[number, string, string]> = [
  [0, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  [0, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [1, "", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"],
  [1, "abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"],
  [2, "", "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"],
  [2, "abc", "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"],
];

describe("nobleHashSuite", () => {
  it("matches published vectors", () => {
    for (const [id, input, hex] of PUBLISHED) expect(toBareHex(nobleHashSuite.get(id).digest(utf8(input)))).toBe(hex);
  });
  it("hashes the concatenation of its parts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (id, parts) => {
        const alg = nobleHashSuite.get(id);
        expect(toBareHex(alg.digest(...parts))).toBe(toBareHex(alg.digest(concatBytes(...parts))));
      }),
    );
  });
});

describe("loadWasmHashSuite", () => {
  it("matches published vectors", async () => {
    const wasm = await loadWasmHashSuite();
    for (const [id, input, hex] of PUBLISHED) expect(toBareHex(wasm.get(id).digest(utf8(input)))).toBe(hex);
  });

  it("agrees with noble and with an independent implementation (node:crypto, noble blake3) on random inputs", async () => {
    const wasm = await loadWasmHashSuite();
    const independent = [
      (d: Uint8Array) => createHash("sha256").update(d).digest("hex"),
      (d: Uint8Array) => createHash("sha3-256").update(d).digest("hex"),
      (d: Uint8Array) => toBareHex(blake3(d)),
    ];
    // Sizes straddle the block sizes (64 B SHA-2, 136 B SHA3-256 rate, 1 KiB BLAKE3 chunks).
    const sizes = [0, 1, 31, 32, 55, 56, 63, 64, 65, 135, 136, 137, 1023, 1024, 1025, 2048, 5000, 65536, 100_003];
    for (const size of sizes) {
      const data = new Uint8Array(randomBytes(size));
      for (const id of [0, 1, 2]) {
        const expected = independent[id](data);
        expect(toBareHex(wasm.get(id).digest(data)), `alg ${id} size ${size}`).toBe(expected);
        expect(toBareHex(nobleHashSuite.get(id).digest(data)), `alg ${id} size ${size}`).toBe(expected);
        const cut = Math.floor(size / 3);
        expect(toBareHex(wasm.get(id).digest(data.subarray(0, cut), data.subarray(cut))), `multi-part alg ${id}`).toBe(expected);
      }
    }
  });

  it("keeps results correct when calls to different algorithms interleave", async () => {
    const wasm = await loadWasmHashSuite();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 30 }), (calls) => {
        for (const [id, data] of calls) expect(toBareHex(wasm.get(id).digest(data))).toBe(toBareHex(nobleHashSuite.get(id).digest(data)));
      }),
    );
  });
});
