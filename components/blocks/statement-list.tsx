"use client";
/**
 * A block's statements, each with a "Verify inclusion proof" action that builds and checks the statement's Merkle
 * inclusion proof in the browser (noble hashes, see ./inclusion-proof.ts) against every root the block declares.
 */
import { useId, useMemo, useState } from "react";

import { checkStatementInclusion, declaredRoots, type RootCheck } from "./inclusion-proof";

/** Statements shown before "Show all" (a block may carry thousands). */
const INITIAL_SHOWN = 100;

export interface StatementListProps {
  statements: readonly string[];
  merkleRoot: string | null;
  pqAlgorithm: number | null;
  pqMerkleRoot: string | null;
}

export function StatementList({ statements, merkleRoot, pqAlgorithm, pqMerkleRoot }: StatementListProps) {
  const [showAll, setShowAll] = useState(false);
  const roots = useMemo(() => declaredRoots({ merkle_root: merkleRoot, pq_algorithm: pqAlgorithm, pq_merkle_root: pqMerkleRoot }), [merkleRoot, pqAlgorithm, pqMerkleRoot]);
  if (statements.length === 0) return <p className="text-sm text-slate-400">This block carries no statements (its roots are the empty-tree hashes).</p>;
  const shown = showAll ? statements : statements.slice(0, INITIAL_SHOWN);
  return (
    <>
      <ol className="divide-y divide-slate-800/70">
        {shown.map((text, index) => (
          <StatementItem key={index} index={index} text={text} statements={statements} roots={roots} />
        ))}
      </ol>
      {shown.length < statements.length ? (
        <button type="button" onClick={() => setShowAll(true)} className="mt-2 rounded text-sm text-sky-400 underline">
          Show all {statements.length} statements
        </button>
      ) : null}
    </>
  );
}

function StatementItem({ index, text, statements, roots }: { index: number; text: string; statements: readonly string[]; roots: ReturnType<typeof declaredRoots> }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const checks = useMemo(() => (open ? checkStatementInclusion(statements, index, roots) : null), [open, statements, index, roots]);
  return (
    <li className="py-1.5" data-statement-index={index}>
      <div className="flex items-start gap-3">
        <span className="w-10 shrink-0 pt-0.5 text-right font-mono text-xs text-slate-500">{index}</span>
        <p className="min-w-0 flex-1 whitespace-pre-wrap break-words text-sm text-slate-200">{text}</p>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
          className="shrink-0 rounded border border-slate-700 px-2 py-0.5 text-xs text-sky-300 hover:bg-slate-800"
        >
          {open ? "Hide proof" : "Verify inclusion proof"}
          <span className="sr-only"> of statement {index}</span>
        </button>
      </div>
      <div id={panelId} hidden={!open}>
        {checks ? <ProofPanel index={index} checks={checks} /> : null}
      </div>
    </li>
  );
}

const STATUS_TEXT = { match: "included: the recomputed root matches", mismatch: "does not match the declared root", unverifiable: "cannot be verified" } as const;
const STATUS_CLASS = { match: "text-emerald-300", mismatch: "text-rose-300", unverifiable: "text-amber-300" } as const;
const STATUS_MARK = { match: "✓", mismatch: "✗", unverifiable: "?" } as const;

function ProofPanel({ index, checks }: { index: number; checks: RootCheck[] }) {
  return (
    <section aria-label={`Inclusion proof of statement ${index}`} className="mt-2 space-y-3 sm:ml-[3.25rem] rounded-md border border-slate-800 bg-slate-950/70 p-3">
      <p className="text-xs text-slate-400" role="status">
        Checked in this browser with @noble/hashes:{" "}
        {checks.map((c) => `${c.label} ${STATUS_MARK[c.status]}`).join(", ")}. Leaf {index} of {checks[0]?.treeSize ?? 0}, RFC 9162 audit path.
      </p>
      {checks.map((check) => (
        <div key={check.field} data-root-field={check.field} data-status={check.status}>
          <p className={`text-sm font-semibold ${STATUS_CLASS[check.status]}`}>
            <span aria-hidden="true">{STATUS_MARK[check.status]} </span>
            {check.label} ({check.algorithmName ?? "unknown algorithm"}, <code>{check.field}</code>): {STATUS_TEXT[check.status]}
          </p>
          {check.note ? <p className="mt-0.5 text-xs text-slate-400">{check.note}</p> : null}
          <dl className="mt-1.5 grid grid-cols-1 gap-x-3 sm:grid-cols-[9rem_1fr] gap-y-0.5 font-mono text-xs">
            <dt className="text-slate-500">leaf hash</dt>
            <dd className="break-all text-slate-300">{check.leafHash ?? "—"}</dd>
          </dl>
          {check.steps.length > 0 ? (
            <table className="mt-1 w-full text-xs">
              <caption className="sr-only">Audit path for the {check.label}</caption>
              <thead>
                <tr className="text-left text-slate-500">
                  <th scope="col" className="w-12 py-0.5 font-normal">level</th>
                  <th scope="col" className="w-20 py-0.5 font-normal">sibling</th>
                  <th scope="col" className="py-0.5 font-normal">sibling hash → node hash</th>
                </tr>
              </thead>
              <tbody className="font-mono">
                {check.steps.map((step, i) => (
                  <tr key={i} className="align-top">
                    <td className="py-0.5 text-slate-400">{step.level}</td>
                    <td className="py-0.5 text-slate-400">{step.siblingSide}</td>
                    <td className="py-0.5">
                      <span className="block break-all text-slate-300">{step.sibling}</span>
                      <span className="block break-all text-slate-500">→ {step.result}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : check.leafHash ? (
            <p className="mt-1 text-xs text-slate-500">Empty audit path: the only statement&apos;s leaf hash is the root.</p>
          ) : null}
          <dl className="mt-1.5 grid grid-cols-1 gap-x-3 sm:grid-cols-[9rem_1fr] gap-y-0.5 font-mono text-xs">
            <dt className="text-slate-500">recomputed root</dt>
            <dd className="break-all text-slate-300">{check.computedRoot ?? "—"}</dd>
            <dt className="text-slate-500">declared root</dt>
            <dd className={`break-all ${check.status === "mismatch" ? "text-rose-300" : "text-slate-300"}`}>{check.declared ?? "— (none)"}</dd>
          </dl>
        </div>
      ))}
      {checks.length === 0 ? <p className="text-sm text-amber-300">This block declares no Merkle root to check against.</p> : null}
    </section>
  );
}
