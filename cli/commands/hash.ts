/**
 * `mathledger-cli hash`: the digest of some bytes under one registered algorithm (lib/crypto/hash-algorithms.ts).
 */
import { fromUserHex, toHex } from "../../lib/encoding/hex";
import { defineCommand } from "../command";
import { ALGORITHM_FLAG, algorithmFlag } from "../inputs/values";
import { withContext } from "../inputs/with-context";

export const hashCommand = defineCommand({
  name: "hash",
  summary: "print the digest of hex-encoded bytes",
  description:
    "Hashes the bytes given as hex with one algorithm and prints the 32-byte digest as 0x-prefixed lowercase hex. " +
    'The input is raw bytes (no Merkle prefix): "616263" is the three bytes of "abc", and an empty --hex is the empty input.',
  flags: {
    algorithm: ALGORITHM_FLAG,
    hex: { kind: "string", value: "HEX", required: true, description: "the bytes to hash, as hex (optional 0x, either case, whole bytes)" },
  },
  examples: ["mathledger-cli hash --algorithm sha3-256 --hex 616263", "mathledger-cli hash --algorithm blake3 --hex 0x616263 --json"],
  async run(flags, context) {
    const alg = algorithmFlag(flags.algorithm, await context.hashSuite());
    const data = withContext("--hex", () => fromUserHex(flags.hex));
    const digest = toHex(alg.digest(data));
    return {
      outcome: "ok",
      json: { algorithm: alg.name, algorithm_id: alg.id, input_bytes: data.length, digest },
      text: digest,
    };
  },
});
