/** `epochs`: the epoch registry, the transitions the chain has passed, and the distance to the next activation. */
import { getEpochsOverview } from "../../chain/block-queries";
import { readConfig } from "../../config";
import { getPgPool } from "../../db/pg-pool";
import { createTRPCRouter } from "../trpc";
import { databaseProcedure } from "./database-procedure";

export const epochsRouter = createTRPCRouter({
  overview: databaseProcedure.query(async () =>
    getEpochsOverview(await getPgPool(), { expectedIntervalSeconds: readConfig().MATHLEDGER_DEVNET_INTERVAL }),
  ),
});
