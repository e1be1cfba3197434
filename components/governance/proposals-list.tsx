"use client";
/** The proposals list, live, with a status filter. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { useTRPC } from "@/app/_trpc/react";
import { DataTable } from "@/components/ui/data-table";
import { formatUnixSeconds, shortHash } from "@/components/chain/format";

import { StatusBadge } from "./status-badge";

const FILTERS = ["", "UNDER_REVIEW", "VOTING", "SCHEDULED", "ACTIVATED", "REJECTED", "EXPIRED"];

export function ProposalsList() {
  const trpc = useTRPC();
  const [status, setStatus] = useState("");
  const list = useQuery(trpc.governance.listProposals.queryOptions(status ? { status } : undefined, { refetchInterval: 3_000 }));
  return (
    <div className="space-y-2">
      <label className="text-sm text-slate-300" htmlFor="status-filter">
        Status{" "}
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value)} className="ml-1 rounded border border-slate-600 bg-slate-950 px-2 py-1 text-sm">
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {f === "" ? "all" : f.replace("_", " ").toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {list.error ? <p role="alert" className="text-sm text-rose-300">{list.error.message}</p> : null}
      <DataTable
        caption="Proposals, newest first"
        captionHidden
        rows={list.data ?? []}
        rowKey={(p) => p.proposal_hash}
        empty={list.isLoading ? "Loading…" : "No proposals yet. A proposer submits one with New proposal, or with `mathledger-cli governance propose`."}
        columns={[
          { id: "title", header: "Title", cell: (p) => <Link className="text-sky-300 underline" href={`/governance/proposals/${p.proposal_hash}`}>{p.title}</Link> },
          { id: "status", header: "Status", cell: (p) => <StatusBadge status={p.status} /> },
          { id: "proposer", header: "Proposer", cell: (p) => p.proposer },
          { id: "activation", header: "Activation block", align: "right", mono: true, cell: (p) => p.activation_block },
          { id: "submitted", header: "Submitted", cell: (p) => formatUnixSeconds(p.submission_timestamp) },
          { id: "hash", header: "Hash", mono: true, cell: (p) => shortHash(p.proposal_hash) },
        ]}
      />
    </div>
  );
}
