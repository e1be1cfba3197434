import { getPgPool } from "@/server/db/pg-pool";
import { exportBlockViolations } from "@/server/export/block-exports";
import { downloadHeaders, exportFormat, violationTarget } from "@/server/http/export-params";
import { errorResponse } from "@/server/http/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/blocks/violations/export?format=csv|json&content_id=0x... (or &block_number=N for the canonical block):
 * one block's violations, most severe first, as a download with a header line naming the columns.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const format = exportFormat(params);
    const target = violationTarget(params);
    const { body, blockNumber } = await exportBlockViolations(await getPgPool(), target, format);
    return new Response(body, { status: 200, headers: downloadHeaders(`block-${blockNumber}-violations`, format) });
  } catch (error) {
    return errorResponse(error);
  }
}
