import { postSignInChallenge } from "@/server/http/governance-session";

export const dynamic = "force-dynamic";

/** POST /api/v1/governance/sign-in/challenge: a fresh sign-in challenge for a member (server/http/governance-session.ts). */
export const POST = postSignInChallenge;
