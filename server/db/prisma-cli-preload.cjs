/**
 * Preloaded (node --require) into the Prisma CLI processes that server/db/prisma-cli.ts spawns.
 *
 * Prisma 6.19's WASM schema engine races `pg_advisory_lock` against a 10 s timer and never clears the timer, so every
 * `migrate deploy` / `migrate status` stays alive ~10 s after finishing. Unref'ing long timers lets the process exit
 * when its work is done; a timer still fires if something else (a pending query, a lock wait) keeps the process up.
 */
"use strict";
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, ms, ...args) {
  const timer = originalSetTimeout(callback, ms, ...args);
  if (typeof ms === "number" && ms >= 5000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
