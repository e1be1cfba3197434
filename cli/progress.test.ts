import { describe, expect, it } from "vitest";
import { createProgress, progressMode } from "./progress";

/** A stderr double with a settable clock. */
function fakeStderr(isTTY: boolean) {
  let written = "";
  let now = 0;
  return {
    stream: { write: (text: string) => void (written += text), isTTY },
    output: () => written,
    clock: { now: () => now, advance: (ms: number) => void (now += ms) },
  };
}

describe("progressMode", () => {
  it("is nothing with --json or for short work, a bar on a terminal, and lines elsewhere only when asked for", () => {
    const tty = { write: () => undefined, isTTY: true };
    const pipe = { write: () => undefined, isTTY: false };
    expect(progressMode(tty, { json: true, long: true, linesWhenNotTTY: true })).toBe("none");
    expect(progressMode(tty, { json: false, long: false, linesWhenNotTTY: true })).toBe("none");
    expect(progressMode(tty, { json: false, long: true, linesWhenNotTTY: false })).toBe("bar");
    expect(progressMode(pipe, { json: false, long: true, linesWhenNotTTY: true })).toBe("lines");
    expect(progressMode(pipe, { json: false, long: true, linesWhenNotTTY: false })).toBe("none");
  });
});

describe("createProgress", () => {
  it("draws a bar in place only after half a second, at most every 100 ms, and erases it at the end", () => {
    const s = fakeStderr(true);
    const progress = createProgress(s.stream, "bar", { label: "verify-chain", unit: "blocks", nowMs: s.clock.now });
    s.clock.advance(400);
    progress.update(400, 1000);
    expect(s.output()).toBe("");
    s.clock.advance(100);
    progress.update(500, 1000);
    expect(s.output()).toBe("\r\x1b[2Kverify-chain [████████████░░░░░░░░░░░░] 50% 500/1000 blocks, 1000 blocks/s, about 1 s left");
    s.clock.advance(50);
    progress.update(550, 1000);
    expect(s.output().split("\r").length).toBe(2); // throttled: no redraw
    progress.finish();
    progress.finish();
    expect(s.output().endsWith("\r\x1b[2K")).toBe(true);
    expect(s.output()).not.toContain("\n");
  });

  it("writes nothing at all, not even the erase, when the work ends before the first draw", () => {
    const s = fakeStderr(true);
    const progress = createProgress(s.stream, "bar", { label: "x", unit: "blocks", nowMs: s.clock.now });
    progress.update(10, 10);
    progress.finish();
    expect(s.output()).toBe("");
  });

  it("writes a plain line per interval when not a terminal, starting one interval in", () => {
    const s = fakeStderr(false);
    const progress = createProgress(s.stream, "lines", { label: "import", unit: "lines", lineIntervalMs: 5000, nowMs: s.clock.now });
    progress.update(100, 4000);
    s.clock.advance(5000);
    progress.update(1000, 4000);
    s.clock.advance(1000);
    progress.update(1200, 4000);
    s.clock.advance(4000);
    progress.update(2000, 4000);
    progress.finish();
    expect(s.output()).toBe("import: 25% 1000/4000 lines, 200 lines/s, about 15 s left\nimport: 50% 2000/4000 lines, 200 lines/s, about 10 s left\n");
  });

  it("writes nothing in mode none", () => {
    const s = fakeStderr(true);
    const progress = createProgress(s.stream, "none", { label: "x", unit: "blocks", nowMs: s.clock.now });
    s.clock.advance(60_000);
    progress.update(1, 2);
    progress.finish();
    expect(s.output()).toBe("");
  });
});
