/**
 * `consensus`: the consensus core on demand. `validate` judges blocks as ingest would and writes nothing
 * (server/validation/validate-blocks.ts); it is a mutation only because its input is too large for a query string.
 */
import { loadWasmHashSuite } from "../../../lib/crypto/wasm-hash-suite";
import { getPgPool } from "../../db/pg-pool";
import { validateBlocksOnDemand } from "../../validation/validate-blocks";
import { validateRequestSchema } from "../../validation/validate-request";
import { createTRPCRouter } from "../trpc";
import { databaseProcedure } from "./database-procedure";

export const consensusRouter = createTRPCRouter({
  validate: databaseProcedure.input(validateRequestSchema).mutation(async ({ input }) => {
    const [pool, suite] = await Promise.all([getPgPool(), loadWasmHashSuite()]);
    return validateBlocksOnDemand(pool, input, { suite, now: Math.floor(Date.now() / 1000) });
  }),
});
