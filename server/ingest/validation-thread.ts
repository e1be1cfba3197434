/**
 * The body of an ingest validation thread: receives chunks of a batch, answers speculateBlocks' results for each.
 * One hash suite per thread (WebAssembly instances are per thread). Messages: see validation-pool.ts.
 */
import { parentPort } from "node:worker_threads";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { speculateBlocks } from "./ingest-blocks";
import type { ChunkTask, ChunkReply } from "./validation-pool";

const port = parentPort;
if (!port) throw new Error("validation-thread.ts runs only as a worker thread (see validation-pool.ts)");
const suite = await loadWasmHashSuite();

port.on("message", (task: ChunkTask) => {
  let reply: ChunkReply;
  try {
    const raws = task.texts ? task.texts.map((text) => JSON.parse(text) as unknown) : (task.raws ?? []);
    reply = { id: task.id, blocks: speculateBlocks(raws, { epochs: task.epochs, prev: task.prev, suite, now: task.now }) };
  } catch (error) {
    reply = { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
