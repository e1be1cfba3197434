"use client";
/**
 * The council's page: attestations and emergencies with their signature progress (n/7, threshold 5), signing for a
 * council member whose key is unlocked, declaring an emergency (PENDING, seen only here, until 5 of 7 sign), and
 * ordering the rollback of a DECLARED one (rollback-panel.tsx).
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/app/_trpc/react";
import { Card } from "@/components/ui/card";

import { RollbackPanel } from "./rollback-panel";
import { SignPanel } from "./sign-panel";
import { useSigningKey } from "./signing-key";
import { StatusBadge } from "./status-badge";

function Progress({ n, label }: { n: number; label: string }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <meter min={0} max={7} low={4.5} high={4.99} optimum={7} value={n} aria-label={label} className="h-3 w-32" />
      <span data-testid="signature-progress">{n}/7</span>
      <span className="text-slate-400">(5 needed)</span>
    </div>
  );
}

export function CouncilView() {
  const trpc = useTRPC();
  const { unlocked } = useSigningKey();
  const attestations = useQuery(trpc.governance.listAttestations.queryOptions(undefined, { refetchInterval: 2_000 }));
  const emergencies = useQuery(trpc.governance.listEmergencies.queryOptions(undefined, { refetchInterval: 2_000 }));
  const [trigger, setTrigger] = useState("");
  const [evidence, setEvidence] = useState("");
  return (
    <div className="space-y-4">
      <Card title="Attestations">
        {attestations.data?.length === 0 ? <p className="text-sm text-slate-300">No attestations yet (an operator opens one with `mathledger-cli governance attestation create`).</p> : null}
        <ul className="space-y-3">
          {attestations.data?.map((a) => (
            <li key={a.attestation_id} className="rounded border border-slate-800 p-2" data-testid={`attestation-${a.attestation_id}`}>
              <div className="flex flex-wrap items-center gap-2">
                <strong className="text-sm">{a.attestation_id}</strong>
                <StatusBadge status={a.status} />
              </div>
              <p className="break-all text-xs text-slate-300">
                block {a.block_number} · {a.block_hash} · PQ root {a.pq_merkle_root ?? "none"}
              </p>
              <Progress n={a.signature_count} label={`signatures on ${a.attestation_id}`} />
              {a.status === "PENDING" && unlocked ? (
                <SignPanel draft={{ type: "attestation", body: { attestation_id: a.attestation_id, milestone: a.milestone, block_number: a.block_number, block_hash: a.block_hash, pq_merkle_root: a.pq_merkle_root } }} label="Attest" />
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Emergencies">
        {emergencies.data?.length === 0 ? <p className="text-sm text-slate-300">No emergencies declared.</p> : null}
        <ul className="space-y-3">
          {emergencies.data?.map((e) => (
            <li key={e.emergency_hash} className="rounded border border-slate-800 p-2" data-testid={`emergency-${e.emergency_hash}`}>
              <div className="flex flex-wrap items-center gap-2">
                <strong className="text-sm">{e.trigger}</strong>
                <StatusBadge status={e.status} />
                <span className="break-all font-mono text-xs text-slate-400">{e.emergency_hash}</span>
              </div>
              <p className="text-xs text-slate-300">declared by {e.declarer}{e.rollback_block !== null ? ` · rolled back from block ${e.rollback_block}` : ""}</p>
              <Progress n={e.signature_count} label={`council signatures on emergency ${e.trigger}`} />
              {e.status === "PENDING" && unlocked ? <SignPanel draft={{ type: "emergency_signature", body: { emergency_hash: e.emergency_hash } }} label="Sign the declaration" /> : null}
              {e.status === "DECLARED" && unlocked ? <RollbackPanel emergency={e} /> : null}
            </li>
          ))}
        </ul>
      </Card>
      {unlocked ? (
        <Card title="Declare an emergency">
          <label className="block text-sm" htmlFor="em-trigger">Trigger</label>
          <input id="em-trigger" value={trigger} maxLength={200} onChange={(e) => setTrigger(e.target.value)} className="w-full rounded border border-slate-600 bg-slate-950 px-2 py-1.5 text-sm" />
          <label className="mt-2 block text-sm" htmlFor="em-evidence">Evidence</label>
          <textarea id="em-evidence" value={evidence} maxLength={20000} onChange={(e) => setEvidence(e.target.value)} rows={3} className="w-full rounded border border-slate-600 bg-slate-950 p-2 text-sm" />
          <div className="mt-2">
            {trigger.trim() && evidence.trim() ? <SignPanel draft={{ type: "emergency_declaration", body: { trigger: trigger.trim(), evidence: evidence.trim() } }} label="Declare" /> : <p className="text-xs text-slate-400">Give a trigger and evidence to declare.</p>}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
