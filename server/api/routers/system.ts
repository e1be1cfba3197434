/**
 * `system`: facts about the web server itself. `ping` proves the wiring from browser and server components to tRPC.
 */
import { createTRPCRouter, publicProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** Liveness of the tRPC layer and the server's clock (ISO 8601, UTC). */
  ping: publicProcedure.query(() => ({ ok: true as const, serverTime: new Date().toISOString() })),
});
