import { postSignOut } from "@/server/http/governance-session";

export const dynamic = "force-dynamic";

/** POST /api/v1/governance/sign-out: ends the session and clears its cookie (server/http/governance-session.ts). */
export const POST = postSignOut;
