/**
 * CPU time of a running product, from Linux's /proc (null wherever it cannot see): its Node processes (npm start and
 * everything it spawned: the web server with its verification threads, the worker) and its PostgreSQL backends
 * (the whole embedded cluster, or on a shared server only the backends of the product's database). Read before and
 * after a load phase, it says what one request cost each side, which a busy machine inflates far less than it
 * inflates wall-clock rates: a rate's ceiling on idle cores is cores × 1000 / (CPU ms per request).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { processCpuMs } from "./ingest-probes";

export interface CpuSplit {
  /** The product's Node processes, ms. */
  node: number | null;
  /** Its PostgreSQL processes, ms. */
  database: number | null;
}

function parentMap(): Map<number, number> {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  return parentOf;
}

function treeOf(root: number, parentOf: Map<number, number>): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parentOf) if (parent === out[i]) out.push(child);
  return out;
}

/** The pid listening on 127.0.0.1/0.0.0.0:`port` (TCP), or null. */
export function listeningPid(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the socket's inode.
      if (f.length > 9 && f[3] === "0A" && parseInt(f[1].split(":")[1], 16) === port) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return null;
}

/**
 * A reader of the product's CPU split. `nodePid`: npm start's pid. `postgres`: the port its PostgreSQL listens on, and
 * the database name when the server is shared (then only that database's backends count).
 */
export function productCpuReader(nodePid: number, postgres: { port: number; database?: string } | null): () => CpuSplit {
  const postmaster = postgres ? listeningPid(postgres.port) : null;
  const sum = (pids: number[]) => {
    let total = 0;
    let seen = false;
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== null) {
        total += ms;
        seen = true;
      }
    }
    return seen ? total : null;
  };
  return () => {
    const parentOf = parentMap();
    let databasePids: number[] = [];
    if (postmaster !== null) {
      databasePids = treeOf(postmaster, parentOf);
      if (postgres?.database) {
        // A shared server: its backends' titles read "postgres: <user> <database> <client> <state>".
        const name = ` ${postgres.database} `;
        databasePids = databasePids.filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").includes(name);
          } catch {
            return false;
          }
        });
      }
    }
    // An embedded cluster may run under npm start's tree: its processes count as the database's, not Node's.
    const postgresTree = new Set(postmaster === null ? [] : treeOf(postmaster, parentOf));
    const nodePids = treeOf(nodePid, parentOf).filter((pid) => !postgresTree.has(pid));
    return { node: sum(nodePids), database: postmaster === null ? null : sum(databasePids) };
  };
}
