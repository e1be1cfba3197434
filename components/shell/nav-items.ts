/** The portal's top-level areas, in navigation order. */
export interface NavItem {
  href: "/" | "/blocks" | "/validate" | "/epochs" | "/governance" | "/council" | "/benchmarks";
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Dashboard" },
  { href: "/blocks", label: "Blocks" },
  { href: "/validate", label: "Validate" },
  { href: "/epochs", label: "Epochs" },
  { href: "/governance", label: "Governance" },
  { href: "/council", label: "Council" },
  { href: "/benchmarks", label: "Benchmarks" },
];

/** True when `pathname` is inside the area at `href` ("/blocks/42" is in Blocks; only "/" itself is Dashboard). */
export function isActiveArea(pathname: string, href: NavItem["href"]): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
