/**
 * The main thread's own CPU clock, from Linux's /proc/self/schedstat (for the thread-group leader, i.e. the thread
 * running JavaScript): nanoseconds on a CPU, and nanoseconds runnable but waiting for one.
 *
 * On a shared two-core machine wall time includes every moment another process held the core. Time on CPU does not,
 * and the wait says how much of a sample was lost to neighbours, so a slow result can be told apart from a busy
 * machine. process.cpuUsage() cannot do this: it adds up all threads, including V8's GC and compiler helpers.
 *
 * The kernel brings these counters up to date at scheduler ticks and context switches, so a single reading lags by
 * up to one tick (4 ms at HZ=250): only totals over many samples are meaningful (bench/harness/measure.ts).
 * Reading costs a few microseconds (one pread on a kept descriptor).
 */
import { closeSync, openSync, readSync } from "node:fs";

export interface ThreadTimes {
  onCpuNs: number;
  waitNs: number;
}

export type ThreadClock = () => ThreadTimes;

let cached: ThreadClock | null | undefined;

/** The reader, or null where /proc/self/schedstat is absent or unreadable (anything but Linux). */
export function linuxThreadClock(): ThreadClock | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const fd = openSync("/proc/self/schedstat", "r");
    const buffer = Buffer.alloc(128);
    const read: ThreadClock = () => {
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      const [onCpu, wait] = buffer.toString("latin1", 0, n).split(" ");
      return { onCpuNs: Number(onCpu), waitNs: Number(wait) };
    };
    const probe = read();
    if (Number.isFinite(probe.onCpuNs) && Number.isFinite(probe.waitNs) && probe.onCpuNs > 0) cached = read;
    else closeSync(fd);
  } catch {
    cached = null;
  }
  return cached;
}
