"use client";
/** Primary navigation; marks the current area with aria-current="page" (client component: it reads the path). */
import Link from "next/link";
import { usePathname } from "next/navigation";

import { isActiveArea, NAV_ITEMS } from "./nav-items";

export function NavLinks() {
  const pathname = usePathname() ?? "/";
  return (
    <nav aria-label="Main" className="-mx-1 overflow-x-auto">
      <ul className="flex items-center gap-1 text-sm">
        {NAV_ITEMS.map((item) => {
          const active = isActiveArea(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={
                  "block whitespace-nowrap rounded px-2.5 py-1.5 transition-colors " +
                  (active
                    ? "bg-slate-800 text-slate-50"
                    : "text-slate-400 hover:bg-slate-800/60 hover:text-slate-100")
                }
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
