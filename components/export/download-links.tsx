/**
 * "Download CSV · JSON" links to an export route handler (lib/export/tabular.ts formats). Plain links with the
 * `download` attribute: they work with the keyboard and without JavaScript, and the route names the file.
 */
import type { ExportFormat } from "@/lib/export/tabular";

export function DownloadLinks({ what, href }: { what: string; href: (format: ExportFormat) => string }) {
  return (
    <span className="flex items-center gap-1 text-xs text-slate-400">
      Download {what}:
      {(["csv", "json"] as const).map((format) => (
        <a
          key={format}
          href={href(format)}
          download
          aria-label={`Download ${what} as ${format.toUpperCase()}`}
          className="rounded border border-slate-700 px-1.5 py-0.5 text-sky-300 hover:bg-slate-800"
        >
          {format.toUpperCase()}
        </a>
      ))}
    </span>
  );
}
