/**
 * The application's tRPC router: one key per domain, each a router in server/api/routers/<domain>.ts.
 *
 * To add a domain: create server/api/routers/<domain>.ts with `createTRPCRouter({...})` and add one line below.
 */
import { benchRouter } from "./routers/bench";
import { blocksRouter } from "./routers/blocks";
import { chainRouter } from "./routers/chain";
import { consensusRouter } from "./routers/consensus";
import { epochsRouter } from "./routers/epochs";
import { governanceRouter } from "./routers/governance";
import { systemRouter } from "./routers/system";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  chain: chainRouter,
  blocks: blocksRouter,
  epochs: epochsRouter,
  consensus: consensusRouter,
  governance: governanceRouter,
  bench: benchRouter,
});

/** The router's type; the React client (app/_trpc/react.tsx) imports only this, never the implementation. */
export type AppRouter = typeof appRouter;

/** Creates a server-side caller for a given context (pages use server/api/caller.ts; tests call this directly). */
export const createCaller = createCallerFactory(appRouter);
