import { describe, expect, it } from "vitest";
import { createSingleFlight, createSingleFlightPerOwner } from "./single-flight";

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe("single flight", () => {
  it("joins callers of one key to the computation in flight and runs it once", async () => {
    const flights = createSingleFlight<number>();
    const gate = deferred<number>();
    let runs = 0;
    const compute = () => (runs++, gate.promise);
    const all = Promise.all([flights.run("k", compute), flights.run("k", compute), flights.run("k", compute)]);
    expect(flights.size).toBe(1);
    gate.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(runs).toBe(1);
  });

  it("keeps nothing after the flight: the next caller computes afresh", async () => {
    const flights = createSingleFlight<number>();
    let runs = 0;
    expect(await flights.run("k", async () => ++runs)).toBe(1);
    expect(await flights.run("k", async () => ++runs)).toBe(2);
    expect(flights.size).toBe(0);
  });

  it("does not merge different keys", async () => {
    const flights = createSingleFlight<string>();
    const [a, b] = await Promise.all([flights.run("a", async () => "A"), flights.run("b", async () => "B")]);
    expect([a, b]).toEqual(["A", "B"]);
  });

  it("shares a failure with the callers that joined it, then forgets it", async () => {
    const flights = createSingleFlight<number>();
    const gate = deferred<number>();
    const first = flights.run("k", () => gate.promise);
    const second = flights.run("k", async () => 99);
    gate.reject(new Error("database down"));
    await expect(first).rejects.toThrow("database down");
    await expect(second).rejects.toThrow("database down");
    expect(await flights.run("k", async () => 1)).toBe(1);
  });

  it("keeps owners (connection pools) apart", async () => {
    const run = createSingleFlightPerOwner<string>();
    const gate = deferred<string>();
    const one = run({}, "k", () => gate.promise);
    const other = await run({}, "k", async () => "other pool");
    gate.resolve("first pool");
    expect([await one, other]).toEqual(["first pool", "other pool"]);
  });
});
