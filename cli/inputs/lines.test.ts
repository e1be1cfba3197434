import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { splitLines } from "./lines";

describe("splitLines", () => {
  it.each([
    ["", []],
    ["\n", [""]],
    ["a", ["a"]],
    ["a\n", ["a"]],
    ["a\n\n", ["a", ""]],
    ["\na", ["", "a"]],
    ["a\r\nb\r\n", ["a", "b"]],
    ["a\r\n\r\n", ["a", ""]],
    ["a\nb\r\nc", ["a", "b", "c"]],
    ["a\rb\n", ["a\rb"]],
    [" x \n", [" x "]],
  ])("splits %j into %j", (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });

  it("reads back any list of lines written with LF or CRLF terminators, and without the final one", () => {
    const line = fc.string({ unit: fc.constantFrom("a", "b", " ", "é", "\r", "∀") }).filter((l) => !l.endsWith("\r"));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        expect(splitLines(lines.map((l) => l + "\n").join(""))).toEqual(lines);
        expect(splitLines(lines.map((l) => l + "\r\n").join(""))).toEqual(lines);
        if (lines.length > 0 && lines[lines.length - 1] !== "") expect(splitLines(lines.join("\n"))).toEqual(lines);
      }),
    );
  });
});
