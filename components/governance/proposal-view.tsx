"use client";
/**
 * One proposal, live: its fields and epoch, the timeline of its lifecycle, the reviews, the tally against quorum and
 * threshold, a countdown to the end of voting (in the viewer's time zone), and the vote / review panel for a member
 * whose key is unlocked.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/app/_trpc/react";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { formatDuration, formatUnixSeconds } from "@/components/chain/format";
import { useNowSeconds } from "@/components/ui/use-now";
import { VOTE_CHOICES, type VoteChoice } from "@/lib/governance/bodies";

import { BenchmarkResultsView } from "./benchmark-results-view";
import { SignPanel } from "./sign-panel";
import { useSigningKey } from "./signing-key";
import { StatusBadge } from "./status-badge";
import { TallyChart } from "./tally-chart";

const LIFECYCLE = ["SUBMITTED", "UNDER_REVIEW", "VOTING", "APPROVED", "SCHEDULED", "ACTIVATED"];
/**
 * A time in the viewer's time zone once the page runs in the browser (`now` is set), in UTC before: the server does
 * not know the viewer's zone, and its HTML must equal the first client render (hydration).
 */
const localTime = (t: number | null, now: number | null) => (t === null ? "—" : now === null ? formatUnixSeconds(t) : new Date(t * 1000).toLocaleString());

export function ProposalView({ hash }: { hash: string }) {
  const trpc = useTRPC();
  const p = useQuery(trpc.governance.getProposal.queryOptions({ proposal_hash: hash }, { refetchInterval: 2_000 }));
  const now = useNowSeconds();
  const { unlocked } = useSigningKey();
  const [choice, setChoice] = useState<VoteChoice>("YES");
  if (p.error) return <p role="alert" className="text-sm text-rose-300">{p.error.message}</p>;
  if (!p.data) return <p className="text-sm text-slate-300">Loading…</p>;
  const d = p.data;
  const ep = d.body.epoch_parameters;
  const reached = LIFECYCLE.indexOf(d.status === "REJECTED" || d.status === "EXPIRED" ? "" : d.status);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={d.status} />
        <span className="break-all font-mono text-xs text-slate-300">{d.proposal_hash}</span>
      </div>
      <Card title="Lifecycle">
        <ol className="flex flex-wrap gap-2 text-xs" aria-label="lifecycle">
          {LIFECYCLE.map((s, i) => (
            <li key={s} className={`rounded border px-2 py-1 ${i <= reached ? "border-emerald-700 text-emerald-200" : "border-slate-700 text-slate-400"}`} aria-current={s === d.status ? "step" : undefined}>
              {i <= reached ? "✓ " : ""}
              {s.replace("_", " ")}
            </li>
          ))}
          {d.status === "REJECTED" || d.status === "EXPIRED" ? <li className="rounded border border-rose-700 px-2 py-1 text-rose-200">{d.status}</li> : null}
        </ol>
        <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2">
          <div><dt className="inline text-slate-400">Proposer: </dt><dd className="inline">{d.proposer}</dd></div>
          <div><dt className="inline text-slate-400">Submitted: </dt><dd className="inline">{localTime(d.submission_timestamp, now)}</dd></div>
          <div><dt className="inline text-slate-400">Epoch: </dt><dd className="inline">{ep.rule_version}, {ep.algorithm_name} (0x{ep.algorithm_id.toString(16).padStart(2, "0")}) from block {d.activation_block}</dd></div>
          <div><dt className="inline text-slate-400">Voting: </dt><dd className="inline">{localTime(d.voting_starts_at, now)} → {localTime(d.voting_ends_at, now)}</dd></div>
          {d.status === "VOTING" && d.voting_ends_at !== null ? (
            <div><dt className="inline text-slate-400">Closes in: </dt><dd className="inline" data-testid="countdown">{now === null ? "…" : d.voting_ends_at > now ? formatDuration(d.voting_ends_at - now) : "closing…"}</dd></div>
          ) : null}
        </dl>
        <p className="mt-2 whitespace-pre-wrap text-sm text-slate-200">{d.body.rationale}</p>
      </Card>
      <Card title="Benchmark results">
        <BenchmarkResultsView results={d.body.benchmark_results as Record<string, unknown>} />
      </Card>
      <Card title={`Reviews (${d.reviews.length}; consensus needs at least ${d.min_reviews})`}>
        <DataTable
          caption="Technical reviews"
          captionHidden
          rows={d.reviews}
          rowKey={(r) => r.digest}
          empty="No reviews yet."
          columns={[
            { id: "reviewer", header: "Reviewer", cell: (r) => r.reviewer },
            { id: "rec", header: "Recommendation", cell: (r) => r.recommendation },
            { id: "at", header: "At", cell: (r) => localTime(r.created_at, now) },
          ]}
        />
      </Card>
      <Card title="Tally">
        {d.tally ? (
          <div data-testid="tally">
            <TallyChart tally={d.tally} />
            <p className="text-sm text-slate-200">
              YES <span data-testid="tally-yes">{d.tally.yes}</span> · NO <span data-testid="tally-no">{d.tally.no}</span> · ABSTAIN {d.tally.abstain} · {d.tally.voters} voters ·
              quorum {d.tally.quorum_met ? "met" : "not met"} · approval {d.tally.approval_met ? "met" : "not met"}
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-300">Voting opens when reviewer consensus approves.</p>
        )}
      </Card>
      {d.status === "VOTING" ? (
        <Card title="Your vote">
          <fieldset className="mb-2 flex flex-wrap gap-2 text-sm">
            <legend className="sr-only">Choice</legend>
            {VOTE_CHOICES.map((c) => (
              // The whole label is the touch target (44 px high), not the 16 px radio button inside it.
              <label key={c} className="flex min-h-11 cursor-pointer items-center gap-2 rounded border border-slate-700 px-3 has-[:checked]:border-sky-500 has-[:checked]:bg-sky-950">
                <input type="radio" name="choice" value={c} checked={choice === c} onChange={() => setChoice(c)} className="h-4 w-4" /> {c}
              </label>
            ))}
          </fieldset>
          <SignPanel key={choice} draft={{ type: "vote", body: { proposal_hash: d.proposal_hash, choice } }} label={`Vote ${choice}`} />
        </Card>
      ) : null}
      {d.status === "UNDER_REVIEW" && unlocked ? (
        <Card title="Your review">
          <ReviewPanel hash={d.proposal_hash} />
        </Card>
      ) : null}
    </div>
  );
}

function ReviewPanel({ hash }: { hash: string }) {
  const [rec, setRec] = useState<"APPROVE" | "REJECT" | "CONDITIONAL">("APPROVE");
  const [notes, setNotes] = useState("");
  const section = { notes };
  return (
    <div className="space-y-2">
      <label className="block text-sm" htmlFor="review-rec">
        Recommendation{" "}
        <select id="review-rec" value={rec} onChange={(e) => setRec(e.target.value as typeof rec)} className="ml-1 rounded border border-slate-600 bg-slate-950 px-2 py-1 text-sm">
          <option>APPROVE</option>
          <option>REJECT</option>
          <option>CONDITIONAL</option>
        </select>
      </label>
      <label className="block text-sm" htmlFor="review-notes">
        Notes (code, tests, benchmarks, security, docs)
      </label>
      <textarea id="review-notes" value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={5000} className="w-full rounded border border-slate-600 bg-slate-950 p-2 text-sm" rows={3} />
      <SignPanel draft={{ type: "review", body: { proposal_hash: hash, recommendation: rec, code_review: section, test_review: section, benchmark_review: section, security_review: section, docs_review: section } }} label={`Review: ${rec}`} />
    </div>
  );
}
