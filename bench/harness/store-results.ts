/**
 * Storing `npm run bench` results in PostgreSQL (server/bench/bench-database.ts decides whether a database is
 * reachable). Storage is a convenience beside the files: a database that is missing or fails never fails the bench,
 * it costs one line on stderr saying the run was kept in files only.
 */
import { randomUUID } from "node:crypto";
import type { BenchResultDocument } from "../../lib/bench/bench-result";

export interface ResultStore {
  /** Stores one stage result; returns the row id, or null when it was kept in files only. */
  store(doc: BenchResultDocument): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * A store for one invocation: every stage result it stores shares one run id. The database is opened on the first
 * store (after the first stage, so a run's timings are never taken while migrations run) and only once.
 */
export function createResultStore(log: (line: string) => void, runId: string = randomUUID()): ResultStore {
  let opened: Promise<{ insert: (doc: BenchResultDocument) => Promise<string>; close: () => Promise<void> } | null> | null = null;
  let warned = false;
  const open = () =>
    (opened ??= (async () => {
      // Loaded on demand: --help and --list need no pg.
      const [{ openBenchDatabase }, { insertBenchRun }] = await Promise.all([
        import("../../server/bench/bench-database"),
        import("../../server/bench/bench-run-repository"),
      ]);
      const db = await openBenchDatabase();
      if (db.pool === null) {
        log(`bench: no database (${db.reason}): the run was kept in files only`);
        warned = true;
        return null;
      }
      const pool = db.pool;
      return { insert: async (doc: BenchResultDocument) => (await insertBenchRun(pool, runId, doc)).id, close: db.close };
    })());
  return {
    async store(doc) {
      const db = await open();
      if (!db) return null;
      try {
        return await db.insert(doc);
      } catch (error) {
        if (!warned) log(`bench: could not store the result in the database (${(error as Error).message.split("\n")[0]}): the run was kept in files only`);
        warned = true;
        return null;
      }
    },
    async close() {
      const db = await opened;
      await db?.close().catch(() => undefined);
    },
  };
}
