import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue";
import { createPrng } from "./prng";

describe("EventQueue", () => {
  it("pops each event no earlier than the one before it while pushes and pops interleave (heap growth and slot reuse)", () => {
    const q = new EventQueue(16);
    const r = createPrng(7);
    let now = 0;
    let pushed = 0;
    let popped = 0;
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 40; k++, pushed++) q.push(now + Math.floor(r.next() * 100), 1, pushed, 0, 0);
      for (let k = 0; k < 30 && q.pop(); k++, popped++) {
        expect(q.now).toBeGreaterThanOrEqual(now);
        now = q.now;
      }
    }
    while (q.pop()) popped++;
    expect(popped).toBe(pushed);
  });

  it("is a stable priority queue: a full drain is sorted by (time, push order)", () => {
    const q = new EventQueue(4);
    const r = createPrng(11);
    const items = Array.from({ length: 5000 }, (_, i) => ({ t: Math.floor(r.next() * 500), i }));
    for (const it of items) q.push(it.t, 2, it.i, it.t, 0);
    const out: number[] = [];
    while (q.pop()) {
      expect(q.kind).toBe(2);
      expect(q.b).toBe(q.now);
      out.push(q.a);
    }
    expect(out).toEqual([...items].sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i));
    expect(q.length).toBe(0);
    expect(q.pop()).toBe(false);
  });

  it("refuses a time that is not finite", () => {
    expect(() => new EventQueue().push(Number.NaN, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => new EventQueue().push(Infinity, 0, 0, 0, 0)).toThrow(RangeError);
  });
});
