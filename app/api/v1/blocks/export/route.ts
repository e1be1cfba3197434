import { getPgPool } from "@/server/db/pg-pool";
import { exportBlockList } from "@/server/export/block-exports";
import { blockListParams, downloadHeaders } from "@/server/http/export-params";
import { errorResponse } from "@/server/http/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/blocks/export?format=csv|json&filter=canonical|all|invalid&limit=N: the explorer's block list (newest
 * first, at most 100,000 rows, 10,000 by default) as a download with a header line naming the columns.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = blockListParams(new URL(request.url).searchParams);
    const stream = await exportBlockList(await getPgPool(), params);
    return new Response(stream, { status: 200, headers: downloadHeaders(`blocks-${params.filter}`, params.format) });
  } catch (error) {
    return errorResponse(error);
  }
}
