// Entry point of a signature verification thread (verify-pool.ts) when running from source (tsx, vitest, next dev).
// Plain JavaScript so that a thread starts the same way under each: it registers tsx's TypeScript loader for itself,
// then loads the thread body. Builds use an esbuild bundle of verify-thread.ts instead (scripts/cli/build-cli.mjs,
// scripts/web/build-verify-worker.mjs).
import { register } from "tsx/esm/api";

register();
await import("./verify-thread.ts");
