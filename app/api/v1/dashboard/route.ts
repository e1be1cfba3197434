import { errorResponse, json } from "@/server/http/json-response";
import { getPgPool } from "@/server/db/pg-pool";
import { getDashboardData } from "@/server/drift/dashboard-data";
import { readConfig } from "@/server/config";

export const dynamic = "force-dynamic";

/** GET /api/v1/dashboard: the plan's {"dashboard_data": {...}} (see server/drift/dashboard-data.ts). */
export async function GET(): Promise<Response> {
  try {
    return json(await getDashboardData(await getPgPool(), { expectedIntervalSeconds: readConfig().MATHLEDGER_DEVNET_INTERVAL }));
  } catch (error) {
    return errorResponse(error);
  }
}
