/**
 * Who may act on drift events (acknowledge, resolve, silence; issue 7 §2):
 *  1. a signed-in member with the `operator` role (the governance session cookie, server/governance/sign-in.ts),
 *     checked first; the member id is recorded as the actor;
 *  2. else the node token as `Authorization: Bearer`, as a node does for POST /api/v1/blocks: the CLI and scripts
 *     (recorded as "node-token").
 * Anyone else is refused: anonymous visitors (401) and signed-in members without the role (403) can only read.
 * The cookie is only ever accepted from the portal's own pages: proxy.ts refuses cross-site POSTs to /api first.
 */
import { AppError } from "../../lib/errors";
import { sessionOfRequest } from "../http/governance-session";
import { authenticate } from "../http/push-blocks";

export interface Operator {
  /** Recorded with each action: the member id, or "node-token". */
  actor: string;
  via: "session" | "node-token";
}

export async function authorizeOperator(request: Request): Promise<Operator> {
  const session = await sessionOfRequest(request.headers);
  if (session?.member.roles.includes("operator")) return { actor: session.member.id, via: "session" };
  if (request.headers.has("authorization")) {
    authenticate(request);
    return { actor: "node-token", via: "node-token" };
  }
  if (session) throw new AppError("FORBIDDEN", `member ${session.member.id} is signed in but does not hold the operator role: only operators acknowledge, resolve and silence drift events`);
  throw new AppError("UNAUTHENTICATED", "operator actions need a signed-in member with the operator role (Governance → Account), or the node token as `Authorization: Bearer <token>`");
}
