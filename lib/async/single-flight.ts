/**
 * Request coalescing ("single flight", as Go's golang.org/x/sync/singleflight, nginx's proxy_cache_lock or Varnish's
 * request coalescing): while a computation for a key is in flight, later callers for the same key wait for it
 * instead of starting their own. Nothing is kept once it settles, so no caller ever sees a result computed before it
 * asked, except by the duration of the one flight it joined.
 *
 * Why: fifty dashboards polling the chain status at once would otherwise run fifty identical sets of queries through
 * a connection pool of five; with coalescing they share one (issue 6 §5, 50 concurrent connections).
 */
export interface SingleFlight<V> {
  /** Runs `compute` unless a flight for `key` is already running, in which case its promise is returned. */
  run(key: string, compute: () => Promise<V>): Promise<V>;
  /** Flights in progress (for tests). */
  readonly size: number;
}

export function createSingleFlight<V>(): SingleFlight<V> {
  const flights = new Map<string, Promise<V>>();
  return {
    run(key, compute) {
      const running = flights.get(key);
      if (running) return running;
      // Removed on settle, success or failure: a failed flight must not poison the next caller.
      const flight = Promise.resolve()
        .then(compute)
        .finally(() => flights.delete(key));
      flights.set(key, flight);
      return flight;
    },
    get size() {
      return flights.size;
    },
  };
}

/**
 * Coalescing per owner object (a connection pool): flights against different databases never merge. The map is
 * weak, so an ended pool and its (empty) flight table can be collected.
 */
export function createSingleFlightPerOwner<V>(): (owner: object, key: string, compute: () => Promise<V>) => Promise<V> {
  const byOwner = new WeakMap<object, SingleFlight<V>>();
  return (owner, key, compute) => {
    let flights = byOwner.get(owner);
    if (!flights) byOwner.set(owner, (flights = createSingleFlight<V>()));
    return flights.run(key, compute);
  };
}
