"use client";
/** Sub-navigation of the governance area. */
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/governance", label: "Proposals" },
  { href: "/council", label: "Council" },
  { href: "/governance/members", label: "Members" },
  { href: "/governance/account", label: "Account & keys" },
  { href: "/governance/audit", label: "Audit log" },
  { href: "/governance/recount", label: "Recount" },
] as const;

export function GovernanceNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Governance" className="mb-4 flex flex-wrap gap-1 text-sm">
      {LINKS.map((l) => {
        const active = l.href === "/governance" ? pathname === "/governance" || pathname.startsWith("/governance/proposals") : pathname.startsWith(l.href);
        return (
          <Link key={l.href} href={l.href} aria-current={active ? "page" : undefined} className={`rounded px-2 py-1 ${active ? "bg-slate-800 text-slate-50" : "text-slate-300 hover:bg-slate-900 hover:text-slate-50"}`}>
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
