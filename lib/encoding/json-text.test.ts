import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { depthExceededAt, describeJsonTextError, lineColumnAt, locateJsonError, parseJsonText } from "./json-text";

const errorOf = (text: string) => {
  const r = parseJsonText(text);
  if (r.ok) throw new Error("expected an error");
  return describeJsonTextError(r.error);
};

describe("parseJsonText", () => {
  it("parses valid JSON, ignoring a leading byte order mark", () => {
    expect(parseJsonText('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseJsonText('\ufeff[true]')).toEqual({ ok: true, value: [true] });
  });

  it("says on which line and column the first syntax error is, and why", () => {
    expect(errorOf('{\n  "a": 1\n  "b": 2\n}')).toBe("line 3, column 3: unexpected \"\\\"\": expected ',' or '}' after an object member");
    expect(errorOf("[1, 2,]")).toMatch(/^line 1, column 7: a trailing comma before '\]'/);
    expect(errorOf("{'a': 1}")).toMatch(/^line 1, column 2: unexpected "'": expected a member name in double quotes/);
    expect(errorOf('{"a": 01}')).toMatch(/^line 1, column 8: malformed number/);
    expect(errorOf('{"a": "x\ny"}')).toMatch(/^line 1, column 9: a string is not closed before the end of the line/);
    expect(errorOf("")).toMatch(/empty/);
    expect(errorOf('{"a":1}\n{"b":2}')).toMatch(/^line 2, column 1: unexpected "\{" after the end of the JSON value/);
    expect(errorOf("[nul]")).toMatch(/did you mean null/);
  });

  it("refuses nesting deeper than the limit, at the bracket that goes too deep", () => {
    const deep = "[".repeat(70) + "]".repeat(70);
    expect(errorOf(deep)).toBe("line 1, column 65: nested more than 64 levels deep (the limit)");
    expect(parseJsonText("[".repeat(64) + "]".repeat(64)).ok).toBe(true);
    expect(depthExceededAt('["[[[[", []]', 1)).toBe(9);
  });

  it("never throws and locates an error for any text JSON.parse refuses (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const r = parseJsonText(text);
        if (valid && text.trim() !== "") expect(r.ok).toBe(true);
        if (!valid) {
          expect(r.ok).toBe(false);
          const { offset } = locateJsonError(text.replace(/^\ufeff/, ""));
          expect(offset).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("lineColumnAt", () => {
  it("counts lines from 1 and columns from 1", () => {
    expect(lineColumnAt("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
