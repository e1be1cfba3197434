/**
 * ml-dsa-ntt.ts must equal @noble/post-quantum's ML-DSA NTT coefficient for coefficient (the order matters: ML-DSA
 * samples Â directly in NTT form), on random inputs across the whole documented range (|x| < q) and its extremes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nobleMlDsaCrystals, nttForward, nttInverse } from "./ml-dsa-ntt";

const Q = 8380417;
const { NTT, mod } = nobleMlDsaCrystals;

const polyArb = fc
  .array(fc.oneof(fc.integer({ min: -(Q - 1), max: Q - 1 }), fc.constantFrom(0, 1, -1, Q - 1, -(Q - 1), (Q - 1) / 2, -(Q + 1) / 2)), {
    minLength: 256,
    maxLength: 256,
  })
  .map((a) => Int32Array.from(a));

const extremes: Int32Array[] = [
  new Int32Array(256),
  new Int32Array(256).fill(Q - 1),
  new Int32Array(256).fill(-(Q - 1)),
  Int32Array.from({ length: 256 }, (_, i) => (i % 2 ? Q - 1 : -(Q - 1))),
  ...[0, 1, 127, 128, 255].map((k) => Int32Array.from({ length: 256 }, (_, i) => (i === k ? 1 : 0))),
];

describe("nttForward", () => {
  it("equals noble's NTT.encode on extreme inputs", () => {
    for (const p of extremes) expect(nttForward(p.slice())).toEqual(NTT.encode(p.slice()));
  });
  it("equals noble's NTT.encode on random inputs with |x| < q", () => {
    fc.assert(
      fc.property(polyArb, (p) => {
        expect(nttForward(p.slice())).toEqual(NTT.encode(p.slice()));
      }),
      { numRuns: 300 },
    );
  });
});

describe("nttInverse", () => {
  it("equals noble's NTT.decode on extreme inputs", () => {
    for (const p of extremes) expect(nttInverse(p.slice())).toEqual(NTT.decode(p.slice()));
  });
  it("equals noble's NTT.decode on random inputs with |x| < q, and undoes nttForward", () => {
    fc.assert(
      fc.property(polyArb, (p) => {
        expect(nttInverse(p.slice())).toEqual(NTT.decode(p.slice()));
        expect(nttInverse(nttForward(p.slice()))).toEqual(p.map((x) => mod(x)));
      }),
      { numRuns: 300 },
    );
  });
});
