import { describe, expect, it } from "vitest";
import { formatJsonError, oneLine } from "./output";

describe("oneLine", () => {
  it("escapes line breaks and control characters, so a message is always one line", () => {
    expect(oneLine("a\nb\r\tc\u0000d\u2028e\u009b")).toBe("a\\nb\\r\\tc\\u0000d\\u2028e\\u009b");
  });
  it("cuts long messages with an ellipsis", () => {
    expect(oneLine("x".repeat(1000), 10)).toBe("xxxxxxx...");
  });
});

describe("formatJsonError", () => {
  it("prints the error as one JSON document with code, message and exit code", () => {
    expect(JSON.parse(formatJsonError("USAGE", "bad\nflag", 2))).toEqual({ error: { code: "USAGE", message: "bad\\nflag", exit_code: 2 } });
  });
});
