/** First focusable element on every page: jumps past the header to <main id="main">. */
export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only rounded bg-slate-100 px-3 py-2 text-sm font-medium text-slate-900 focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-50"
    >
      Skip to content
    </a>
  );
}
