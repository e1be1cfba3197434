import { AppError } from "@/lib/errors";
import { errorResponse, json } from "@/server/http/json-response";
import { readLimitedText } from "@/server/http/read-body";
import { getPgPool } from "@/server/db/pg-pool";
import { authorizeOperator } from "@/server/drift/operator-auth";
import { applyOperatorAction } from "@/server/drift/operator-actions";
import { radarLiveHub } from "@/server/drift/radar-live-hub";

export const dynamic = "force-dynamic";

/** POST /api/v1/radar/actions: operator actions on drift events (server/drift/operator-actions.ts). */
export async function POST(request: Request): Promise<Response> {
  try {
    const operator = await authorizeOperator(request);
    const text = await readLimitedText(request, 16 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError("INVALID_INPUT", `body is not valid JSON: ${(error as Error).message}`);
    }
    const result = await applyOperatorAction(await getPgPool(), body, operator.actor, Date.now() / 1000);
    radarLiveHub().markDirty();
    return json(result);
  } catch (error) {
    return errorResponse(error);
  }
}
