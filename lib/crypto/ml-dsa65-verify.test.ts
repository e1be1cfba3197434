/**
 * The cached ML-DSA-65 verifier must accept, reject and throw exactly as @noble/post-quantum's ml_dsa65.verify does.
 *
 * Most tests cross-check the two on real signatures, valid and corrupted. Those only reach the reject paths through
 * a failed hash comparison, so a second group uses a degenerate public key with t1 = 0, for which w'approx = Â·z does
 * not depend on the challenge and anyone can build a signature that verifies (FIPS 204 Algorithm 8 with t1 = 0). That
 * lets the tests build signatures that pass the hash comparison but sit on each other check's boundary (‖z‖∞, the hint
 * count ω, malformed hint encodings), where a verifier that skipped or loosened a check would accept. The builder is
 * written from FIPS 204 independently of the verifier, and noble judges every signature it builds.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { shake128, shake256 } from "@noble/hashes/sha3.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatBytes, fromHex, toHex } from "../encoding/hex";
import { nobleMlDsaCrystals } from "./ml-dsa-ntt";
import { createMlDsa65Verifier, ML_DSA_65_PUBLIC_KEY_LENGTH, ML_DSA_65_SIGNATURE_LENGTH, shake256Digest } from "./ml-dsa65-verify";

// FIPS 204 Table 1 and 2, ML-DSA-65.
const N = 256;
const Q = 8380417;
const K = 6;
const L = 5;
const GAMMA1 = 2 ** 19;
const GAMMA2 = (Q - 1) / 32;
const BETA = 49 * 4;
const OMEGA = 55;
const C_TILDE_BYTES = 48;
const Z_BYTES = L * 640;
const HINT_OFFSET = C_TILDE_BYTES + Z_BYTES;

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Deterministic bytes for a label, so every run sees the same keys and messages. */
const det = (label: string, n: number) => shake256(utf8(label), { dkLen: n });
/** A small seeded PRNG (mulberry32) for positions and sizes. */
function prng(seed: number) {
  let a = seed >>> 0;
  return (bound: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * bound | 0;
  };
}

type Outcome = boolean | "throws";
const outcome = (f: () => boolean): Outcome => {
  try {
    return f();
  } catch {
    return "throws";
  }
};
const noble = (sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): Outcome => outcome(() => ml_dsa65.verify(sig, msg, pk));
const flipBit = (bytes: Uint8Array, bit: number) => {
  const out = bytes.slice();
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
};

const keys = Array.from({ length: 4 }, (_, i) => ml_dsa65.keygen(det(`ml-dsa65-verify key ${i}`, 32)));
const sign = (msg: Uint8Array, key: (typeof keys)[number], label: string) => ml_dsa65.sign(msg, key.secretKey, { extraEntropy: det(label, 32) });

describe("createMlDsa65Verifier().verify on real signatures", () => {
  it("accepts every valid signature noble accepts, on a key's first (uncached) use and on later (cached) uses", () => {
    const verifier = createMlDsa65Verifier();
    const sizes = [0, 1, 135, 136, 300, 5000];
    keys.forEach((key, k) => {
      const signed = sizes.map((n, m) => {
        const msg = det(`message ${k}/${m}`, n);
        return { msg, sig: sign(msg, key, `entropy ${k}/${m}`) };
      });
      expect(verifier.isCached(key.publicKey)).toBe(false);
      for (const { msg, sig } of signed) {
        expect(noble(sig, msg, key.publicKey)).toBe(true);
        expect(verifier.verify(sig, msg, key.publicKey)).toBe(true);
        expect(verifier.isCached(key.publicKey)).toBe(true);
      }
      // Again, all from the cache, with a fresh copy of the key bytes.
      for (const { msg, sig } of signed) expect(verifier.verify(sig, msg, key.publicKey.slice())).toBe(true);
      expect(verifier.cachedKeys).toBe(k + 1);
    });
  });

  it("accepts a fixed-seed vector (keygen seed 0..31, deterministic signing) that noble accepts", () => {
    const key = ml_dsa65.keygen(Uint8Array.from({ length: 32 }, (_, i) => i));
    const msg = utf8("MathLedger ML-DSA-65 vector");
    const sig = ml_dsa65.sign(msg, key.secretKey, { extraEntropy: false });
    // Pinned so a change in noble's keygen or signing shows up here rather than as a puzzling cross-check.
    expect(toHex(sha256(key.publicKey))).toBe(FIXED_SEED_PUBLIC_KEY_SHA256);
    expect(toHex(sha256(sig))).toBe(FIXED_SEED_SIGNATURE_SHA256);
    expect(noble(sig, msg, key.publicKey)).toBe(true);
    expect(createMlDsa65Verifier().verify(sig, msg, key.publicKey)).toBe(true);
  });

  it("accepts the ML-DSA-65 halves of the governance test vectors (test-vectors/governance.json)", () => {
    /* eslint-disable @typescript-eslint/no-explicit-any -- the vectors are untyped JSON by design */
    const file: any = JSON.parse(readFileSync(fileURLToPath(new URL("../../test-vectors/governance.json", import.meta.url)), "utf8"));
    const verifier = createMlDsa65Verifier();
    expect(file.messages.length).toBeGreaterThan(0);
    for (const v of file.messages) {
      const pk = fromHex(file.keys.find((k: any) => k.member_id === v.envelope.message.signer).public_keys.ml_dsa_65);
      const sig = fromHex(v.envelope.signatures.ml_dsa_65);
      const input = fromHex(v.signing_input);
      expect(verifier.verify(sig, input, pk), v.name).toBe(true);
      expect(verifier.verify(sig, concatBytes(input, Uint8Array.of(0)), pk), v.name).toBe(false);
    }
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });

  it("rejects, as noble does, a wrong message, another key's signature, and truncated or extended signatures", () => {
    const verifier = createMlDsa65Verifier();
    const msg = det("message", 64);
    const [a, b] = keys;
    const sigA = sign(msg, a, "entropy a");
    const sigB = sign(msg, b, "entropy b");
    const cases: [string, Uint8Array, Uint8Array, Uint8Array][] = [
      ["valid", sigA, msg, a.publicKey],
      ["wrong message", sigA, det("other message", 64), a.publicKey],
      ["message one byte longer", sigA, concatBytes(msg, Uint8Array.of(0)), a.publicKey],
      ["another key's signature", sigB, msg, a.publicKey],
      ["signature under another key", sigA, msg, b.publicKey],
      ["truncated by one byte", sigA.subarray(0, ML_DSA_65_SIGNATURE_LENGTH - 1), msg, a.publicKey],
      ["extended by one zero byte", concatBytes(sigA, Uint8Array.of(0)), msg, a.publicKey],
      ["empty", new Uint8Array(0), msg, a.publicKey],
      ["all zero", new Uint8Array(ML_DSA_65_SIGNATURE_LENGTH), msg, a.publicKey],
      ["all 0xff", new Uint8Array(ML_DSA_65_SIGNATURE_LENGTH).fill(0xff), msg, a.publicKey],
    ];
    for (const [name, sig, m, pk] of cases) {
      expect(verifier.verify(sig, m, pk), name).toBe(name === "valid");
      expect(noble(sig, m, pk), name).toBe(name === "valid");
    }
  });

  it("rejects every single-bit flip in c̃ and in the hint bytes, and sampled flips across z, as noble does", () => {
    const verifier = createMlDsa65Verifier();
    const key = keys[2];
    const msg = det("flip message", 100);
    const sig = sign(msg, key, "flip entropy");
    const next = prng(1);
    const bits: number[] = [];
    for (let bit = 0; bit < C_TILDE_BYTES * 8; bit++) bits.push(bit);
    for (let i = 0; i < 300; i++) bits.push(C_TILDE_BYTES * 8 + next(Z_BYTES * 8));
    for (let bit = HINT_OFFSET * 8; bit < ML_DSA_65_SIGNATURE_LENGTH * 8; bit++) bits.push(bit);
    let malformedHints = 0;
    for (const bit of bits) {
      const tampered = flipBit(sig, bit);
      const ours = outcome(() => verifier.verify(tampered, msg, key.publicKey));
      expect(ours, `bit ${bit}`).toBe(noble(tampered, msg, key.publicKey));
      expect(ours, `bit ${bit}`).toBe(false);
      if (bit >= HINT_OFFSET * 8 && !hintEncodingIsWellFormed(tampered.subarray(HINT_OFFSET))) malformedHints++;
    }
    // The flips must include hint encodings noble refuses as malformed, not only ones that decode and then fail.
    expect(malformedHints).toBeGreaterThan(100);
  });

  it("agrees with noble on random keys, messages and corruptions (property)", () => {
    const verifier = createMlDsa65Verifier({ maxKeys: 4 });
    const corruption = fc.oneof(
      fc.constant({ kind: "none" as const }),
      fc.record({ kind: fc.constant("flip" as const), bit: fc.nat(ML_DSA_65_SIGNATURE_LENGTH * 8 - 1) }),
      fc.record({ kind: fc.constant("byte" as const), at: fc.nat(ML_DSA_65_SIGNATURE_LENGTH - 1), value: fc.nat(255) }),
      fc.record({ kind: fc.constant("length" as const), length: fc.nat(ML_DSA_65_SIGNATURE_LENGTH + 2) }),
      fc.record({ kind: fc.constant("message" as const), bit: fc.nat(8 * 64 - 1) }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), corruption, (seed, msg, c) => {
        const key = ml_dsa65.keygen(seed);
        let sig: Uint8Array = ml_dsa65.sign(msg, key.secretKey, { extraEntropy: false });
        let checked: Uint8Array = msg;
        if (c.kind === "flip") sig = flipBit(sig, c.bit);
        if (c.kind === "byte") sig[c.at] = c.value;
        if (c.kind === "length") sig = c.length <= sig.length ? sig.slice(0, c.length) : concatBytes(sig, new Uint8Array(c.length - sig.length));
        if (c.kind === "message") checked = msg.length ? flipBit(msg, c.bit % (msg.length * 8)) : Uint8Array.of(0);
        const expected = noble(sig, checked, key.publicKey);
        expect(outcome(() => verifier.verify(sig, checked, key.publicKey))).toBe(expected);
        // Twice: the second call is served from the cache.
        expect(outcome(() => verifier.verify(sig, checked, key.publicKey))).toBe(expected);
        if (c.kind === "none") expect(expected).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("throws where noble throws: a public key that is not 1952 bytes, arguments that are not byte arrays", () => {
    const verifier = createMlDsa65Verifier();
    const key = keys[0];
    const msg = det("throw message", 10);
    const sig = sign(msg, key, "throw entropy");
    const notBytes = [1, 2, 3] as unknown as Uint8Array;
    const cases: [string, Uint8Array, Uint8Array, Uint8Array][] = [
      ["public key one byte short", sig, msg, key.publicKey.subarray(0, ML_DSA_65_PUBLIC_KEY_LENGTH - 1)],
      ["public key one byte long", sig, msg, concatBytes(key.publicKey, Uint8Array.of(0))],
      ["empty public key", sig, msg, new Uint8Array(0)],
      ["short public key and short signature", sig.subarray(1), msg, key.publicKey.subarray(1)],
      ["signature not bytes", notBytes, msg, key.publicKey],
      ["message not bytes", sig, notBytes, key.publicKey],
      ["public key not bytes", sig, msg, notBytes],
    ];
    const thrown = (f: () => boolean) => {
      try {
        f();
      } catch (error) {
        return String(error);
      }
      return "nothing thrown";
    };
    for (const [name, s, m, pk] of cases) {
      const nobleError = thrown(() => ml_dsa65.verify(s, m, pk));
      expect(nobleError, name).not.toBe("nothing thrown");
      // The same error, since the same noble argument checks run in the same order.
      expect(thrown(() => verifier.verify(s, m, pk)), name).toBe(nobleError);
    }
    expect(verifier.cachedKeys).toBe(0);
  });
});

describe("shake256Digest", () => {
  it("equals @noble/hashes' shake256 for every input length the verifier uses and around the 136-byte rate", () => {
    const lengths = [2, 3, 47, 48, 64, 65, 66, 134, 135, 136, 137, 200, 271, 272, 273, 832, 1952, 2000];
    for (const n of lengths)
      for (const out of [32, 48, 64, 136, 137, 500]) {
        const data = det(`shake input ${n}`, n);
        expect(toHex(shake256Digest(data, out)), `${n} bytes in, ${out} out`).toBe(toHex(shake256(data, { dkLen: out })));
      }
  });
  it("refuses inputs shorter than 2 bytes, which it cannot route through XOF256", () => {
    expect(() => shake256Digest(new Uint8Array(1), 32)).toThrow();
  });
});

// ---- Signatures for a degenerate key (t1 = 0), built from FIPS 204 independently of the verifier under test ----

const DEGENERATE_RHO = det("degenerate rho", 32);
const DEGENERATE_KEY = concatBytes(DEGENERATE_RHO, new Uint8Array(ML_DSA_65_PUBLIC_KEY_LENGTH - 32));
const { NTT, mod } = nobleMlDsaCrystals;

/** ExpandA (Algorithm 32) with RejNTTPoly (Algorithm 30) read from one long SHAKE128 squeeze. */
const degenerateA: Int32Array[][] = Array.from({ length: K }, (_, i) =>
  Array.from({ length: L }, (_, j) => {
    const stream = shake128(concatBytes(DEGENERATE_RHO, Uint8Array.of(j, i)), { dkLen: 168 * 8 });
    const a = new Int32Array(N);
    for (let pos = 0, n = 0; n < N; pos += 3) {
      const t = stream[pos] | (stream[pos + 1] << 8) | ((stream[pos + 2] & 0x7f) << 16);
      if (t < Q) a[n++] = t;
    }
    return a;
  }),
);

/** Decompose (Algorithm 36) and UseHint (Algorithm 40), as the specification writes them. */
function decompose(r: number): [number, number] {
  const rPlus = ((r % Q) + Q) % Q;
  let r0 = rPlus % (2 * GAMMA2);
  if (r0 > GAMMA2) r0 -= 2 * GAMMA2;
  if (rPlus - r0 === Q - 1) return [0, r0 - 1];
  return [(rPlus - r0) / (2 * GAMMA2), r0];
}
/** Whether r falls in Decompose's top bucket r+ − r0 = q − 1, where it folds r1 to 0 (Algorithm 36 lines 3-5). */
function inTopBucket(r: number): boolean {
  const rPlus = ((r % Q) + Q) % Q;
  let r0 = rPlus % (2 * GAMMA2);
  if (r0 > GAMMA2) r0 -= 2 * GAMMA2;
  return rPlus - r0 === Q - 1;
}
function highBitsWithHint(h: number, r: number): number {
  const m = (Q - 1) / (2 * GAMMA2);
  const [r1, r0] = decompose(r);
  if (h === 1 && r0 > 0) return (r1 + 1) % m;
  if (h === 1 && r0 <= 0) return (r1 - 1 + m) % m;
  return r1;
}

/** w'approx = NTT⁻¹(Â ∘ NTT(z)) for the degenerate key: with t1 = 0 the c·t1·2^d term vanishes. */
function degenerateW(z: Int32Array[]): Int32Array[] {
  const zHat = z.map((p) => NTT.encode(p.slice()));
  return degenerateA.map((row) => {
    const w = new Int32Array(N);
    for (let j = 0; j < L; j++) for (let k = 0; k < N; k++) w[k] = mod(w[k] + mod(row[j][k] * zHat[j][k]));
    return NTT.decode(w);
  });
}

/** BitPack(z, γ1 − 1, γ1) (Algorithm 17): each coefficient stored as γ1 − z in 20 bits, little-endian. */
function packZ(z: Int32Array[]): Uint8Array {
  const out = new Uint8Array(Z_BYTES);
  let bit = 0;
  for (const p of z)
    for (const c of p) {
      const v = GAMMA1 - c;
      for (let b = 0; b < 20; b++, bit++) if ((v >> b) & 1) out[bit >> 3] |= 1 << (bit & 7);
    }
  return out;
}

/** HintBitPack (Algorithm 20) from per-row index lists written in the given order (so tests can break the rules). */
function packHints(lists: number[][]): Uint8Array {
  const out = new Uint8Array(OMEGA + K);
  let count = 0;
  lists.forEach((list, i) => {
    for (const index of list) out[count++] = index;
    out[OMEGA + i] = count;
  });
  return out;
}

/** Whether bytes follow HintBitUnpack's rules (Algorithm 21), written from the specification. */
function hintEncodingIsWellFormed(y: Uint8Array): boolean {
  let index = 0;
  for (let i = 0; i < K; i++) {
    if (y[OMEGA + i] < index || y[OMEGA + i] > OMEGA) return false;
    const first = index;
    while (index < y[OMEGA + i]) {
      if (index > first && y[index - 1] >= y[index]) return false;
      index++;
    }
  }
  for (let i = index; i < OMEGA; i++) if (y[i] !== 0) return false;
  return true;
}

/** A signature (c̃, z, h) for `msg` under the degenerate key whose c̃ matches, with the hint bytes given verbatim. */
function forge(msg: Uint8Array, z: Int32Array[], hintSets: number[][], hintBytes: Uint8Array = packHints(hintSets)): Uint8Array {
  const w = degenerateW(z);
  const w1 = new Uint8Array(K * 128);
  w.forEach((row, i) => {
    const hinted = new Set(hintSets[i]);
    for (let k = 0; k < N; k++) w1[i * 128 + (k >> 1)] |= highBitsWithHint(hinted.has(k) ? 1 : 0, row[k]) << (4 * (k & 1));
  });
  const tr = shake256(DEGENERATE_KEY, { dkLen: 64 });
  const mu = shake256(concatBytes(tr, Uint8Array.of(0, 0), msg), { dkLen: 64 });
  const cTilde = shake256(concatBytes(mu, w1), { dkLen: C_TILDE_BYTES });
  return concatBytes(cTilde, packZ(z), hintBytes);
}

function randomZ(seed: number): Int32Array[] {
  const next = prng(seed);
  const bound = GAMMA1 - BETA - 1;
  return Array.from({ length: L }, () => Int32Array.from({ length: N }, () => next(2 * bound + 1) - bound));
}

/** `total` hint positions, sorted within each row: up to 10 coefficients of w in Decompose's top bucket, then others. */
function hintsIncludingTopBucket(w: Int32Array[], total: number): number[][] {
  const top: [number, number][] = [];
  const rest: [number, number][] = [];
  w.forEach((row, i) => row.forEach((r, k) => (inTopBucket(r) ? top : rest).push([i, k])));
  const chosen = [...top.slice(0, Math.min(top.length, 10)), ...rest.filter((_, n) => n % 23 === 0)].slice(0, total);
  return Array.from({ length: K }, (_, i) => chosen.filter(([row]) => row === i).map(([, k]) => k).sort((a, b) => a - b));
}

/**
 * z changed in one coefficient so that w'approx[row][k] has low bits r0 = `r0Target` exactly: UseHint's boundary
 * cases (r0 = 0 rounds down, r0 = γ2 rounds up) otherwise occur with probability about 2^-19 per coefficient. w is
 * linear in z over Z_q, so moving z[0][0] by δ moves each coefficient by δ times its response to a unit z[0][0].
 */
function steerLowBits(z: Int32Array[], r0Target: number): { z: Int32Array[]; row: number; k: number } {
  const w = degenerateW(z);
  const unit = Array.from({ length: L }, () => new Int32Array(N));
  unit[0][0] = 1;
  const response = degenerateW(unit);
  const inverse = (a: number) => {
    let result = 1n;
    for (let base = BigInt(a), e = BigInt(Q - 2); e > 0n; e >>= 1n, base = (base * base) % BigInt(Q)) if (e & 1n) result = (result * base) % BigInt(Q);
    return Number(result);
  };
  for (let row = 0; row < K; row++)
    for (let k = 0; k < N; k++) {
      if (response[row][k] === 0) continue;
      const inv = inverse(response[row][k]);
      for (let m = 0; m < 16; m++) {
        const delta = mod(mod(m * 2 * GAMMA2 + r0Target - w[row][k]) * inv);
        const centred = delta > Q / 2 ? delta - Q : delta;
        const moved = z[0][0] + centred;
        if (Math.abs(moved) >= GAMMA1 - BETA) continue;
        const steered = z.map((p) => p.slice());
        steered[0][0] = moved;
        return { z: steered, row, k };
      }
    }
  throw new Error("no coefficient could be steered");
}

describe("createMlDsa65Verifier().verify at each check's boundary (degenerate t1 = 0 key)", () => {
  const msg = utf8("edge");
  const verifier = createMlDsa65Verifier();
  const both = (sig: Uint8Array, m: Uint8Array = msg): Outcome => {
    const expected = noble(sig, m, DEGENERATE_KEY);
    expect(outcome(() => verifier.verify(sig, m, DEGENERATE_KEY))).toBe(expected);
    return expected;
  };

  it("accepts what noble accepts: ‖z‖∞ = γ1 − β − 1 either sign, no hints, exactly ω hints, hints on top-bucket coefficients", () => {
    const z = randomZ(2);
    z[0][0] = GAMMA1 - BETA - 1;
    z[4][255] = -(GAMMA1 - BETA - 1);
    expect(both(forge(msg, z, [[], [], [], [], [], []]))).toBe(true);
    const w = degenerateW(z);
    const full = hintsIncludingTopBucket(w, OMEGA);
    expect(full.flat().length).toBe(OMEGA);
    // The top bucket (r+ − r0 = q − 1) is where Decompose folds r1 to 0; hinting there exercises UseHint's wrap to 15.
    expect(full.some((list, i) => list.some((k) => inTopBucket(w[i][k])))).toBe(true);
    expect(both(forge(msg, z, full))).toBe(true);
    expect(both(forge(msg, z, hintsIncludingTopBucket(w, 7)))).toBe(true);
    // Same signature, another message: c̃ no longer matches.
    expect(both(forge(msg, z, full), utf8("edgf"))).toBe(false);
  });

  it("accepts what noble accepts with a hint on a coefficient whose low bits are exactly 0 or exactly γ2 (UseHint's rounding boundary)", () => {
    for (const r0Target of [0, GAMMA2]) {
      const { z, row, k } = steerLowBits(randomZ(5), r0Target);
      expect(decompose(degenerateW(z)[row][k])[1]).toBe(r0Target);
      const sets: number[][] = [[1, 2], [], [], [], [], [250]];
      sets[row] = [...new Set([...sets[row], k])].sort((a, b) => a - b);
      expect(both(forge(msg, z, sets)), `r0 = ${r0Target}`).toBe(true);
    }
  });

  it("rejects ‖z‖∞ ≥ γ1 − β even when c̃ matches, at the bound and at the encodable extremes", () => {
    for (const [at, value] of [
      [[1, 3], GAMMA1 - BETA],
      [[2, 200], -(GAMMA1 - BETA)],
      [[3, 0], GAMMA1],
      [[4, 17], -(GAMMA1 - 1)],
    ] as const) {
      const z = randomZ(3);
      z[at[0]][at[1]] = value;
      expect(both(forge(msg, z, [[5], [], [9, 10], [], [], [255]])), `z = ${value}`).toBe(false);
    }
  });

  it("rejects malformed hint encodings even when the hint set they spell would verify", () => {
    const z = randomZ(4);
    const sets = [[3, 40], [], [7], [0, 255], [], [128]];
    expect(both(forge(msg, z, sets))).toBe(true);
    const withBytes = (edit: (h: Uint8Array) => void) => {
      const h = packHints(sets);
      edit(h);
      return forge(msg, z, sets, h);
    };
    const malformed: [string, Uint8Array][] = [
      ["index repeated", forge(msg, z, sets, packHints([[3, 3, 40], [], [7], [0, 255], [], [128]]))],
      ["indices descending", forge(msg, z, sets, packHints([[40, 3], [], [7], [0, 255], [], [128]]))],
      ["non-zero padding after the last index", withBytes((h) => (h[OMEGA - 1] = 1))],
      ["non-zero padding right after the last index", withBytes((h) => (h[6] = 200))],
      ["last count past ω", withBytes((h) => (h[OMEGA + K - 1] = OMEGA + 1))],
      ["counts going backwards", withBytes((h) => (h[OMEGA + 2] = 1))],
    ];
    // Encodings a decoder missing one rule would read as a set that verifies (the set is what c̃ was built with).
    const row0 = Array.from({ length: 20 }, (_, n) => 10 * n);
    const fiveEach = [0, 1, 2, 3].map((r) => [r, 20 + r, 40 + r, 60 + r, 80 + r]);
    const pastOmega = new Uint8Array(OMEGA + K);
    pastOmega.set([...row0, ...fiveEach.flat(), ...Array.from({ length: 15 }, (_, n) => n)]);
    pastOmega.set([20, 25, 30, 35, 40, 56], OMEGA); // the last row runs one past ω and reads count byte 20 as an index
    malformed.push(["last row's count past ω, reading a count byte as an index", forge(msg, z, [row0, ...fiveEach, [...Array.from({ length: 15 }, (_, n) => n), 20]], pastOmega)]);
    const backwards = new Uint8Array(OMEGA + K);
    backwards.set([3, 40, 50, 60, 70]);
    backwards.set([2, 2, 1, 5, 5, 5], OMEGA); // row 2's count goes back, so row 3 re-reads row 0's last index
    malformed.push(["a count going backwards, re-reading an earlier index", forge(msg, z, [[3, 40], [], [], [40, 50, 60, 70], [], []], backwards)]);
    for (const [name, sig] of malformed) {
      expect(hintEncodingIsWellFormed(sig.subarray(HINT_OFFSET)), name).toBe(false);
      expect(both(sig), name).toBe(false);
    }
  });
});

describe("createMlDsa65Verifier's key cache", () => {
  const msg = det("cache message", 32);
  const signed = keys.map((key, i) => ({ key, sig: sign(msg, key, `cache entropy ${i}`) }));

  it("keeps results right with more keys than maxKeys, evicting the least recently used", () => {
    const verifier = createMlDsa65Verifier({ maxKeys: 2 });
    for (let round = 0; round < 3; round++) {
      for (const [i, { key, sig }] of signed.entries()) {
        expect(verifier.verify(sig, msg, key.publicKey)).toBe(true);
        expect(verifier.verify(signed[(i + 1) % signed.length].sig, msg, key.publicKey)).toBe(false);
        expect(verifier.cachedKeys).toBeLessThanOrEqual(2);
      }
    }
    const [a, b, c] = signed;
    verifier.verify(a.sig, msg, a.key.publicKey);
    verifier.verify(b.sig, msg, b.key.publicKey);
    verifier.verify(a.sig, msg, a.key.publicKey); // a is now the most recently used
    verifier.verify(c.sig, msg, c.key.publicKey);
    expect([verifier.isCached(a.key.publicKey), verifier.isCached(b.key.publicKey), verifier.isCached(c.key.publicKey)]).toEqual([true, false, true]);
  });

  it("keys by content: one buffer reused for two keys never mixes their cached material", () => {
    const verifier = createMlDsa65Verifier();
    const [a, b] = signed;
    const buffer = a.key.publicKey.slice();
    expect(verifier.verify(a.sig, msg, buffer)).toBe(true);
    buffer.set(b.key.publicKey);
    expect(verifier.verify(b.sig, msg, buffer)).toBe(true);
    expect(verifier.verify(a.sig, msg, buffer)).toBe(false);
    expect(verifier.cachedKeys).toBe(2);
  });

  it("refuses a maxKeys that is not a positive integer", () => {
    for (const maxKeys of [0, -1, 1.5, Number.NaN]) expect(() => createMlDsa65Verifier({ maxKeys })).toThrow(RangeError);
  });
});

// SHA-256 of the public key and deterministic signature noble 0.7.1 produces for the fixed-seed vector above.
const FIXED_SEED_PUBLIC_KEY_SHA256 = "0xd666806e11cee19a7c989f7445f90dd419cf4d2d51db8c0fdb4c0f0a542238c9";
const FIXED_SEED_SIGNATURE_SHA256 = "0xdbe2b867dae07fa5cb439e96e8f8b8304073587559786a8672c5b38885ec20bb";
