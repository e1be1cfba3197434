/**
 * Heap tuning for processes that ingest in bulk (the worker, `mathledger-cli import`).
 *
 * Validating a block allocates many small short-lived objects (digests, views, parsed JSON), so with V8's default
 * young generation the import spent 13.6% of its main-thread time in garbage collection. A 32 MB semi-space cuts
 * that and raised import throughput by 5-10% (npm run bench -- --stage ingest: 1371 -> 1451-1518 blocks/s), while
 * the worker's RSS over a 100,000-block import stays under the 300 MB target (stage ingest-memory).
 * Since validation moved to worker threads (validation-pool.ts, each with its own small heap), the main thread
 * allocates far less and 16 MB is enough; the 32 MB the threads' heaps would have inherited put the worker's RSS
 * over its target (stage ingest-memory).
 * V8 applies the flag at run time, so calling this at process start is enough.
 */
import v8 from "node:v8";

let tuned = false;

export function tuneHeapForBulkIngest(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString("--max-semi-space-size=16");
}
