import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { describeRateLimit, parseRateLimit, rateLimitVerdict, windowStartMs } from "./rate-limit-policy";

describe("parseRateLimit", () => {
  it("reads <requests>/<seconds>, a bare number per minute, and 0 as unlimited", () => {
    expect(parseRateLimit("120/60")).toEqual({ limit: 120, windowSeconds: 60 });
    expect(parseRateLimit(" 5 / 1s ")).toEqual({ limit: 5, windowSeconds: 1 });
    expect(parseRateLimit("30")).toEqual({ limit: 30, windowSeconds: 60 });
    expect(parseRateLimit("0")).toEqual({ limit: 0, windowSeconds: 60 });
  });

  it("refuses anything else, saying what it expected", () => {
    for (const bad of ["", "-1", "ten", "10/0", "10/86401", "1.5/60", "10/60/2"]) {
      expect(() => parseRateLimit(bad), bad).toThrow(/expected|window/);
    }
  });
});

describe("describeRateLimit", () => {
  it("says the limit in words", () => {
    expect(describeRateLimit({ limit: 1, windowSeconds: 60 })).toBe("1 request per 60 s");
    expect(describeRateLimit({ limit: 0, windowSeconds: 60 })).toBe("unlimited");
  });
});

describe("windowStartMs", () => {
  it("aligns windows to multiples of their length", () => {
    expect(windowStartMs(125_500, 60)).toBe(120_000);
    expect(windowStartMs(120_000, 60)).toBe(120_000);
  });

  it("contains the moment it is computed for (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 1, max: 86_400 }), (now, seconds) => {
        const start = windowStartMs(now, seconds);
        return start <= now && now < start + seconds * 1000;
      }),
    );
  });
});

describe("rateLimitVerdict", () => {
  const limit = { limit: 3, windowSeconds: 60 };

  it("allows up to the limit and refuses the next, with Retry-After at the window's end", () => {
    expect(rateLimitVerdict(limit, 3, 0, 10_000)).toEqual({ allowed: true, limit: 3, remaining: 0, retryAfterSeconds: 50 });
    expect(rateLimitVerdict(limit, 4, 0, 10_000)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 50 });
    expect(rateLimitVerdict(limit, 1, 0, 10_000).remaining).toBe(2);
  });

  it("never asks to wait less than a second", () => {
    expect(rateLimitVerdict(limit, 9, 0, 59_999).retryAfterSeconds).toBe(1);
  });

  it("always allows when unlimited", () => {
    expect(rateLimitVerdict({ limit: 0, windowSeconds: 60 }, 1e9, 0, 0).allowed).toBe(true);
  });
});
