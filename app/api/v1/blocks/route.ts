import { handlePushBlocks } from "@/server/http/push-blocks";

export const dynamic = "force-dynamic";

/** POST /api/v1/blocks: ingest pushed blocks (see server/http/push-blocks.ts for the contract). */
export async function POST(request: Request): Promise<Response> {
  return handlePushBlocks(request);
}
