"use client";
/**
 * Primary navigation; marks the current area with aria-current="page" (client component: it reads the path).
 *
 * From the `lg` breakpoint the areas are one row in the header. Below it (phones, narrow windows) they sit behind a
 * "Menu" button following the WAI-ARIA disclosure pattern (APG "Disclosure Navigation Menu"): the button says whether
 * the list is shown (aria-expanded) and which element it shows (aria-controls); Enter/Space toggle it (it is a real
 * <button>); Escape closes it and puts focus back on the button; following a link, clicking outside or tabbing out
 * of the navigation closes it too. It is one list either way, so every area has one link and one accessible name.
 */
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";

import { isActiveArea, NAV_ITEMS } from "./nav-items";

const LIST_ID = "main-nav-list";

export function NavLinks() {
  const pathname = usePathname() ?? "/";
  const [open, setOpen] = useState(false);
  const [shownPath, setShownPath] = useState(pathname);
  const navRef = useRef<HTMLElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  // A new page (link followed, back/forward) closes the menu; adjusted during render rather than in an effect.
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setOpen(false);
  }

  // A pointer press anywhere outside the navigation closes the menu.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!navRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== "Escape" || !open) return;
    event.preventDefault();
    setOpen(false);
    buttonRef.current?.focus();
  };
  // Tabbing past the last link (or Shift+Tab before the button) leaves the navigation: the open list would otherwise
  // cover the content that now has focus.
  const onBlur = (event: FocusEvent<HTMLElement>) => {
    if (open && event.relatedTarget instanceof Node && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
  };

  return (
    <nav ref={navRef} aria-label="Main" className="order-last lg:order-none" onKeyDown={onKeyDown} onBlur={onBlur}>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={LIST_ID}
        onClick={() => setOpen((was) => !was)}
        className="flex items-center gap-2 rounded border border-slate-700 px-2.5 py-1.5 text-sm text-slate-100 hover:bg-slate-800 lg:hidden"
      >
        <MenuIcon open={open} />
        Menu
      </button>
      <ul
        id={LIST_ID}
        className={
          `${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-40 flex-col gap-1 border-b border-slate-800 bg-slate-900 px-4 py-2 text-sm shadow-lg ` +
          "lg:static lg:z-auto lg:flex lg:flex-row lg:flex-wrap lg:items-center lg:border-0 lg:bg-transparent lg:p-0 lg:shadow-none"
        }
      >
        {NAV_ITEMS.map((item) => {
          const active = isActiveArea(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                onClick={() => setOpen(false)}
                className={
                  "block whitespace-nowrap rounded px-2.5 py-2 motion-safe:transition-colors lg:py-1.5 " +
                  (active ? "bg-slate-800 text-slate-50" : "text-slate-300 hover:bg-slate-800/60 hover:text-slate-100")
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

/** Three bars, or a cross while the menu is open; decorative (the button's text names it). */
function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
      {open ? <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" /> : <path d="M2 4h12M2 8h12M2 12h12" />}
    </svg>
  );
}
