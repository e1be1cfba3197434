"use client";
/**
 * Who is signed in (docs/spec/governance.md §12), for every page: the header's badge, the account page's Sign in /
 * Sign out, and the radar's operator actions. The session itself is an HttpOnly cookie this code never sees; it only
 * knows the member the server names (GET /api/v1/governance/session). The root layout passes the member the request
 * was made with, so the first render already shows it.
 *
 * Signing in: ask for a challenge, sign it in this tab with the unlocked hybrid key (lib/governance/sign-in.ts, the
 * same signing code as every governance action), send the signatures back; the server sets the cookie.
 */
import Link from "next/link";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

import type { HybridSigningKey } from "@/lib/governance/hybrid-keys";
import { parseSignInChallenge, SIGN_IN_DOMAIN, signSignInChallenge } from "@/lib/governance/sign-in";

export interface SignedInMember {
  id: string;
  name: string;
  roles: string[];
}

interface SessionState {
  member: SignedInMember | null;
  signIn(key: HybridSigningKey, memberId: string): Promise<SignedInMember>;
  signOut(): Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);

async function postJson(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const payload = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    const error = (payload?.error ?? {}) as { code?: string; message?: string };
    throw new Error(error.code ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
  }
  return payload ?? {};
}

export function SessionProvider({ initial, children }: { initial: SignedInMember | null; children: ReactNode }) {
  const [member, setMember] = useState<SignedInMember | null>(initial);
  const signIn = useCallback(async (key: HybridSigningKey, memberId: string) => {
    const { challenge: raw } = await postJson("/api/v1/governance/sign-in/challenge", { member_id: memberId });
    const challenge = parseSignInChallenge(raw);
    // Sign only what we asked for: a sign-in challenge for this member (its domain can never be a governance action's).
    if (challenge.domain !== SIGN_IN_DOMAIN || challenge.member_id !== memberId) throw new Error("the server sent a challenge for something else; not signed");
    const result = await postJson("/api/v1/governance/sign-in", { challenge, signatures: signSignInChallenge(challenge, key) });
    const signedIn = result.member as SignedInMember;
    setMember(signedIn);
    return signedIn;
  }, []);
  const signOut = useCallback(async () => {
    await postJson("/api/v1/governance/sign-out", {});
    setMember(null);
  }, []);
  const value = useMemo(() => ({ member, signIn, signOut }), [member, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(Ctx);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}

/** The header's "who is signed in". */
export function SessionBadge() {
  const { member } = useSession();
  return (
    <Link href="/governance/account" data-testid="session-badge" className="max-w-56 truncate whitespace-nowrap rounded text-xs text-slate-300 hover:text-slate-50">
      {member ? (
        <>
          Signed in as <span className="font-semibold text-slate-50">{member.name}</span> ({member.id})
        </>
      ) : (
        "Not signed in"
      )}
    </Link>
  );
}
