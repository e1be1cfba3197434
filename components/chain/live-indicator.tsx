"use client";
/**
 * Tells whether a live view is current: "Live · updated 12:00:01.234 UTC" while polling works, and an alert that says
 * what failed and since when the figures are stale when it does not (the last good data stays on screen).
 */
export function LiveIndicator({ updatedAt, error, intervalMs }: { updatedAt: number; error: { message: string } | null; intervalMs: number }) {
  const stamp = updatedAt ? new Date(updatedAt).toISOString().slice(11, 19) : null;
  if (error) {
    return (
      <div role="alert" className="mb-3 rounded-md border border-rose-800 bg-rose-950/60 px-3 py-2 text-sm text-rose-200">
        <strong className="font-semibold">Live updates failing:</strong> {error.message || "the server did not answer"}{" "}
        <span className="text-rose-300/80">
          {stamp ? `Showing data from ${stamp} UTC. ` : ""}Retrying every {intervalMs / 1000} s.
        </span>
      </div>
    );
  }
  return (
    <p className="flex items-center gap-1.5 text-xs text-slate-400" data-live-updated={updatedAt}>
      <span aria-hidden="true" className="inline-block size-2 rounded-full bg-emerald-400 motion-safe:animate-pulse" />
      Live{stamp ? ` · updated ${stamp} UTC` : ""} · refreshes every {intervalMs / 1000} s
    </p>
  );
}
