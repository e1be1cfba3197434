"use client";
/**
 * The verdicts of a validation: one row per block (its line in the input, number, verdict, rules, both hashes, the
 * stored twin linked, the browser's agreement) and, under each block that has any, its violations spelled out (code,
 * severity, field, expected, actual, message). Paged by 100 rows with an "invalid only" switch, since an NDJSON file
 * can hold 10,000 blocks.
 */
import Link from "next/link";
import { useMemo, useState } from "react";

import type { ReportDifference } from "@/lib/validation/validation-report";
import type { BlockResult } from "@/server/validation/validate-blocks";

import { SeverityBadge, VerdictBadge } from "../chain/badges";
import { formatInteger, shortHash } from "../chain/format";

const PAGE = 100;

export interface ValidationResultsProps {
  results: readonly BlockResult[];
  /** The line each input block starts on. */
  lines: readonly number[];
  /** Differences found by the browser cross-check, by input index (absent: the check did not run). */
  differences: ReadonlyMap<number, ReportDifference[]> | null;
}

function Hash({ value }: { value: string | null }) {
  return value ? (
    <span className="whitespace-nowrap font-mono text-xs" title={value}>
      {shortHash(value)}
    </span>
  ) : (
    <span className="text-slate-400">—</span>
  );
}

export function ValidationResults({ results, lines, differences }: ValidationResultsProps) {
  const [invalidOnly, setInvalidOnly] = useState(false);
  const [page, setPage] = useState(0);
  const shown = useMemo(() => (invalidOnly ? results.filter((r) => r.violations.length > 0) : results), [results, invalidOnly]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const rows = shown.slice(current * PAGE, current * PAGE + PAGE);
  const columns = differences ? 8 : 7;

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <label className="flex items-center gap-2 text-sm text-slate-300">
          <input
            type="checkbox"
            checked={invalidOnly}
            onChange={(e) => {
              setInvalidOnly(e.target.checked);
              setPage(0);
            }}
          />
          Only blocks with violations
        </label>
        {pages > 1 ? (
          <nav aria-label="Result pages" className="flex items-center gap-2 text-sm">
            <button type="button" className="rounded border border-slate-700 px-2 py-0.5 disabled:opacity-50" disabled={current === 0} onClick={() => setPage(current - 1)}>
              ← Previous
            </button>
            <span className="text-slate-300">
              Page {current + 1} of {pages}
            </span>
            <button type="button" className="rounded border border-slate-700 px-2 py-0.5 disabled:opacity-50" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next →
            </button>
          </nav>
        ) : null}
      </div>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Verdict of each block, with its violations</caption>
          <thead>
            <tr className="border-b border-slate-800 text-left text-xs uppercase tracking-wide text-slate-400">
              <th scope="col" className="px-2 py-1.5 font-medium">Line</th>
              <th scope="col" className="px-2 py-1.5 font-medium">Block</th>
              <th scope="col" className="px-2 py-1.5 font-medium">Verdict</th>
              <th scope="col" className="px-2 py-1.5 font-medium">Rules</th>
              <th scope="col" className="px-2 py-1.5 font-medium">SHA-256 hash</th>
              <th scope="col" className="px-2 py-1.5 font-medium">PQ hash</th>
              <th scope="col" className="px-2 py-1.5 font-medium">Stored here</th>
              {differences ? <th scope="col" className="px-2 py-1.5 font-medium">Browser</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns} className="px-2 py-4 text-center text-slate-400">
                  {invalidOnly ? "No block has a violation." : "No results yet."}
                </td>
              </tr>
            ) : null}
            {rows.map((r) => {
              const diffs = differences?.get(r.index) ?? [];
              return (
                <ResultRows key={r.index} result={r} line={lines[r.index] ?? null} columns={columns} crossChecked={differences !== null} diffs={diffs} />
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ResultRows({ result: r, line, columns, crossChecked, diffs }: { result: BlockResult; line: number | null; columns: number; crossChecked: boolean; diffs: ReportDifference[] }) {
  return (
    <>
      <tr className="border-b border-slate-800/60 align-top" data-result-index={r.index}>
        <td className="px-2 py-1 font-mono text-xs text-slate-300">{line ?? r.index + 1}</td>
        <td className="px-2 py-1 font-mono text-xs">{r.block_number === null ? <span className="text-slate-400">unreadable</span> : `#${formatInteger(r.block_number)}`}</td>
        <td className="px-2 py-1">
          <VerdictBadge verdict={r.verdict} />
          {r.violations.length > 0 ? <span className="ml-1 text-xs text-slate-400">{r.violations.length} violation{r.violations.length === 1 ? "" : "s"}</span> : null}
        </td>
        <td className="px-2 py-1 text-xs">
          {r.epoch ? (
            <span className="whitespace-nowrap">
              {r.epoch.rule_version} <span className="text-slate-400">· {r.epoch.algorithm_name}</span>
            </span>
          ) : (
            <span className="text-slate-400">no epoch</span>
          )}
        </td>
        <td className="px-2 py-1">
          <Hash value={r.legacy_hash} />
        </td>
        <td className="px-2 py-1">
          <Hash value={r.pq_hash} />
        </td>
        <td className="px-2 py-1 text-xs">
          {r.stored ? (
            <Link href={r.stored.link} className="rounded text-sky-400 hover:underline">
              {`#${formatInteger(r.stored.block_number)} ${r.stored.canonical ? "canonical" : "not canonical"}, stored ${r.stored.verdict}`}
            </Link>
          ) : (
            <span className="text-slate-400">not stored</span>
          )}
        </td>
        {crossChecked ? (
          <td className="px-2 py-1 text-xs">
            {diffs.length === 0 ? <span className="text-emerald-300">✓ agrees</span> : <span className="text-rose-300">✗ differs ({diffs.map((d) => d.field).join(", ")})</span>}
          </td>
        ) : null}
      </tr>
      {r.violations.length > 0 || r.push_refusal ? (
        <tr className="border-b border-slate-800/60">
          <td colSpan={columns} className="px-2 pb-2 pt-0">
            <ul aria-label={`Violations of the block on line ${line ?? r.index + 1}`} className="ml-4 space-y-1 border-l border-slate-700 pl-3">
              {r.violations.map((v, i) => (
                <li key={i} className="text-xs" data-violation-code={v.code}>
                  <span className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={v.severity} />
                    <code className="font-semibold text-slate-100">{v.code}</code>
                    {v.field ? (
                      <span className="text-slate-400">
                        field <code className="text-slate-200">{v.field}</code>
                      </span>
                    ) : null}
                  </span>
                  <span className="mt-0.5 block text-slate-300">{v.message}</span>
                  {v.expected !== null || v.actual !== null ? (
                    <span className="block break-all font-mono text-slate-400">
                      expected {v.expected ?? "—"} · actual {v.actual ?? "—"}
                    </span>
                  ) : null}
                </li>
              ))}
              {r.push_refusal ? <li className="text-xs text-amber-200">A push of this block would be refused before storing: {r.push_refusal}</li> : null}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}
