/**
 * The portal header: product name (home link), main navigation, who is signed in and the API indicator. It is the positioning box of
 * the navigation's drop-down list on narrow screens (see nav-links.tsx), where the menu button comes last in the row.
 */
import Link from "next/link";

import { SessionBadge } from "@/components/governance/session";

import { ApiStatus } from "./api-status";
import { NavLinks } from "./nav-links";

export function SiteHeader() {
  return (
    <header className="relative border-b border-slate-800 bg-slate-900/80">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2 lg:gap-x-6">
        <Link href="/" className="rounded text-sm font-semibold tracking-tight text-slate-50">
          MathLedger PQ
        </Link>
        <NavLinks />
        <div className="ml-auto flex items-center gap-3">
          <SessionBadge />
          <ApiStatus />
        </div>
      </div>
    </header>
  );
}
