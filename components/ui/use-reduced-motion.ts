"use client";
/**
 * Whether the user asked the system for reduced motion (`prefers-reduced-motion: reduce`), kept current if they
 * change it. For motion CSS cannot switch off by itself (Recharts animates in JavaScript); CSS motion uses Tailwind's
 * `motion-safe:` variant and the global rule in app/globals.css instead. The server snapshot is `true`: the first
 * paint never animates, and the client takes over with the real preference.
 */
import { useSyncExternalStore } from "react";

const QUERY = "(prefers-reduced-motion: reduce)";

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(QUERY);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(QUERY).matches,
    () => true,
  );
}
