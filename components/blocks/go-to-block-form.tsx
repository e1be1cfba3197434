/** "Go to block": a plain GET form (works without JavaScript) that the explorer page resolves and redirects. */
export function GoToBlockForm({ defaultValue = "" }: { defaultValue?: string }) {
  return (
    <form action="/blocks" method="get" role="search" className="flex flex-wrap items-center gap-2">
      <label htmlFor="go-to-block" className="text-sm text-slate-300">
        Go to block
      </label>
      <input
        id="go-to-block"
        name="q"
        defaultValue={defaultValue}
        placeholder="height, block hash or content id"
        autoComplete="off"
        spellCheck={false}
        className="w-80 max-w-full rounded border border-slate-700 bg-slate-900 px-2 py-1 font-mono text-sm text-slate-100 placeholder:font-sans placeholder:text-slate-400"
      />
      <button type="submit" className="rounded border border-slate-700 bg-slate-800 px-3 py-1 text-sm text-slate-100 hover:bg-slate-700">
        Go
      </button>
    </form>
  );
}
