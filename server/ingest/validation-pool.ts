/**
 * Ingest validation on every core: a small pool of worker threads that validate a batch's blocks ahead of its
 * transaction, so the main thread is left with reading, SQL and bookkeeping.
 *
 * Why: a profile of `runImportJob` showed the main thread as the limit (validation, mostly hashing, about two thirds
 * of it) while the second core waited whenever PostgreSQL did. Validating a block needs only the block before it,
 * which is in the batch itself, so a batch splits into contiguous chunks that threads validate at the same time, each
 * chunk's first block against the last block of the chunk before (the tip for the first chunk).
 *
 * What does not change: the threads only compute (parse, content id, validation, digests: speculateBlocks in
 * ingest-blocks.ts). prepareBatch then walks the batch in order on the main thread and reuses a thread's result only
 * where the predecessor it assumed is the one the chain really has, and ingestBlocks still decides, writes and
 * advances the import cursor in one transaction per batch, in file order. So order, idempotence and the crash-safe
 * cursor are exactly those of the single-threaded path, and a thread that fails only costs speed: the batch is
 * prepared on the main thread instead.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { parseBlock } from "../../lib/consensus/parse-block";
import { legacyBlockHash } from "../../lib/consensus/block";
import type { Epoch } from "../../lib/consensus/epochs";
import { prepareBatch, type PreparedBatch, type SpeculatedBlock, type TipState } from "./ingest-blocks";

/** One chunk of a batch for one thread. */
export interface ChunkTask {
  id: number;
  /** The chunk's blocks as decoded JSON values, or as their JSON texts (parsed by the thread). */
  raws?: unknown[];
  texts?: string[];
  /** The assumed predecessor of raws[0] (null: none, so only a genesis block is validated ahead). */
  prev: TipState | null;
  epochs: Epoch[];
  now?: number;
}

export type ChunkReply = { id: number; blocks: SpeculatedBlock[] } | { id: number; error: string };

type PrepareContext = { epochs: Epoch[]; tip: TipState | null; suite: HashSuite; now?: number };

type Pending = { resolve: (blocks: SpeculatedBlock[]) => void; reject: (error: Error) => void };

/**
 * Threads to use by default: one per core beyond the main thread's (which reads, parses and writes, about half a
 * core during an import), so main thread, thread(s) and PostgreSQL together fill the cores. On the 2-core machine
 * that is one thread; each thread adds about 40-60 MB to the worker's RSS (stage ingest-memory).
 */
export function defaultValidationThreads(): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return cores > 1 ? Math.min(cores - 1, 8) : 0;
}

export interface BatchPreparer {
  /**
   * prepareBatch's result for `raws`, computed with the pool's threads where it can. `texts`, when given, are the
   * JSON texts `raws` were parsed from (one per block), which are cheaper to send to a thread than the values.
   */
  prepare(raws: readonly unknown[], context: PrepareContext, texts?: readonly string[]): Promise<PreparedBatch>;
  close(): Promise<void>;
}

export class ValidationPool implements BatchPreparer {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken: Error | null = null;
  private warned = false;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on("message", (reply: ChunkReply) => {
        const waiting = this.pending.get(reply.id);
        if (!waiting) return;
        this.pending.delete(reply.id);
        if ("error" in reply) waiting.reject(new Error(reply.error));
        else waiting.resolve(reply.blocks);
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => this.fail(new Error(`a validation thread exited (code ${code})`)));
    }
  }

  /** Starts `threads` threads and waits until each has loaded its hash suite. */
  static async start(threads: number): Promise<ValidationPool> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a validation pool needs at least one thread, got ${threads}`);
    const entry = new URL("./validation-worker.mjs", import.meta.url);
    // Small heaps: a thread holds one chunk of a batch at a time. Without limits each thread's young generation takes
    // the process's (tuneHeapForBulkIngest sets 32 MB semi-spaces), which put the worker's RSS over its 300 MB target.
    const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };
    const workers = Array.from({ length: threads }, () => new Worker(entry, { execArgv: [], resourceLimits }));
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: unknown) => {
                if (m && typeof m === "object" && "ready" in m) {
                  worker.off("message", onMessage);
                  worker.off("error", reject);
                  resolve();
                }
              };
              worker.on("message", onMessage);
              worker.once("error", reject);
            }),
        ),
      );
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new ValidationPool(workers);
  }

  get threads(): number {
    return this.workers.length;
  }

  async prepare(raws: readonly unknown[], context: PrepareContext, texts?: readonly string[]): Promise<PreparedBatch> {
    let speculated: SpeculatedBlock[] | undefined;
    if (!this.broken && raws.length > 1) {
      try {
        speculated = (await Promise.all(this.chunks(raws, context, texts?.length === raws.length ? texts : undefined))).flat();
      } catch (error) {
        // Only speed is lost: the batch is prepared on this thread. Said once, not per batch.
        if (!this.warned) console.warn(`ingest validation threads failed, validating on the main thread: ${error instanceof Error ? error.message : String(error)}`);
        this.warned = true;
      }
    }
    return prepareBatch(raws, context, speculated);
  }

  async close(): Promise<void> {
    this.broken ??= new Error("the validation pool is closed");
    for (const worker of this.workers) worker.removeAllListeners("exit");
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.fail(this.broken);
  }

  /** Splits the batch into one contiguous chunk per thread and sends each off. */
  private chunks(raws: readonly unknown[], context: PrepareContext, texts: readonly string[] | undefined): Promise<SpeculatedBlock[]>[] {
    const count = Math.min(this.workers.length, raws.length);
    const size = Math.ceil(raws.length / count);
    const tasks: Promise<SpeculatedBlock[]>[] = [];
    for (let k = 0, start = 0; start < raws.length; k++, start += size) {
      const prev = start === 0 ? context.tip : assumedPredecessor(raws[start - 1], context.suite);
      const part = texts ? { texts: texts.slice(start, start + size) } : { raws: raws.slice(start, start + size) };
      tasks.push(this.send(this.workers[k], { id: this.nextId++, ...part, prev, epochs: context.epochs, now: context.now }));
    }
    return tasks;
  }

  private send(worker: Worker, task: ChunkTask): Promise<SpeculatedBlock[]> {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.pending.set(task.id, { resolve, reject });
      worker.postMessage(task);
    });
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** The last block of the previous chunk as a tip (null when its header cannot be hashed: nothing is assumed). */
function assumedPredecessor(raw: unknown, suite: HashSuite): TipState | null {
  const { block, malformed } = parseBlock(raw);
  if (malformed.size > 0) return null;
  try {
    return { block, legacyHash: legacyBlockHash(block, suite) };
  } catch {
    return null;
  }
}

/** The single-threaded preparer: prepareBatch on the main thread (one core, or threads turned off). */
export const inlinePreparer: BatchPreparer = {
  prepare: (raws, context) => prepareBatch(raws, context),
  close: async () => undefined,
};

/**
 * A preparer that validates on the main thread until a pool of `threads` has started, then uses it; if the pool
 * cannot start, it says so once and stays on the main thread. So starting threads never delays the first batch.
 */
export function startingPool(threads: number): BatchPreparer {
  let ready: ValidationPool | null = null;
  let closed = false;
  const starting = ValidationPool.start(threads).then(
    async (pool) => {
      if (closed) await pool.close();
      else ready = pool;
    },
    (error: unknown) => console.warn(`ingest validation threads did not start, validating on the main thread: ${error instanceof Error ? error.message : String(error)}`),
  );
  return {
    prepare: (raws, context, texts) => (ready ? ready.prepare(raws, context, texts) : prepareBatch(raws, context)),
    close: async () => {
      closed = true;
      await starting;
      await (ready as ValidationPool | null)?.close();
    },
  };
}
