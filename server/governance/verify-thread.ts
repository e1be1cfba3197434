/**
 * The body of a signature verification thread (verify-pool.ts): receives hybrid signature checks, answers each with
 * lib's verdict, computed exactly as the main thread would (hybridVerdict with node:crypto's Ed25519 and lib's cached
 * ML-DSA-65 verifier, which accepts what noble's does). The only state kept between checks is that verifier's
 * per-public-key cache, a pure function of the keys, so which thread gets a check never changes its verdict.
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
