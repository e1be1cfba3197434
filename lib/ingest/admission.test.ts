import { describe, expect, it } from "vitest";
import { admissionRefusal, parseNdjsonLine } from "./admission";
import { validateBlock } from "../consensus/validate-block";
import { makeEpoch } from "../consensus/epochs";
import { sealBlock } from "../consensus/seal-block";

const epochs = [makeEpoch(0, "v2-dual-required", 1, 0)];
const genesis = sealBlock({ statements: ["1 + 1 = 2"], epochs, timestamp: 10 });

describe("admissionRefusal", () => {
  it("admits valid blocks and blocks that only break consensus rules", () => {
    expect(admissionRefusal(genesis)).toBeNull();
    const tampered = { ...genesis, statements: ["1 + 1 = 3"] };
    expect(validateBlock(tampered, { epochs }).violations.length).toBeGreaterThan(0);
    expect(admissionRefusal(tampered)).toBeNull();
  });
  it("refuses wrong types and unknown algorithms, saying why", () => {
    expect(admissionRefusal({ ...genesis, block_number: "zero" })).toMatch(/block_number must be a non-negative integer, got "zero"/);
    expect(admissionRefusal({ ...genesis, pq_algorithm: 9 })).toMatch(/0x09 is not a registered hash algorithm/);
    expect(admissionRefusal("a string")).toMatch(/block must be a JSON object/);
    expect(admissionRefusal({ ...genesis, statements: ["ok", "a\u0000b"] })).toMatch(/statements\[1\] contains a NUL character/);
  });
});

describe("admissionRefusal: the node's storage bound", () => {
  it("refuses heights above 2^31 - 1 (valid in consensus, beyond the node's integer columns) and admits the bound itself", () => {
    expect(admissionRefusal({ ...genesis, block_number: 2 ** 31 })).toMatch(/block_number 2147483648 is above 2147483647, the largest height this node can store/);
    expect(admissionRefusal({ ...genesis, block_number: Number.MAX_SAFE_INTEGER })).toMatch(/the largest height this node can store/);
    expect(admissionRefusal({ ...genesis, block_number: 2 ** 31 - 1 })).toBeNull();
  });
});

describe("parseNdjsonLine", () => {
  it("skips blank lines, parses JSON, and explains broken JSON", () => {
    expect(parseNdjsonLine("   ")).toBeNull();
    expect(parseNdjsonLine('{"a":1}\r')).toEqual({ value: { a: 1 } });
    const bad = parseNdjsonLine("{oops");
    expect(bad && "error" in bad && bad.error).toMatch(/^not valid JSON/);
  });
});
