/**
 * Hybrid signing keys: Ed25519 (RFC 8032, @noble/curves) and ML-DSA-65 (FIPS 204, @noble/post-quantum).
 *
 * A member's secret is 64 bytes: a 32-byte Ed25519 secret key followed by a 32-byte ML-DSA-65 key-generation seed
 * (FIPS 204 ML-DSA.KeyGen_internal(ξ)). Both halves sign the same signing input (message.ts) and both must verify:
 * the signature stays sound while either algorithm does (Ed25519 against today's attackers, ML-DSA against a quantum
 * one). ML-DSA is used in its pure form with an empty context string, as third-party libraries implement by default.
 */
import type { ErrorCode } from "../error-codes";
import { ed25519 } from "@noble/curves/ed25519.js";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { createMlDsa65Verifier } from "../crypto/ml-dsa65-verify";
import { AppError } from "../errors";
import { fromHex, isCanonicalHex, toHex } from "../encoding/hex";

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const ML_DSA_65_PUBLIC_KEY_BYTES = 1952;
export const ML_DSA_65_SIGNATURE_BYTES = 3309;
export const HYBRID_SECRET_BYTES = 64;

/** Public keys as they appear in the genesis file and key files ("0x" hex). */
export interface HybridPublicKeys {
  ed25519: string;
  ml_dsa_65: string;
}

export interface HybridSignatures {
  ed25519: string;
  ml_dsa_65: string;
}

/** A member's signing key, expanded: the 64-byte secret plus the derived public and ML-DSA secret keys. */
export interface HybridSigningKey {
  secret: Uint8Array;
  publicKeys: HybridPublicKeys;
  mlDsaSecretKey: Uint8Array;
}

/** Expands a 64-byte secret (Ed25519 secret key || ML-DSA-65 seed) into a signing key. */
export function signingKeyFromSecret(secret: Uint8Array): HybridSigningKey {
  if (secret.length !== HYBRID_SECRET_BYTES) throw new AppError("INVALID_KEY_FILE", `a hybrid secret is ${HYBRID_SECRET_BYTES} bytes, got ${secret.length}`);
  const edSecret = secret.slice(0, 32);
  const ml = ml_dsa65.keygen(secret.slice(32, 64));
  return {
    secret: secret.slice(),
    publicKeys: { ed25519: toHex(ed25519.getPublicKey(edSecret)), ml_dsa_65: toHex(ml.publicKey) },
    mlDsaSecretKey: ml.secretKey,
  };
}

/** A fresh signing key from 64 random bytes supplied by the caller (crypto.getRandomValues in browser and Node). */
export function generateSigningKey(randomBytes: (n: number) => Uint8Array): HybridSigningKey {
  return signingKeyFromSecret(randomBytes(HYBRID_SECRET_BYTES));
}

/**
 * Signs `input` with both halves. ML-DSA signing is hedged (fresh randomness) unless `deterministic` is set, which
 * the test vectors use so a third party can reproduce them byte for byte (FIPS 204 allows both).
 */
export function hybridSign(key: HybridSigningKey, input: Uint8Array, options: { deterministic?: boolean } = {}): HybridSignatures {
  const ed = ed25519.sign(input, key.secret.slice(0, 32));
  const ml = ml_dsa65.sign(input, key.mlDsaSecretKey, options.deterministic ? { extraEntropy: false } : {});
  return { ed25519: toHex(ed), ml_dsa_65: toHex(ml) };
}

/** Checks that public keys have the right lengths and form; throws AppError(code) naming the key. */
export function checkPublicKeys(keys: unknown, code: ErrorCode, where: string): HybridPublicKeys {
  const k = keys as Record<string, unknown> | null;
  if (typeof k !== "object" || k === null) throw new AppError(code, `${where} must be an object with ed25519 and ml_dsa_65 public keys`);
  if (!isCanonicalHex(k.ed25519, ED25519_PUBLIC_KEY_BYTES)) throw new AppError(code, `${where}.ed25519 must be a ${ED25519_PUBLIC_KEY_BYTES}-byte 0x-prefixed lowercase hex public key`);
  if (!isCanonicalHex(k.ml_dsa_65, ML_DSA_65_PUBLIC_KEY_BYTES)) throw new AppError(code, `${where}.ml_dsa_65 must be a ${ML_DSA_65_PUBLIC_KEY_BYTES}-byte 0x-prefixed lowercase hex public key`);
  return { ed25519: k.ed25519, ml_dsa_65: k.ml_dsa_65 };
}

/** Optional faster Ed25519 verifier (the server passes node:crypto's); defaults to noble's. */
export type Ed25519Verify = (signature: Uint8Array, input: Uint8Array, publicKey: Uint8Array) => boolean;

const nobleEd25519Verify: Ed25519Verify = (sig, input, pub) => {
  try {
    // zip215: false = RFC 8032 strict verification (canonical encodings), the rule node:crypto (OpenSSL) follows too.
    return ed25519.verify(sig, input, pub, { zip215: false });
  } catch {
    return false;
  }
};

/**
 * ML-DSA-65 verification for hybridVerdict: noble's ml_dsa65.verify, same accept/reject, with the public-key-only
 * work cached per key (lib/crypto/ml-dsa65-verify.ts), since votes come again and again from the same few members.
 * One per module instance, so one per process or verification thread.
 */
const mlDsa65 = createMlDsa65Verifier();

/** What checking both halves found: null when both verify, else the reason code of the first half that fails. */
export type HybridVerdict = null | "BAD_SIGNATURE_ED25519" | "BAD_SIGNATURE_ML_DSA";

/**
 * A signature check run elsewhere (the server's verification threads, server/governance/verify-pool.ts): the same
 * verdict hybridVerdict gives for these arguments, delivered later.
 */
export type HybridSignatureCheck = (signatures: HybridSignatures, input: Uint8Array, keys: HybridPublicKeys) => Promise<HybridVerdict>;

/**
 * Checks both halves and says which fails, without throwing. Ed25519 is checked first (it is cheaper), so a message
 * with both halves bad reports the Ed25519 one.
 */
export function hybridVerdict(
  signatures: HybridSignatures,
  input: Uint8Array,
  keys: HybridPublicKeys,
  edVerify: Ed25519Verify = nobleEd25519Verify,
): HybridVerdict {
  if (!isCanonicalHex(signatures.ed25519, ED25519_SIGNATURE_BYTES) || !edVerify(fromHex(signatures.ed25519), input, fromHex(keys.ed25519))) {
    return "BAD_SIGNATURE_ED25519";
  }
  if (!isCanonicalHex(signatures.ml_dsa_65, ML_DSA_65_SIGNATURE_BYTES)) return "BAD_SIGNATURE_ML_DSA";
  try {
    return mlDsa65.verify(fromHex(signatures.ml_dsa_65), input, fromHex(keys.ml_dsa_65)) ? null : "BAD_SIGNATURE_ML_DSA";
  } catch {
    return "BAD_SIGNATURE_ML_DSA";
  }
}

/** The refusal for a verdict (null: nothing to refuse). */
export function hybridSignatureError(verdict: Exclude<HybridVerdict, null>): AppError {
  return verdict === "BAD_SIGNATURE_ED25519"
    ? new AppError("BAD_SIGNATURE_ED25519", "the Ed25519 signature does not verify against the signer's Ed25519 public key")
    : new AppError("BAD_SIGNATURE_ML_DSA", "the ML-DSA-65 signature does not verify against the signer's ML-DSA-65 public key");
}

/**
 * Verifies both halves; throws AppError("BAD_SIGNATURE_ED25519") or ("BAD_SIGNATURE_ML_DSA") naming the half that
 * fails (hybridVerdict's order: Ed25519 first).
 */
export function hybridVerify(
  signatures: HybridSignatures,
  input: Uint8Array,
  keys: HybridPublicKeys,
  edVerify: Ed25519Verify = nobleEd25519Verify,
): void {
  const verdict = hybridVerdict(signatures, input, keys, edVerify);
  if (verdict) throw hybridSignatureError(verdict);
}
