import { errorResponse, json } from "@/server/http/json-response";
import { getPgPool } from "@/server/db/pg-pool";
import { getChainStatus } from "@/server/chain/chain-status";
import { readConfig } from "@/server/config";

export const dynamic = "force-dynamic";

/** GET /api/v1/status: the chain status (current_block, current_epoch, network_health, ...). */
export async function GET(): Promise<Response> {
  try {
    const status = await getChainStatus(await getPgPool(), { expectedIntervalSeconds: readConfig().MATHLEDGER_DEVNET_INTERVAL });
    return json(status);
  } catch (error) {
    return errorResponse(error);
  }
}
