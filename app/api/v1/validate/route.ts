import { errorResponse, json } from "@/server/http/json-response";
import { requestedFormat, validateFromRequest, validationExport } from "@/server/http/validate-blocks";

export const dynamic = "force-dynamic";

/** POST /api/v1/validate: validation on demand, nothing written (see server/http/validate-blocks.ts). */
export async function POST(request: Request): Promise<Response> {
  try {
    const format = requestedFormat(new URL(request.url));
    const response = await validateFromRequest(request);
    return format ? validationExport(response, format) : json(response);
  } catch (error) {
    return errorResponse(error);
  }
}
