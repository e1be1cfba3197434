"use client";
/**
 * Error boundary for pages. Production builds hide server error messages from the browser, so to say *what* failed
 * it asks GET /api/health: when the database is unreachable (the usual cause of a page that cannot load) it says so,
 * with the reason, and offers to retry; otherwise it reports a generic failure and its reference.
 */
import { useRouter } from "next/navigation";
import { startTransition, useEffect, useState } from "react";

import { PageHeader } from "@/components/ui/page-header";

interface Health {
  database?: "reachable" | "unreachable";
  reason?: string;
}

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [health, setHealth] = useState<Health | null | "unanswered">(null);
  const router = useRouter();
  // The failure happened while rendering on the server: fetch the page again (refresh), then re-render the boundary.
  const retryPage = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });

  useEffect(() => {
    let cancelled = false;
    fetch("/api/health", { cache: "no-store" })
      .then((res) => res.json() as Promise<Health>)
      .then((body) => !cancelled && setHealth(body))
      .catch(() => !cancelled && setHealth("unanswered"));
    return () => {
      cancelled = true;
    };
  }, [error]);

  const databaseDown = health !== null && health !== "unanswered" && health.database === "unreachable";
  const retry = (
    <button type="button" onClick={retryPage} className="rounded border border-slate-600 px-3 py-1 text-sm text-sky-300 hover:bg-slate-800">
      Try again
    </button>
  );

  if (databaseDown) {
    return (
      <>
        <PageHeader title="Database unreachable" />
        <div role="alert" className="space-y-2 rounded-md border border-rose-800 bg-rose-950/50 px-4 py-3 text-sm text-rose-100">
          <p>The portal cannot read the chain: its PostgreSQL database does not answer. Nothing is shown rather than stale or partial data.</p>
          {health.reason ? <p className="font-mono text-xs text-rose-200/80">{health.reason}</p> : null}
          <p className="text-rose-200/80">
            Check that PostgreSQL is running and that DATABASE_URL (or the embedded database in the data directory) is the one the node uses,
            then try again.
          </p>
        </div>
        <div className="mt-3">{retry}</div>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Something went wrong" />
      <p role="alert" className="text-sm text-slate-300">
        {health === "unanswered"
          ? "This page could not be loaded, and the server does not answer its health check either: it may be down or restarting."
          : health === null
            ? "This page could not be loaded. Checking the server…"
            : "This page could not be loaded; the server and its database are up, so this is likely a bug. The server log has the details"}
        {error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <div className="mt-3">{retry}</div>
    </>
  );
}
