/**
 * ML-DSA-65 signature verification (FIPS 204 Algorithm 3 ML-DSA.Verify and Algorithm 8 ML-DSA.Verify_internal,
 * pure mode, empty context) with the public-key-only work cached per key.
 *
 * It accepts and rejects exactly what `ml_dsa65.verify(sig, msg, publicKey)` of @noble/post-quantum 0.7.1 does with
 * default options, and throws where that throws (a signature or message that is not a Uint8Array, a public key that
 * is not 1952 bytes), with noble's own errors since the same noble checks run first. The tests cross-check the two.
 *
 * Why a second verifier: noble re-derives everything from the public key on every call. Per FIPS 204 Algorithm 8,
 * verification needs, from the key alone, the matrix Â = ExpandA(ρ) (30 polynomials rejection-sampled from SHAKE128,
 * Algorithm 32), tr = H(pk, 64) (Algorithm 8 line 6) and NTT(t1·2^d) (line 9). Together they are over 90% of the
 * Keccak work and a third of the NTTs of one verification. Governance votes come from a small fixed member set, so
 * the same few keys verify again and again. Caching those three per key, and running the NTTs that remain through
 * ml-dsa-ntt.ts rather than noble's generic FFT loop, cuts a repeat signer's verification to about a third.
 *
 * Caching is safe because every cached value is a pure function of the public key bytes: the cache is keyed by
 * the full byte content of the key (never by array identity, so a caller reusing or mutating a buffer cannot alias
 * two keys), entries are never mutated after they are built, and a key that misses the cache is derived exactly as
 * on first use. Every 1952-byte string is a well-formed ML-DSA-65 public key (pkDecode, Algorithm 23, has no
 * failure case), so there is nothing key-dependent to reject that a cached entry could skip.
 *
 * Reused from noble (exported): modular reduction, the zeta table and the bit packers (genCrystals with the options
 * of noble's ML-DSA instance; the NTT loop is ml-dsa-ntt.ts, tested equal to noble's), the SHAKE128 matrix reader
 * XOF128, the byte-layout coders (splitCoder, vecCoder), the message framing M' = 0 || |ctx| || ctx || M
 * (getMessage), abytes, equalBytes and the FIPS 204 parameters (PARAMS, lengths). Copied from noble 0.7.1
 * src/ml-dsa.ts because it keeps them private inside getDilithium(): RejNTTPoly, SampleInBall, the hint decoder,
 * Decompose/UseHint and the norm check. Each copy says so where it stands.
 */
import { PARAMS, ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { XOF128, XOF256 } from "@noble/post-quantum/_crystals.js";
import { abytes, concatBytes, equalBytes, getMessage, splitCoder, vecCoder } from "@noble/post-quantum/utils.js";
import { nobleMlDsaCrystals as crystals, nttForward, nttInverse } from "./ml-dsa-ntt";

// FIPS 204 Table 1, ML-DSA-65 (security category 3).
const { K, L, D, GAMMA1, GAMMA2, TAU, ETA, OMEGA } = PARAMS[3];
const BETA = TAU * ETA;
// FIPS 204 Table 2: λ/4 = 48 bytes of commitment hash c̃ for ML-DSA-65; tr and µ are 64 bytes for every set. noble
// passes these to getDilithium() without exporting them; the signature length below checks them against noble's.
const C_TILDE_BYTES = 48;
const TR_BYTES = 64;
const CRH_BYTES = 64;
const N = 256;
const Q = 8380417;
// UseHint's m = (q − 1)/(2γ2) (FIPS 204 Algorithm 40): 16 for ML-DSA-65.
const HINT_M = Math.floor((Q - 1) / (2 * GAMMA2));

type Poly = Int32Array;
const newPoly = (n: number): Poly => new Int32Array(n);
const { mod, smod } = crystals;

// FIPS 204 Algorithm 22/23 (pkEncode/pkDecode) and 26/27 (sigEncode/sigDecode) layouts, built from noble's coders
// with noble's coefficient maps: t1 is SimpleBitPack(10 bits), z is BitPack(γ1 − 1, γ1) in 20 bits (γ1 = 2^19),
// w1 is SimpleBitPack(4 bits) (its coefficients are in [0, 15] for γ2 = (q − 1)/32).
const identity = { encode: (i: number) => i, decode: (i: number) => i };
const T1Coder = crystals.bitsCoder(10, identity);
const ZCoder = crystals.bitsCoder(20, { encode: (i) => smod(GAMMA1 - i), decode: (i) => smod(GAMMA1 - i) });
const W1Vec = vecCoder(crystals.bitsCoder(4, identity), K);
const publicCoder = splitCoder("publicKey", 32, vecCoder(T1Coder, K));

/**
 * HintBitUnpack (FIPS 204 Algorithm 21), returning false for a malformed encoding. Copied from noble 0.7.1
 * (getDilithium's hintCoder.decode, private there) so the same encodings are refused: cumulative counts that go
 * backwards or past ω, indices not strictly increasing within a polynomial, non-zero padding after the last index.
 */
const hintCoder = {
  bytesLen: OMEGA + K,
  encode: (): Uint8Array => {
    throw new Error("ml-dsa65-verify only decodes hints");
  },
  decode: (buf: Uint8Array): Poly[] | false => {
    const h: Poly[] = [];
    let k = 0;
    for (let i = 0; i < K; i++) {
      const hi = newPoly(N);
      if (buf[OMEGA + i] < k || buf[OMEGA + i] > OMEGA) return false;
      for (let j = k; j < buf[OMEGA + i]; j++) {
        if (j > k && buf[j] <= buf[j - 1]) return false;
        hi[buf[j]] = 1;
      }
      k = buf[OMEGA + i];
      h.push(hi);
    }
    for (let j = k; j < OMEGA; j++) if (buf[j] !== 0) return false;
    return h;
  },
};
const sigCoder = splitCoder("signature", C_TILDE_BYTES, vecCoder(ZCoder, L), hintCoder);

export const ML_DSA_65_PUBLIC_KEY_LENGTH: number = ml_dsa65.lengths.publicKey!;
export const ML_DSA_65_SIGNATURE_LENGTH: number = ml_dsa65.lengths.signature!;
if (publicCoder.bytesLen !== ML_DSA_65_PUBLIC_KEY_LENGTH || sigCoder.bytesLen !== ML_DSA_65_SIGNATURE_LENGTH) {
  throw new Error("ml-dsa65-verify: ML-DSA-65 layout disagrees with @noble/post-quantum's lengths");
}

/**
 * A SHAKE256 reader over `data` (FIPS 202), squeezing `blockLen` bytes per call into one reused buffer, run by
 * @noble/post-quantum's own Keccak. Why not `shake256` from @noble/hashes: the project depends on @noble/hashes 2.0.1,
 * whose Keccak measured 2-4 times slower here than the 2.4.0 copy @noble/post-quantum carries (and noble's own verify
 * uses); after caching, hashing would be a large share of what is left. That copy is reachable only through the
 * exported XOF256, documented to absorb seed || x || y for get(x, y): passing data's last two bytes as x and y makes
 * it absorb exactly `data`. Tested equal to @noble/hashes' shake256. Once the project's @noble/hashes is 2.4 or later
 * this can be `shake256` again.
 */
function shake256Reader(data: Uint8Array, blockLen: number): () => Uint8Array {
  const n = data.length;
  if (n < 2) throw new Error("shake256Reader needs at least 2 bytes");
  return XOF256(data.subarray(0, n - 2), blockLen).get(data[n - 2], data[n - 1]);
}

/** SHAKE256(data, outputBytes) (FIPS 202), through shake256Reader. */
export function shake256Digest(data: Uint8Array, outputBytes: number): Uint8Array {
  return shake256Reader(data, outputBytes)().slice();
}

/** RejNTTPoly (FIPS 204 Algorithm 30): one matrix entry of Â, already in NTT form. Copied from noble 0.7.1. */
function rejNttPoly(xof: () => Uint8Array): Poly {
  const r = newPoly(N);
  for (let j = 0; j < N; ) {
    const b = xof();
    if (b.length % 3) throw new Error("RejNTTPoly: unaligned block");
    for (let i = 0; j < N && i <= b.length - 3; i += 3) {
      // Algorithm 14 CoeffFromThreeBytes clears the top bit of the third byte.
      const t = (b[i + 0] | (b[i + 1] << 8) | (b[i + 2] << 16)) & 0x7fffff;
      if (t < Q) r[j++] = t;
    }
  }
  return r;
}

/** SampleInBall (FIPS 204 Algorithm 29): the challenge c with τ coefficients ±1. Copied from noble 0.7.1. */
function sampleInBall(seed: Uint8Array): Poly {
  const pre = newPoly(N);
  // noble squeezes SHAKE256's rate, 136 bytes, at a time; the reader refills one buffer just as its xofInto(buf) did.
  const blockLen = 136;
  const squeeze = shake256Reader(seed, blockLen);
  let buf = squeeze();
  // The first 8 squeezed bytes are the 64 sign bits; positions are rejection-sampled from the rest of the stream.
  const masks = buf.slice(0, 8);
  for (let i = N - TAU, pos = 8, maskPos = 0, maskBit = 0; i < N; i++) {
    let b = i + 1;
    for (; b > i; ) {
      b = buf[pos++];
      if (pos < blockLen) continue;
      buf = squeeze();
      pos = 0;
    }
    pre[i] = pre[b];
    pre[b] = 1 - (((masks[maskPos] >> maskBit++) & 1) << 1);
    if (maskBit >= 8) {
      maskPos++;
      maskBit = 0;
    }
  }
  return pre;
}

/**
 * UseHint (FIPS 204 Algorithm 40) over Decompose (Algorithm 36), in place on `u`. Copied from noble 0.7.1 (decompose,
 * UseHint and polyUseHint, private there), including its handling of the top bucket r+ − r0 = q − 1.
 */
function highBitsWithHintInPlace(u: Poly, h: Poly): Poly {
  for (let i = 0; i < N; i++) {
    const rPlus = mod(u[i]);
    let r0 = smod(rPlus, 2 * GAMMA2) | 0;
    let r1: number;
    if (rPlus - r0 === Q - 1) {
      r1 = 0;
      r0 = (r0 - 1) | 0;
    } else {
      r1 = Math.floor((rPlus - r0) / (2 * GAMMA2)) | 0;
    }
    u[i] = h[i] === 1 ? (r0 > 0 ? mod(r1 + 1, HINT_M) | 0 : mod(r1 - 1, HINT_M) | 0) : r1 | 0;
  }
  return u;
}

/** True when some centered coefficient has |·| ≥ bound (FIPS 204 Algorithm 8 line 13). Copied from noble 0.7.1. */
function exceedsNorm(p: Poly, bound: number): boolean {
  for (let i = 0; i < N; i++) if (Math.abs(smod(p[i])) >= bound) return true;
  return false;
}

/** Everything verification needs that depends on the public key alone. Never mutated once built. */
interface KeyMaterial {
  /** Â in NTT form, row-major: aHat[i * L + j] = Â[i][j] (FIPS 204 Algorithm 32 ExpandA). */
  readonly aHat: readonly Poly[];
  /** NTT(t1 · 2^d), one polynomial per row (Algorithm 8 line 9, the key-only factor of NTT(c)∘NTT(t1·2^d)). */
  readonly t1Hat: readonly Poly[];
  /** tr = H(pk, 64) (Algorithm 8 line 6). */
  readonly tr: Uint8Array;
}

function deriveKeyMaterial(publicKey: Uint8Array): KeyMaterial {
  const [rho, t1] = publicCoder.decode(publicKey);
  const tr = shake256Digest(publicKey, TR_BYTES);
  const t1Hat = t1.map((p) => {
    for (let i = 0; i < N; i++) p[i] <<= D;
    return nttForward(p);
  });
  const aHat: Poly[] = [];
  const xof = XOF128(rho);
  // Â[i][j] = RejNTTPoly(ρ || j || i): the seed carries the column index first (Algorithm 32 line 4).
  for (let i = 0; i < K; i++) for (let j = 0; j < L; j++) aHat.push(rejNttPoly(xof.get(j, i)));
  xof.clean();
  return { aHat, t1Hat, tr };
}

/** The full key content as a string: an exact Map key (1952 UTF-16 units, one per byte) with no hashing collisions. */
function keyId(publicKey: Uint8Array): string {
  return String.fromCharCode.apply(null, publicKey as unknown as number[]);
}

export interface MlDsa65Verifier {
  /**
   * `ml_dsa65.verify(signature, message, publicKey)` of @noble/post-quantum 0.7.1, default options: pure ML-DSA with
   * an empty context. Returns false for any signature that does not verify (including wrong length or malformed
   * hints); throws, as noble does, when an argument is not a Uint8Array or the public key is not 1952 bytes.
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Whether this key's material is cached now; does not count as a use. For tests and diagnostics. */
  isCached(publicKey: Uint8Array): boolean;
  /** How many public keys are cached now. */
  readonly cachedKeys: number;
}

export interface MlDsa65VerifierOptions {
  /**
   * Public keys kept, least recently used evicted first. Each costs about 37 KB (Â is 30 × 256 int32). Default 1024,
   * far above a network's member set, so in practice every member stays cached.
   */
  maxKeys?: number;
}

/** A verifier with its own bounded per-public-key cache. Not shared between instances; synchronous, so no races. */
export function createMlDsa65Verifier(options: MlDsa65VerifierOptions = {}): MlDsa65Verifier {
  const maxKeys = options.maxKeys ?? 1024;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
  // A Map iterates in insertion order; re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, KeyMaterial>();

  const keyMaterial = (publicKey: Uint8Array): KeyMaterial => {
    const id = keyId(publicKey);
    const hit = cache.get(id);
    if (hit) {
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const fresh = deriveKeyMaterial(publicKey);
    cache.set(id, fresh);
    if (cache.size > maxKeys) cache.delete(cache.keys().next().value!);
    return fresh;
  };

  const verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean => {
    // noble's ml_dsa65.verify, in its order: the signature must be bytes, M' = 0 || 0 || M (which checks the message
    // is bytes), then pkDecode, which throws on a wrong length. All three throw with noble's own errors.
    abytes(signature, undefined, "signature");
    const framed = getMessage(message);
    abytes(publicKey, ML_DSA_65_PUBLIC_KEY_LENGTH, "publicKey");
    const { aHat, t1Hat, tr } = keyMaterial(publicKey);

    if (signature.length !== ML_DSA_65_SIGNATURE_LENGTH) return false;
    // (c̃, z, h) ← sigDecode(σ); a malformed hint is ⊥ (Algorithm 8 lines 2-4).
    const [cTilde, z, h] = sigCoder.decode(signature);
    if (h === false) return false;
    // ||z||∞ < γ1 − β (line 13); checked before the work, as noble does, since it does not depend on it.
    for (let j = 0; j < L; j++) if (exceedsNorm(z[j], GAMMA1 - BETA)) return false;
    // The number of 1s in h is ≤ ω (line 13). HintBitUnpack's cumulative counts already bound it; kept as noble does.
    for (const hi of h) {
      let ones = 0;
      for (let i = 0; i < N; i++) ones += hi[i];
      if (!(ones <= OMEGA)) return false;
    }

    const mu = shake256Digest(concatBytes(tr, framed), CRH_BYTES); // line 7: µ ← H(tr || M', 64)
    const cHat = nttForward(sampleInBall(cTilde)); // lines 8-9: c ← SampleInBall(c̃), NTT(c)
    const zHat = z.map((p) => nttForward(p)); // z is our own decoded copy, so it is transformed in place
    const w1: Poly[] = [];
    for (let i = 0; i < K; i++) {
      // Line 9: w'approx = NTT⁻¹(Â ∘ NTT(z) − NTT(c) ∘ NTT(t1·2^d)). Every operand is canonical in [0, q), so the
      // products stay below 2^46 (exact in a double) and reducing the sum once gives noble's coefficients exactly.
      const w = newPoly(N);
      const ct = t1Hat[i];
      for (let k = 0; k < N; k++) {
        let acc = -((cHat[k] * ct[k]) % Q);
        for (let j = 0; j < L; j++) acc += (aHat[i * L + j][k] * zHat[j][k]) % Q;
        w[k] = mod(acc);
      }
      w1.push(highBitsWithHintInPlace(nttInverse(w), h[i])); // line 10: w'1 ← UseHint(h, w'approx)
    }
    // Line 12: c̃' ← H(µ || w1Encode(w'1), λ/4); line 13: accept when c̃ = c̃'.
    const cTildePrime = shake256Digest(concatBytes(mu, W1Vec.encode(w1)), C_TILDE_BYTES);
    return equalBytes(cTilde, cTildePrime);
  };

  return {
    verify,
    isCached: (publicKey) => cache.has(keyId(publicKey)),
    get cachedKeys() {
      return cache.size;
    },
  };
}
