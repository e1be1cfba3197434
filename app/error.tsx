"use client";
/** Error boundary for pages: says that loading failed and offers a retry, without leaking internals. */
import { PageHeader } from "@/components/ui/page-header";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <PageHeader title="Something went wrong" />
      <p className="text-sm text-slate-400">
        This page could not be loaded{error.digest ? ` (reference ${error.digest})` : ""}.{" "}
        <button type="button" onClick={reset} className="rounded text-sky-400 underline">
          Try again
        </button>
      </p>
    </>
  );
}
