"use client";
/**
 * The radar page's live data: the server renders the first snapshot, then an EventSource on
 * /api/v1/radar/stream receives every new one the server pushes (no polling from the tab). EventSource reconnects
 * by itself after a dropped connection; `connected` says whether the stream is up.
 */
import { useEffect, useState } from "react";
import type { RadarSnapshot } from "@/server/drift/radar-snapshot";

export function useRadarStream(initial: RadarSnapshot) {
  const [snapshot, setSnapshot] = useState(initial);
  const [connected, setConnected] = useState(false);
  // The first "updated" time is the snapshot's own (Unix seconds), not this render's clock: the server's HTML and the
  // browser's first render must say the same thing, or React discards the page (hydration error #418).
  const [updatedAt, setUpdatedAt] = useState(() => Math.round(initial.dashboard.timestamp * 1000));
  useEffect(() => {
    const source = new EventSource("/api/v1/radar/stream");
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("error", () => setConnected(false));
    source.addEventListener("snapshot", (e) => {
      setSnapshot(JSON.parse((e as MessageEvent<string>).data) as RadarSnapshot);
      setUpdatedAt(Date.now());
      setConnected(true);
    });
    return () => source.close();
  }, []);
  return { snapshot, connected, updatedAt };
}
