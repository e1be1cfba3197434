/**
 * Memory probes: what one call allocates, and how much of a loop's wall time goes to garbage-collection pauses.
 *
 * Allocation matters to timings on a small machine: every young-generation collection pauses the main thread, and
 * V8's parallel scavenger needs its helper threads scheduled, which on two shared cores they often are not. A call
 * that allocates megabytes pays for it in every sample, and the cost moves between samples with the collector's
 * rhythm. These probes make that visible instead of leaving it inside "rest".
 *
 * Both use v8.GCProfiler, which reports every collection between start() and stop() synchronously, with the heap
 * before and after: allocation = growth of the used heap + everything the collections in between freed, exact even
 * when the call triggers collections of its own (a 1000-statement validation allocates about half the young
 * generation).
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

let cachedGc: (() => void) | null | undefined;

/** V8's gc(), exposed at run time (the benchmark alone calls it); null when the runtime refuses. */
function forceGc(): (() => void) | null {
  if (cachedGc === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as unknown;
      cachedGc = typeof gc === "function" ? (gc as () => void) : null;
    } catch {
      cachedGc = null;
    }
  }
  return cachedGc;
}

interface GcEvent {
  gcType: string;
  /** Pause in microseconds. */
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

/** Runs `body` under a GC profiler and returns its collections. */
function withGcEvents<T>(body: () => T): { result: T; events: GcEvent[] } {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const result = body();
  const data = profiler.stop() as unknown as { statistics: GcEvent[] } | undefined;
  return { result, events: data?.statistics ?? [] };
}

export interface AllocationPerCall {
  /** Bytes allocated on the JS heap by one call (objects, strings, small typed arrays). */
  heapBytes: number;
  /**
   * Bytes of ArrayBuffer backing stores (outside the JS heap) one call created, from calls during which no
   * collection freed any; null when every attempt saw one.
   */
  arrayBufferBytes: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The median over `runs` single calls of what one call allocates (after a forced collection each). */
export function allocationPerCall(run: () => unknown, runs = 7): AllocationPerCall | null {
  const gc = forceGc();
  if (gc === null) return null;
  for (let i = 0; i < 5; i++) run();
  const heap: number[] = [];
  const buffers: number[] = [];
  // Freed ArrayBuffers are released by a background sweeper, which could subtract earlier calls' buffers in the
  // middle of this one; sweep on the main thread while measuring, and restore the default afterwards.
  v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
  try {
    for (let i = 0; i < runs; i++) {
      gc();
      const usedBefore = v8.getHeapStatistics().used_heap_size;
      const buffersBefore = process.memoryUsage().arrayBuffers;
      const { events } = withGcEvents(run);
      const usedAfter = v8.getHeapStatistics().used_heap_size;
      const buffersAfter = process.memoryUsage().arrayBuffers;
      const freed = events.reduce((sum, e) => sum + (e.beforeGC.heapStatistics.usedHeapSize - e.afterGC.heapStatistics.usedHeapSize), 0);
      heap.push(usedAfter - usedBefore + freed);
      if (events.length === 0) buffers.push(buffersAfter - buffersBefore);
    }
  } finally {
    v8.setFlagsFromString("--concurrent-array-buffer-sweeping");
  }
  return { heapBytes: median(heap), arrayBufferBytes: buffers.length > 0 ? median(buffers) : null };
}

export interface GcShare {
  calls: number;
  wallMs: number;
  /** Collections that ran, and the main thread's total pause in them. */
  collections: number;
  pauseMs: number;
}

/** Runs `run` back to back for `durationMs` and reports the garbage-collection pauses that fell in that time. */
export function gcShare(run: () => unknown, durationMs: number): GcShare {
  let calls = 0;
  const start = performance.now();
  const { events } = withGcEvents(() => {
    while (calls < 3 || performance.now() - start < durationMs) {
      run();
      calls++;
    }
  });
  const wallMs = performance.now() - start;
  return { calls, wallMs, collections: events.length, pauseMs: events.reduce((sum, e) => sum + e.cost, 0) / 1000 };
}
