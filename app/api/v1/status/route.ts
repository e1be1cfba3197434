import { errorResponse, json } from "@/server/http/json-response";
import { getPgPool } from "@/server/db/pg-pool";
import { nodeId, readConfig } from "@/server/config";
import { getNodeStatus } from "@/server/relay/relay-status";

export const dynamic = "force-dynamic";

/** GET /api/v1/status: the chain status (current_block, current_epoch, network_health, ...), node_id and peers. */
export async function GET(): Promise<Response> {
  try {
    const config = readConfig();
    const status = await getNodeStatus(await getPgPool(), { expectedIntervalSeconds: config.MATHLEDGER_DEVNET_INTERVAL, nodeId: nodeId(config) });
    return json(status);
  } catch (error) {
    return errorResponse(error);
  }
}
