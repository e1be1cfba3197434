/**
 * The ML-DSA number-theoretic transform (FIPS 204 §7.5, Algorithms 41 NTT and 42 NTT⁻¹) over Z_q[X]/(X^256 + 1),
 * q = 8380417, with the same zeta table and output order as @noble/post-quantum 0.7.1, so the two are
 * interchangeable (polynomials sampled directly in NTT form, like Â, mean the order is part of the contract).
 *
 * Why not noble's own: noble runs its NTT through the generic FFT loop of @noble/curves (`FFTCore`), which calls a
 * field object's add/sub/mul for every butterfly. That loop is most of what remains of an ML-DSA verification once
 * the per-key work is cached (ml-dsa65-verify.ts). These are the same butterflies written out as the FIPS 204
 * pseudocode has them, with plain `%` and the reduction to [0, q) done once at the end.
 *
 * The zetas are noble's table (genCrystals' nttZetas: ζ^BitRev8(k) mod q, ζ = 1753), not a copy. Outputs equal
 * noble's NTT.encode / NTT.decode exactly; ml-dsa-ntt.test.ts checks that on random and extreme inputs.
 */
import { genCrystals } from "@noble/post-quantum/_crystals.js";

const N = 256;
const Q = 8380417;
// 256⁻¹ mod q, the scale of Algorithm 42 line 23 (noble's F).
const F = 8347681;

// Same options as noble's ML-DSA instance (src/ml-dsa.ts); exported so the tests can compare against its NTT.
export const nobleMlDsaCrystals = genCrystals({
  N,
  Q,
  F,
  ROOT_OF_UNITY: 1753,
  newPoly: (n: number) => new Int32Array(n),
  isKyber: false,
  brvBits: 8,
});
const zetas = nobleMlDsaCrystals.nttZetas;

/**
 * NTT (Algorithm 41), in place; returns `r`. Inputs may be any integers with |r[i]| < q (centred coefficients such
 * as z or c included); outputs are in [0, q). Intermediate values stay in (−q, q), so each product is below 2^46 and
 * exact in a double.
 */
export function nttForward(r: Int32Array): Int32Array {
  for (let len = 128, m = 1; len >= 1; len >>= 1) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = zetas[m++];
      for (let j = start; j < start + len; j++) {
        const t = (zeta * r[j + len]) % Q;
        const a = r[j];
        r[j] = (a + t) % Q;
        r[j + len] = (a - t) % Q;
      }
    }
  }
  for (let i = 0; i < N; i++) if (r[i] < 0) r[i] += Q;
  return r;
}

/**
 * NTT⁻¹ (Algorithm 42), in place; returns `r`. Same input range and output range as nttForward. Written as noble
 * writes it: (b − a)·ζ with the table read backwards, which is the specification's a − b times −ζ.
 */
export function nttInverse(r: Int32Array): Int32Array {
  for (let len = 1, m = N - 1; len < N; len <<= 1) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = zetas[m--];
      for (let j = start; j < start + len; j++) {
        const a = r[j];
        const b = r[j + len];
        r[j] = (a + b) % Q;
        r[j + len] = ((b - a) * zeta) % Q;
      }
    }
  }
  for (let i = 0; i < N; i++) {
    const x = (F * r[i]) % Q;
    r[i] = x < 0 ? x + Q : x;
  }
  return r;
}
