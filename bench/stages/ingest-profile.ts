/**
 * Where an import's main-thread time goes: a V8 CPU profile (node:inspector) around one extra runImportJob, reduced
 * to self time per category (hashing, consensus code, ingest code, the pg driver, GC, and "idle": the event loop
 * waiting, i.e. for PostgreSQL) and inclusive time of the functions that matter. The profiled run is not one of the
 * timed rounds: the profiler slows JavaScript by several percent.
 */
import { Session } from "node:inspector/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  pct: number;
}

export interface ImportProfile {
  wallMs: number;
  /** Self time per category, largest first. */
  categories: ProfileShare[];
  /** Inclusive time of selected functions (each counted once per stack). */
  functions: ProfileShare[];
  /** Functions with the most self time (hashing's wasm functions appear as wasm-function[n]). */
  top: ProfileShare[];
}

/** Functions whose inclusive time the report lists, with what they stand for. */
const WATCHED: Record<string, string> = {
  prepareBatch: "prepareBatch (parse, content id, validation; overlaps the previous batch's SQL)",
  validateBlock: "  validateBlock",
  merkleRootOfPrefixedLeaves: "    Merkle roots (SHA-256 and SHA3-256 trees)",
  blockContentId: "  blockContentId",
  parseBlock: "  parseBlock",
  readNdjsonLines: "readNdjsonLines (file reading, UTF-8 decoding)",
  parseNdjsonLine: "parseNdjsonLine (JSON.parse)",
  ingestInTransaction: "ingestInTransaction (JS inside the batch's transaction)",
  insertRows: "  insertRows (unnest arrays, COPY text)",
  admissionRefusal: "admissionRefusal (re-checked inside ingestBlocks)",
};

function category(url: string, name: string): string {
  if (name === "(idle)") return "idle: event loop waiting (PostgreSQL, I/O)";
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(program)") return "V8/native outside JS";
  if (url.startsWith("wasm://") || url.includes("hash-wasm") || url.includes("/lib/crypto/")) return "hashing (wasm + JS wrappers)";
  if (url.includes("/lib/consensus/") || url.includes("/lib/encoding/")) return "lib/consensus + lib/encoding (encoding, validation logic)";
  if (url.includes("/lib/ingest/")) return "lib/ingest (admission)";
  if (url.includes("/server/")) return "server/ (ingest, import, NDJSON reader)";
  if (url.includes("node_modules/pg")) return "pg driver";
  if (url.startsWith("node:") || url === "") return "Node built-ins (JSON.parse, TextDecoder/Encoder, streams, sockets)";
  return "other";
}

function share(name: string, us: number, totalUs: number): ProfileShare {
  return { name, ms: us / 1000, pct: (us / totalUs) * 100 };
}

export function analyzeProfile(profile: CpuProfile, wallMs: number): ImportProfile {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0) || 1;

  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url } = nodes.get(id)!.callFrame;
    const cat = category(url, functionName);
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + us);
    const where = url.replace(/^.*\/(lib|server|node_modules)\//, "$1/").replace(/^file:\/\//, "");
    const key = `${functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }

  // Inclusive time: each watched function once per stack (recursion and re-entry not double counted).
  const inclusiveMemo = new Map<number, number>();
  const inclusive = (id: number): number => {
    let v = inclusiveMemo.get(id);
    if (v === undefined) {
      v = (self.get(id) ?? 0) + (nodes.get(id)!.children ?? []).reduce((a, c) => a + inclusive(c), 0);
      inclusiveMemo.set(id, v);
    }
    return v;
  };
  const watched = new Map<string, number>();
  const walk = (id: number, onStack: ReadonlySet<string>) => {
    const name = nodes.get(id)!.callFrame.functionName;
    let stack = onStack;
    if (Object.hasOwn(WATCHED, name) && !onStack.has(name)) {
      watched.set(name, (watched.get(name) ?? 0) + inclusive(id));
      stack = new Set(onStack).add(name);
    }
    for (const c of nodes.get(id)!.children ?? []) walk(c, stack);
  };
  walk(profile.nodes[0].id, new Set());

  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => share(k, us, totalUs));
  return {
    wallMs,
    categories: sorted(byCategory),
    functions: Object.keys(WATCHED).filter((k) => watched.has(k)).map((k) => share(WATCHED[k], watched.get(k)!, totalUs)),
    top: sorted(byFunction).filter((s) => !s.name.startsWith("(idle)")).slice(0, 12),
  };
}

/** Runs `body` under the V8 CPU profiler (1 ms sampling) and analyzes the profile. */
export async function profileRun<T>(body: () => Promise<T>): Promise<{ result: T; profile: ImportProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 1000 });
    await session.post("Profiler.start");
    const t0 = performance.now();
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await body() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const wallMs = performance.now() - t0;
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.value, profile: analyzeProfile(profile, wallMs) };
  } finally {
    session.disconnect();
  }
}
