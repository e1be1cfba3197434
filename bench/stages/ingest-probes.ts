/**
 * Process probes for the ingest stages (Linux /proc; every probe returns null where it cannot see):
 *   - the CPU time PostgreSQL's backends of one database spent, so a run can say how its time split between Node and
 *     the database (works when the server runs on this machine, as the embedded one does);
 *   - the resident set size of a process (VmRSS), for the worker memory stage.
 */
import { readFileSync } from "node:fs";
import type pg from "pg";

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on every Linux this runs on). */
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of a process (every thread of it) in ms, or null when it is gone or not visible. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

/** CPU ms of each server backend connected to the pool's database, by pid; null when none is visible here. */
export async function backendCpu(pool: pg.Pool): Promise<Map<number, number> | null> {
  const { rows } = await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = processCpuMs(Number(pid));
    if (ms !== null) out.set(Number(pid), ms);
  }
  return out.size > 0 ? out : null;
}

/**
 * CPU ms the database's backends spent between two snapshots (backends that appeared meanwhile count from zero;
 * one that exited meanwhile is lost, so this is a lower bound). Null when either snapshot saw nothing.
 */
export function backendCpuDelta(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (after === null) return null;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before?.get(pid) ?? 0);
  return total;
}

/** VmRSS of `pid` in MB (2^20 bytes), or null when the process is gone. */
export function residentMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Least-squares slope of y over x (null with fewer than two distinct x). */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  return sxx === 0 ? null : sxy / sxx;
}
