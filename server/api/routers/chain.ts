/**
 * `chain`: the live state of the chain for the dashboard: status (tip, epoch, health, pace, next transition with its
 * estimated time), the latest violations and the latest reorgs.
 */
import { z } from "zod";

import { listRecentReorgs, listRecentViolations, getLiveChainStatus } from "../../chain/block-queries";
import { readConfig } from "../../config";
import { getPgPool } from "../../db/pg-pool";
import { createTRPCRouter } from "../trpc";
import { databaseProcedure } from "./database-procedure";
import { loadPeerStatuses } from "../../relay/relay-status";

const recentInput = z.object({ limit: z.number().int().min(1).max(50).default(10) }).default({ limit: 10 });

export const chainRouter = createTRPCRouter({
  /** GET /api/v1/status's figures plus `next_transition_eta_seconds`. */
  status: databaseProcedure.query(async () =>
    getLiveChainStatus(await getPgPool(), { expectedIntervalSeconds: readConfig().MATHLEDGER_DEVNET_INTERVAL }),
  ),

  /** Violations of the most recently received blocks, newest first. */
  recentViolations: databaseProcedure.input(recentInput).query(async ({ input }) => listRecentViolations(await getPgPool(), input.limit)),

  /** The relay's peers (MATHLEDGER_PEERS): tip as last learned and whether this node is in sync with each. */
  peers: databaseProcedure.query(async () => loadPeerStatuses(await getPgPool())),

  /** The latest reorgs, newest first. */
  reorgs: databaseProcedure.input(recentInput).query(async ({ input }) => listRecentReorgs(await getPgPool(), input.limit)),
});
