/** The explorer's address format (see the note in inclusion-proof.test.ts about vitest's include list). */
import { describe, expect, it } from "vitest";

import { explorerHref, parseExplorerParams } from "./explorer-params";

describe("parseExplorerParams", () => {
  it("defaults to the newest page of the canonical chain", () => {
    expect(parseExplorerParams({})).toEqual({ filter: "canonical", problems: [] });
  });

  it("reads a bare height as the whole height: before → below it, after → above it", () => {
    expect(parseExplorerParams({ before: "120" }).before).toEqual({ blockNumber: 120, id: 0 });
    expect(parseExplorerParams({ after: "120" }).after).toEqual({ blockNumber: 120, id: Number.MAX_SAFE_INTEGER });
  });

  it("reads height_id cursors of the views with several blocks per height", () => {
    expect(parseExplorerParams({ filter: "all", before: "120_345" })).toEqual({ filter: "all", before: { blockNumber: 120, id: 345 }, problems: [] });
  });

  it("reports and ignores an unknown filter or a malformed cursor instead of guessing", () => {
    const parsed = parseExplorerParams({ filter: "bogus", before: "12a", after: "-3" });
    expect(parsed.filter).toBe("canonical");
    expect(parsed.before).toBeUndefined();
    expect(parsed.after).toBeUndefined();
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.problems[0]).toContain('Unknown filter "bogus"');
  });

  it("refuses heights beyond PostgreSQL's int4", () => {
    expect(parseExplorerParams({ before: "2147483648" }).problems).toHaveLength(1);
    expect(parseExplorerParams({ before: "2147483647" }).before?.blockNumber).toBe(2147483647);
  });

  it("keeps `before` when both directions are given, and trims the search query", () => {
    const parsed = parseExplorerParams({ before: "5", after: "3", q: "  0xab  " });
    expect(parsed.after).toBeUndefined();
    expect(parsed.query).toBe("0xab");
  });
});

describe("explorerHref", () => {
  it("writes canonical cursors as bare heights and the others as height_id", () => {
    expect(explorerHref("canonical")).toBe("/blocks");
    expect(explorerHref("canonical", { before: { blockNumber: 95, id: 7 } })).toBe("/blocks?before=95");
    expect(explorerHref("invalid", { after: { blockNumber: 95, id: 7 } })).toBe("/blocks?filter=invalid&after=95_7");
  });

  it("round-trips through parseExplorerParams", () => {
    const href = explorerHref("all", { before: { blockNumber: 10, id: 42 } });
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseExplorerParams(params)).toMatchObject({ filter: "all", before: { blockNumber: 10, id: 42 } });
  });
});
