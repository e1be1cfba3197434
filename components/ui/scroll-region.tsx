"use client";
/**
 * A box that scrolls sideways when its content (usually a table) is wider than the screen, so the page itself never
 * does. While it actually overflows it becomes a named, focusable region (tabIndex 0, role="region", the label given)
 * so keyboard users can scroll it with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable). While it fits
 * it is a plain <div> and adds no tab stop. The overflow is measured with a ResizeObserver on the box and its content.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";

export function ScrollRegion({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setOverflows(box.scrollWidth > box.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    for (const child of box.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={ref}
      className={`overflow-x-auto ${className}`}
      {...(overflows ? { tabIndex: 0, role: "region", "aria-label": `${label} (scrolls sideways)` } : {})}
    >
      {children}
    </div>
  );
}
