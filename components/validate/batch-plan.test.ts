import { describe, expect, it } from "vitest";
import { EPOCHS_ALL_VERSIONS } from "@/lib/consensus/test-chains";
import { FIXTURE_CHAIN } from "@/lib/consensus/violation-fixtures";
import { utf8Length } from "@/lib/validation/block-input";
import { planBatches } from "./batch-plan";

const lines = FIXTURE_CHAIN.map((_, i) => i + 1);

describe("planBatches", () => {
  it("splits by block count, chaining each request to the last block of the one before", () => {
    const plan = planBatches(FIXTURE_CHAIN, { maxBlocks: 10, maxBytes: 1 << 20, registryJson: null, lines });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.batches.map((b) => [b.start, b.end, b.predecessor])).toEqual([
      [0, 10, "node-default"],
      [10, 20, "inline"],
      [20, 25, "inline"],
    ]);
    const second = JSON.parse(plan.batches[1].body);
    expect(second.predecessor.block).toEqual(FIXTURE_CHAIN[9]);
    expect(second.blocks).toEqual(FIXTURE_CHAIN.slice(10, 20));
    expect(JSON.parse(plan.batches[0].body)).toEqual({ blocks: FIXTURE_CHAIN.slice(0, 10) });
  });

  it("keeps every request within the byte limit, counting the predecessor and the registry", () => {
    const registryJson = JSON.stringify(EPOCHS_ALL_VERSIONS);
    const maxBytes = 3000;
    const plan = planBatches(FIXTURE_CHAIN, { maxBytes, registryJson, lines });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.batches.length).toBeGreaterThan(3);
    for (const b of plan.batches) {
      expect(utf8Length(b.body)).toBeLessThanOrEqual(maxBytes);
      expect(JSON.parse(b.body).registry).toEqual(EPOCHS_ALL_VERSIONS);
    }
    expect(plan.batches.map((b) => b.end - b.start).reduce((a, n) => a + n, 0)).toBe(25);
  });

  it("says no predecessor after a block whose header is malformed", () => {
    const blocks = [FIXTURE_CHAIN[0], { ...FIXTURE_CHAIN[1], prev_hash: "0xbad" }, FIXTURE_CHAIN[2]];
    const plan = planBatches(blocks, { maxBlocks: 2, maxBytes: 1 << 20, registryJson: null, lines });
    if (!plan.ok) throw new Error(plan.message);
    expect(JSON.parse(plan.batches[1].body).predecessor).toBeNull();
  });

  it("refuses a block too large for any request, naming its line", () => {
    const big = { ...FIXTURE_CHAIN[3], statements: ["x".repeat(5000)] };
    const plan = planBatches([FIXTURE_CHAIN[2], big], { maxBytes: 4096, registryJson: null, lines: [1, 7] });
    expect(plan).toMatchObject({ ok: false, line: 7, message: expect.stringMatching(/^the block on line 7 is \d\.\d KiB; .* \(4 KiB, MATHLEDGER_MAX_PUSH_BYTES\)$/) });
  });
});
