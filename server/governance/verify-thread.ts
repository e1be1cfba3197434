/**
 * The body of a signature verification thread (verify-pool.ts): receives hybrid signature checks, answers each with
 * lib's verdict, computed exactly as the main thread would (hybridVerdict with node:crypto's Ed25519 and noble's
 * ML-DSA-65). The thread holds no state between checks.
 */
import { parentPort } from "node:worker_threads";
import { hybridVerdict } from "../../lib/governance/hybrid-keys";
import { nodeEd25519Verify } from "./node-ed25519";
import type { VerifyReply, VerifyTask } from "./verify-pool";

const port = parentPort;
if (!port) throw new Error("verify-thread.ts runs only as a worker thread (see verify-pool.ts)");

port.on("message", (task: VerifyTask) => {
  let reply: VerifyReply;
  try {
    reply = { id: task.id, verdict: hybridVerdict(task.signatures, task.input, task.keys, nodeEd25519Verify) };
  } catch (error) {
    reply = { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
