"use client";
/**
 * The browser's clock in Unix seconds, ticking once a second, for time-relative text (countdowns, "closes in") and
 * for text in the viewer's time zone. Its server snapshot is `null`, and so is the first client render (React uses
 * the server snapshot while hydrating): the server's HTML and the first client render agree, and the clock appears
 * right after. Reading Date.now() during render instead made them differ (React error #418, hydration mismatch).
 */
import { useSyncExternalStore } from "react";

function subscribe(onTick: () => void): () => void {
  const id = setInterval(onTick, 1000);
  return () => clearInterval(id);
}

/** Unix seconds now, or null on the server and during hydration. */
export function useNowSeconds(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => Math.floor(Date.now() / 1000),
    () => null,
  );
}
