/**
 * Hybrid signature verification on every core: a pool of worker threads that check the Ed25519 and ML-DSA-65 halves
 * of incoming governance envelopes, so the web server's one JavaScript thread is left with HTTP, parsing and SQL.
 *
 * Why: one ML-DSA-65 verify (pure JS, @noble/post-quantum) costs about 2 ms; on the request thread it capped the
 * server near 450 envelopes/s on any number of cores and stalled every other request meanwhile (issue 8's bench
 * stage). (Caching each member's key work, lib/crypto/ml-dsa65-verify.ts, later cut a repeat signer's verify to about
 * a third of that; the threads still keep it off the request thread.) The threads run lib's own hybridVerdict (verify-thread.ts), so a verdict and its reason code are exactly
 * those of the main thread's verifyEnvelope; everything else about an envelope (form, domain, network, signer,
 * digest, time window, nonce) is still checked on the main thread, in verifyEnvelope's order (verifyEnvelopeWith).
 *
 * Failure handling: a thread that exits while checking is replaced, and the checks it held are done on the main
 * thread (a verification is pure, so doing it again is safe); a pool that cannot start, or keeps losing threads,
 * leaves verification on the main thread, said once in the log. Only speed is ever lost, never a check.
 *
 * Where the thread body is: beside this module `verify-worker.mjs` (from source: a tsx shim over verify-thread.ts;
 * in the CLI bundle: dist/cli/verify-worker.mjs, an esbuild bundle). Inside the Next server bundle this module's own
 * location means nothing, so the web server uses dist/web/verify-worker.mjs (built with the web app,
 * scripts/web/build-verify-worker.mjs), or the source shim when that is missing (next dev).
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { hybridVerdict, type HybridPublicKeys, type HybridSignatureCheck, type HybridSignatures, type HybridVerdict } from "../../lib/governance/hybrid-keys";
import { readConfig } from "../config";
import { projectPath } from "../db/project-root";
import { nodeEd25519Verify } from "./node-ed25519";

/** One check sent to a thread. */
export interface VerifyTask {
  id: number;
  signatures: HybridSignatures;
  input: Uint8Array;
  keys: HybridPublicKeys;
}

export type VerifyReply = { id: number; verdict: HybridVerdict } | { id: number; error: string };

interface InFlight {
  task: VerifyTask;
  resolve: (verdict: HybridVerdict) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, InFlight>;
}

/** The main thread's own check: what the pool falls back to, and what it must always agree with. */
export const verifyOnThisThread: HybridSignatureCheck = async (signatures, input, keys) => hybridVerdict(signatures, input, keys, nodeEd25519Verify);

/** Threads by default: one per core (MATHLEDGER_VERIFY_THREADS overrides; 0 verifies on the main thread). */
export function defaultVerifyThreads(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** The thread entry for this process (see the header). */
export function verifyWorkerEntry(): string | URL {
  const inNextServer = process.env.NEXT_RUNTIME !== undefined;
  if (!inNextServer) {
    try {
      const beside = new URL("./verify-worker.mjs", import.meta.url);
      if (beside.protocol === "file:" && existsSync(fileURLToPath(beside))) return beside;
    } catch {
      // import.meta.url is not a file: URL in some bundles: fall through to the project's copies.
    }
  }
  const built = projectPath("dist", "web", "verify-worker.mjs");
  return existsSync(built) ? built : projectPath("server", "governance", "verify-worker.mjs");
}

/** Replacements tolerated before the pool gives up on threads (a thread that cannot run at all, not a rare crash). */
const MAX_REPLACEMENTS = 20;

export class VerifyPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private replacements = 0;
  private closed = false;
  private warned = false;

  private constructor(
    private readonly entry: string | URL,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts `threads` threads and waits until each is ready; rejects (and stops them) when one cannot start. */
  static async start(threads: number, options: { entry?: string | URL; log?: (message: string) => void } = {}): Promise<VerifyPool> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a verification pool needs at least one thread, got ${threads}`);
    const pool = new VerifyPool(options.entry ?? verifyWorkerEntry(), options.log ?? ((m) => console.warn(m)));
    try {
      for (let i = 0; i < threads; i++) pool.slots.push(await pool.spawn());
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get threads(): number {
    return this.slots.length;
  }

  /** The thread entry this pool runs. */
  get entryPoint(): string | URL {
    return this.entry;
  }

  /** How many threads were replaced after exiting (for tests and diagnostics). */
  get replaced(): number {
    return this.replacements;
  }

  /** The HybridSignatureCheck this pool provides. */
  readonly check: HybridSignatureCheck = (signatures, input, keys) => {
    const slot = this.leastBusy();
    if (!slot) return verifyOnThisThread(signatures, input, keys);
    return new Promise<HybridVerdict>((resolve, reject) => {
      const task: VerifyTask = { id: this.nextId++, signatures, input, keys };
      slot.inFlight.set(task.id, { task, resolve, reject });
      // A thread holds the process open only while it has work (an idle pool must not keep a CLI call running).
      if (slot.inFlight.size === 1) slot.worker.ref();
      slot.worker.postMessage(task);
    });
  };

  /** Stops every thread; checks still in flight are finished on this thread. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
    for (const slot of slots) this.finishHere(slot);
  }

  /** Fault injection for tests: ends thread `index` as a crash would (it is then replaced). */
  async crashThreadForTest(index: number): Promise<void> {
    await this.slots[index]?.worker.terminate();
  }

  private leastBusy(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (!best || slot.inFlight.size < best.inFlight.size) best = slot;
    return best;
  }

  private spawn(): Promise<Slot> {
    // Small heaps: a thread holds one check at a time (a few KB). Without limits each takes the process's defaults.
    const worker = new Worker(this.entry, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } });
    const slot: Slot = { worker, inFlight: new Map() };
    return new Promise<Slot>((resolve, reject) => {
      const onStartError = (error: Error) => reject(error);
      const onStartExit = (code: number) => reject(new Error(`a verification thread exited during start-up (code ${code})`));
      worker.once("error", onStartError);
      worker.once("exit", onStartExit);
      worker.on("message", (message: VerifyReply | { ready: true }) => {
        if ("ready" in message) {
          worker.off("error", onStartError);
          worker.off("exit", onStartExit);
          worker.on("error", (error) => this.log(`a signature verification thread failed: ${error.message}`));
          worker.on("exit", (code) => this.replace(slot, code));
          worker.unref();
          resolve(slot);
          return;
        }
        const waiting = slot.inFlight.get(message.id);
        if (!waiting) return;
        slot.inFlight.delete(message.id);
        if (slot.inFlight.size === 0) worker.unref();
        if ("error" in message) waiting.reject(new Error(`signature verification thread: ${message.error}`));
        else waiting.resolve(message.verdict);
      });
    });
  }

  /** A thread exited: its checks are finished here and, unless the pool is closing, a new thread takes its place. */
  private replace(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    this.finishHere(slot);
    if (this.closed) return;
    this.replacements++;
    if (this.replacements > MAX_REPLACEMENTS) {
      if (!this.warned) this.log(`signature verification threads keep exiting (${this.replacements} replaced, last code ${code}): verifying on the main thread from now on`);
      this.warned = true;
      return;
    }
    this.log(`a signature verification thread exited (code ${code}); starting a new one`);
    this.spawn().then(
      (fresh) => {
        if (this.closed) void fresh.worker.terminate();
        else this.slots.push(fresh);
      },
      (error: unknown) => this.log(`a replacement verification thread did not start: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private finishHere(slot: Slot): void {
    const waiting = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const { task, resolve, reject } of waiting) verifyOnThisThread(task.signatures, task.input, task.keys).then(resolve, reject);
  }
}

/**
 * A check that verifies on the main thread until a pool of `threads` has started, then on the pool; if the pool
 * cannot start it says so once and stays on the main thread. Starting threads never delays the first request.
 */
export function startingVerifier(threads: number, options: { entry?: string | URL; log?: (message: string) => void; info?: (message: string) => void } = {}): { check: HybridSignatureCheck; close(): Promise<void> } {
  const log = options.log ?? ((m: string) => console.warn(m));
  let ready: VerifyPool | null = null;
  let closed = false;
  const starting =
    threads > 0
      ? VerifyPool.start(threads, { ...options, log }).then(
          async (pool) => {
            if (closed) return pool.close();
            ready = pool;
            (options.info ?? ((m: string) => console.log(m)))(`governance signatures are verified on ${pool.threads} threads (${String(pool.entryPoint)})`);
          },
          (error: unknown) => log(`signature verification threads did not start, verifying on the main thread: ${error instanceof Error ? error.message : String(error)}`),
        )
      : Promise.resolve();
  return {
    check: (signatures, input, keys) => (ready ? ready.check(signatures, input, keys) : verifyOnThisThread(signatures, input, keys)),
    close: async () => {
      closed = true;
      await starting;
      await (ready as VerifyPool | null)?.close();
    },
  };
}

/**
 * Runs `work` with a pool of `threads` verification threads (default MATHLEDGER_VERIFY_THREADS, else one per core)
 * and stops it afterwards; when the threads cannot start, `work` gets the main thread's check (said once on stderr).
 * For one-off batch jobs such as the CLI's recount.
 */
export async function withVerifyThreads<T>(work: (check: HybridSignatureCheck) => Promise<T>, threads = readConfig().MATHLEDGER_VERIFY_THREADS ?? defaultVerifyThreads()): Promise<T> {
  let pool: VerifyPool | null = null;
  if (threads > 0) {
    try {
      pool = await VerifyPool.start(threads);
    } catch (error) {
      console.warn(`signature verification threads did not start, verifying on the main thread: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return await work(pool ? pool.check : verifyOnThisThread);
  } finally {
    await pool?.close();
  }
}

const globalForVerifier = globalThis as unknown as { __mathledgerSignatureVerifier?: ReturnType<typeof startingVerifier> };

/**
 * The process's signature check (one pool per process, kept across Next's module reloads): MATHLEDGER_VERIFY_THREADS
 * threads, default one per core.
 */
export function signatureCheck(): HybridSignatureCheck {
  globalForVerifier.__mathledgerSignatureVerifier ??= startingVerifier(readConfig().MATHLEDGER_VERIFY_THREADS ?? defaultVerifyThreads());
  return globalForVerifier.__mathledgerSignatureVerifier.check;
}
