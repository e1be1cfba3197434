import { getSession } from "@/server/http/governance-session";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/session: who is signed in, or null (server/http/governance-session.ts). */
export const GET = getSession;
