import { errorResponse, json } from "@/server/http/json-response";
import { postNodeReports } from "@/server/http/post-node-reports";

export const dynamic = "force-dynamic";

/** POST /api/v1/node-reports: node reports for the drift radar (see server/http/post-node-reports.ts). */
export async function POST(request: Request): Promise<Response> {
  try {
    return json(await postNodeReports(request), 201);
  } catch (error) {
    return errorResponse(error);
  }
}
