/**
 * The procedure the chain-reading routers use: a public procedure that reports an unreachable database as
 * SERVICE_UNAVAILABLE (HTTP 503) with a message an operator can act on, instead of an anonymous internal error.
 *
 * Which failures count is server/db/database-errors.ts's call; everything else stays a 500.
 */
import { TRPCError } from "@trpc/server";

import { databaseUnavailableMessage, databaseUnavailableReason } from "../../db/database-errors";
import { publicProcedure } from "../trpc";

export { databaseUnavailableReason };

/** A public procedure whose database outages reach the client as 503 "The database is unreachable (...)". */
export const databaseProcedure = publicProcedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const reason = databaseUnavailableReason(result.error.cause);
    if (reason) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: databaseUnavailableMessage(reason), cause: result.error.cause });
    }
  }
  return result;
});
