/** Display formats (see the note in components/blocks/inclusion-proof.test.ts about vitest's include list). */
import { describe, expect, it } from "vitest";

import { formatDuration, formatUnixSeconds, pluralBlocks, shortHash } from "./format";

describe("shortHash", () => {
  it("keeps the prefix and both ends of a long hash", () => {
    expect(shortHash("0x" + "ab".repeat(32))).toBe("0xababab…ababab");
  });
  it("leaves short values alone and shows absence as a dash", () => {
    expect(shortHash("0x1234")).toBe("0x1234");
    expect(shortHash(null)).toBe("—");
  });
});

describe("formatDuration", () => {
  it("picks the unit by size", () => {
    expect(formatDuration(0.44)).toBe("0.4 s");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(180)).toBe("3 min");
    expect(formatDuration(7500)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe("3 d 4 h");
  });
  it("shows a dash for values that are not durations", () => {
    expect(formatDuration(-1)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});

describe("formatUnixSeconds and pluralBlocks", () => {
  it("formats in UTC, independent of the machine's zone", () => {
    expect(formatUnixSeconds(1_700_000_000)).toBe("2023-11-14 22:13:20 UTC");
  });
  it("agrees in number", () => {
    expect(pluralBlocks(1)).toBe("1 block");
    expect(pluralBlocks(1200)).toBe("1,200 blocks");
  });
});
