/**
 * Ed25519 verification through node:crypto (OpenSSL), several times faster than the pure-JS verifier; lib/'s
 * hybridVerify takes it as an injected function and still checks the ML-DSA half itself.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { Ed25519Verify } from "../../lib/governance/hybrid-keys";

// DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const keyCache = new Map<string, KeyObject>();

export const nodeEd25519Verify: Ed25519Verify = (signature, input, publicKey) => {
  try {
    const id = Buffer.from(publicKey).toString("hex");
    let key = keyCache.get(id);
    if (!key) {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(id, key);
    }
    return verify(null, input, key, signature);
  } catch {
    return false;
  }
};
