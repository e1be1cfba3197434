import { handleRelayGovernance } from "@/server/http/relay-governance";

export const dynamic = "force-dynamic";

/** POST /api/v1/relay/governance: a peer relays a governance decision (see server/http/relay-governance.ts). */
export async function POST(request: Request): Promise<Response> {
  return handleRelayGovernance(request);
}
