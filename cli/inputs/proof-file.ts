/**
 * Proof files: the JSON document `merkle-proof --json` prints (ProofDocument in commands/merkle-proof.ts), read back by
 * `verify-proof --proof-file`. Every field is optional here, since flags may supply or override it; a field that is
 * present must have the right type (else INVALID_INPUT, exit 2). Unknown fields are ignored, so the format can grow.
 */
import { AppError } from "../../lib/errors";
import { describeValue, fromUserHex } from "../../lib/encoding/hex";
import { algorithmInfo, parseAlgorithm, type HashAlgorithmInfo } from "../../lib/crypto/hash-algorithms";
import { readJsonObjectFile } from "./block-files";
import { hashValue } from "./values";
import { withContext } from "./with-context";

/** The fields of a proof file, decoded. */
export interface ProofFileFields {
  algorithm?: HashAlgorithmInfo;
  leaf?: Uint8Array;
  leafHash?: Uint8Array;
  leafIndex?: number;
  treeSize?: number;
  auditPath?: Uint8Array[];
  root?: Uint8Array;
}

export async function readProofFile(path: string, cwd: string): Promise<ProofFileFields> {
  const label = `proof file ${path}`;
  const raw = await readJsonObjectFile({ path, label: "proof file" }, cwd);
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;
  const bad = (key: string, expected: string) =>
    new AppError("INVALID_INPUT", `${label}: ${key} must be ${expected}, got ${describeValue(raw[key])}`);
  const str = (key: string, expected: string): string => {
    if (typeof raw[key] !== "string") throw bad(key, expected);
    return raw[key] as string;
  };
  const uint = (key: string): number => {
    const v = raw[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw bad(key, "a non-negative integer");
    return v;
  };

  const out: ProofFileFields = {};
  if (has("algorithm")) out.algorithm = withContext(`${label}: algorithm`, () => parseAlgorithm(str("algorithm", "an algorithm name")));
  if (has("algorithm_id")) {
    const byId = withContext(`${label}: algorithm_id`, () => algorithmInfo(uint("algorithm_id")));
    if (out.algorithm && out.algorithm.id !== byId.id) {
      throw new AppError("INVALID_INPUT", `${label}: algorithm ${out.algorithm.name} and algorithm_id ${byId.id} (${byId.name}) disagree`);
    }
    out.algorithm = byId;
  }
  if (has("leaf")) out.leaf = withContext(`${label}: leaf`, () => fromUserHex(str("leaf", "hex")));
  if (has("leaf_hash")) out.leafHash = hashValue(str("leaf_hash", "a 32-byte hash as hex"), `${label}: leaf_hash`);
  if (has("leaf_index")) out.leafIndex = uint("leaf_index");
  if (has("tree_size")) out.treeSize = uint("tree_size");
  if (has("root")) out.root = hashValue(str("root", "a 32-byte hash as hex"), `${label}: root`);
  if (has("audit_path")) {
    const path = raw.audit_path;
    if (!Array.isArray(path)) throw bad("audit_path", "an array of 32-byte hashes as hex");
    out.auditPath = path.map((h, i) => {
      if (typeof h !== "string") throw new AppError("INVALID_INPUT", `${label}: audit_path[${i}] must be a hash as hex, got ${describeValue(h)}`);
      return hashValue(h, `${label}: audit_path[${i}]`);
    });
  }
  return out;
}
