import { postSignIn } from "@/server/http/governance-session";

export const dynamic = "force-dynamic";

/** POST /api/v1/governance/sign-in: a signed challenge in, a session cookie out (server/http/governance-session.ts). */
export const POST = postSignIn;
