import { describe, expect, it } from "vitest";
import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { inclusionProof } from "../../lib/consensus/merkle";
import { auditPathLength } from "./verify-proof";

describe("auditPathLength", () => {
  it("equals the length of the proof lib/consensus/merkle.ts builds, for every leaf of trees of 1..40 leaves", () => {
    const sha256 = nobleHashSuite.get(0);
    for (let size = 1; size <= 40; size++) {
      const leaves = Array.from({ length: size }, (_, i) => Uint8Array.of(i));
      for (let index = 0; index < size; index++) {
        expect(auditPathLength(index, size), `leaf ${index} of ${size}`).toBe(inclusionProof(sha256, leaves, index).path.length);
      }
    }
  });
});
