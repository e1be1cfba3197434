// Entry point of an ingest validation thread (validation-pool.ts). Plain JavaScript so that a thread starts the same
// way under tsx, vitest and plain node: it registers tsx's TypeScript loader for itself, then loads the thread body.
import { register } from "tsx/esm/api";

register();
await import("./validation-thread.ts");
