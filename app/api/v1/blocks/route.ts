import { errorResponse, json } from "@/server/http/json-response";
import { pushBlocks } from "@/server/http/push-blocks";

export const dynamic = "force-dynamic";

/** POST /api/v1/blocks: ingest pushed blocks (see server/http/push-blocks.ts for the contract). */
export async function POST(request: Request): Promise<Response> {
  try {
    const summary = await pushBlocks(request);
    const { storedIds: _ids, ...body } = summary;
    return json(body, summary.stored > 0 ? 201 : 200);
  } catch (error) {
    return errorResponse(error);
  }
}
