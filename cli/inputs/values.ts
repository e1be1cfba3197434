/**
 * Flag values with a domain meaning: hash algorithms and 32-byte hashes, parsed once here for every command.
 */
import { AppError } from "../../lib/errors";
import { describeValue, fromUserHex } from "../../lib/encoding/hex";
import { DIGEST_BYTES, parseAlgorithm, type HashAlgorithm, type HashSuite } from "../../lib/crypto/hash-algorithms";
import { withContext } from "./with-context";

/** The implementation of the algorithm named by `--algorithm` (sha-256, SHA256, sha3-256, blake3, ...). */
export function algorithmFlag(text: string, suite: HashSuite, where = "--algorithm"): HashAlgorithm {
  return withContext(where, () => suite.get(parseAlgorithm(text).id));
}

/** A 32-byte hash typed by a person (optional 0x, either case); `where` names the flag or field for the message. */
export function hashValue(text: string, where: string): Uint8Array {
  const bytes = withContext(where, () => fromUserHex(text));
  if (bytes.length !== DIGEST_BYTES) {
    throw new AppError("MALFORMED_HEX", `${where}: expected a ${DIGEST_BYTES}-byte hash (${DIGEST_BYTES * 2} hex digits), got ${bytes.length} bytes in ${describeValue(text)}`);
  }
  return bytes;
}

/** The --algorithm flag as every command declares it. */
export const ALGORITHM_FLAG = {
  kind: "string",
  value: "ALG",
  required: true,
  description: "hash algorithm: SHA-256, SHA3-256 or BLAKE3 (any case, hyphen optional: sha256, sha3-256, blake3)",
} as const;
