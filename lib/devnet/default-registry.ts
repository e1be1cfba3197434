/**
 * The devnet's default epoch registry: legacy from genesis, and a dual (v2-dual-required, SHA3-256) epoch scheduled a
 * few hundred blocks in, so a fresh `npm start` shows a real transition within minutes (200 blocks at the default 2 s
 * interval is under 7 minutes).
 */
import { SHA3_256_ID, SHA256_ID } from "../crypto/hash-algorithms";
import { makeEpoch, validateEpochRegistry, type Epoch } from "../consensus/epochs";

export const DEFAULT_DUAL_ACTIVATION_BLOCK = 200;

export function defaultDevnetRegistry(genesisTimestamp: number, dualActivationBlock = DEFAULT_DUAL_ACTIVATION_BLOCK): Epoch[] {
  const epochs = [
    makeEpoch(0, "v1-legacy", SHA256_ID, genesisTimestamp, null, dualActivationBlock - 1),
    makeEpoch(dualActivationBlock, "v2-dual-required", SHA3_256_ID, genesisTimestamp, null),
  ];
  validateEpochRegistry(epochs);
  return epochs;
}
