/**
 * Root layout: the portal shell around every page (skip link, header with navigation, <main>), the tRPC/React Query
 * provider, and the server-prefetched API status so the header is right before JavaScript loads. Rendered per
 * request, for the CSP nonce.
 */
import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { HydrateClient } from "@/app/_trpc/hydrate-client";
import { TRPCReactProvider } from "@/app/_trpc/react";
// Governance: the unlocked signing key stays in memory while the member moves between pages (never stored decrypted).
import { SigningKeyProvider } from "@/components/governance/signing-key";
import { SiteHeader } from "@/components/shell/site-header";
import { SkipLink } from "@/components/shell/skip-link";
import { prefetch, trpc } from "@/server/api/caller";

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
  return (
    <html lang="en">
      <body className="min-h-screen">
        <SkipLink />
        <TRPCReactProvider>
          <HydrateClient>
            <SiteHeader />
          </HydrateClient>
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-4">
            <SigningKeyProvider>{children}</SigningKeyProvider>
          </main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
