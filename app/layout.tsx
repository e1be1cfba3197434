/**
 * Root layout: the portal shell around every page (skip link, header with navigation, <main>), the tRPC/React Query
 * provider, and the server-prefetched API status so the header is right before JavaScript loads. Rendered per
 * request, for the CSP nonce.
 */
import type { Metadata } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { HydrateClient } from "@/app/_trpc/hydrate-client";
import { TRPCReactProvider } from "@/app/_trpc/react";
// Governance: the unlocked signing key stays in memory while the member moves between pages (never stored decrypted).
import { SessionProvider, type SignedInMember } from "@/components/governance/session";
import { SigningKeyProvider } from "@/components/governance/signing-key";
import { SiteHeader } from "@/components/shell/site-header";
import { SkipLink } from "@/components/shell/skip-link";
import { prefetch, trpc } from "@/server/api/caller";
import { sessionOfRequest } from "@/server/http/governance-session";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "MathLedger PQ", template: "%s · MathLedger PQ" },
  description: "Operator portal for the MathLedger post-quantum hash migration.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: Next.js stamps its scripts with the nonce of this request's Content-Security-
  // Policy (proxy.ts), and a page prerendered at build time would carry none, so the browser would block it.
  await connection();
  await prefetch(trpc.system.ping.queryOptions());
  const member = await signedInMember();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <SkipLink />
        <TRPCReactProvider>
          <SessionProvider initial={member}>
            <HydrateClient>
              <SiteHeader />
            </HydrateClient>
            <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-4">
              <SigningKeyProvider>{children}</SigningKeyProvider>
            </main>
          </SessionProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

/**
 * The member this request's session cookie names, for the header's first render (null when signed out, and when the
 * database or governance is unavailable: the page still renders, and the outage shows elsewhere).
 */
async function signedInMember(): Promise<SignedInMember | null> {
  try {
    return (await sessionOfRequest(await headers()))?.member ?? null;
  } catch {
    return null;
  }
}
