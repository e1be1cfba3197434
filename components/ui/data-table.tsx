/**
 * A dense, generic table. Usable from server components (cell renderers are plain functions evaluated during
 * rendering), so pages can render rows loaded through the server caller without shipping them to a client component.
 * A table wider than the screen scrolls inside its ScrollRegion (focusable while it overflows), never the page.
 */
import type { Key, ReactNode } from "react";

import { ScrollRegion } from "./scroll-region";

export interface Column<Row> {
  /** Stable column id (React key). */
  id: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Numbers and hashes read better right-aligned / monospaced. */
  align?: "left" | "right";
  mono?: boolean;
}

export interface DataTableProps<Row> {
  /** Describes the table for assistive technology; shown above the table unless `captionHidden`. */
  caption: string;
  captionHidden?: boolean;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  /** Shown in place of the body when there are no rows (say why, e.g. "No blocks stored yet."). */
  empty: ReactNode;
}

export function DataTable<Row>({ caption, captionHidden = false, columns, rows, rowKey, empty }: DataTableProps<Row>) {
  return (
    <ScrollRegion label={caption}>
      <table className="w-full border-collapse text-sm">
        <caption className={captionHidden ? "sr-only" : "pb-2 text-left text-xs text-slate-400"}>{caption}</caption>
        <thead>
          <tr className="border-b border-slate-800 text-xs uppercase tracking-wide text-slate-400">
            {columns.map((column) => (
              <th key={column.id} scope="col" className={`px-2 py-1.5 font-medium ${column.align === "right" ? "text-right" : "text-left"}`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-2 py-4 text-center text-slate-400">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)} className="border-b border-slate-800/60 hover:bg-slate-800/40">
                {columns.map((column) => (
                  <td
                    key={column.id}
                    className={`px-2 py-1 ${column.align === "right" ? "text-right" : "text-left"} ${column.mono ? "font-mono text-xs" : ""}`}
                  >
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
