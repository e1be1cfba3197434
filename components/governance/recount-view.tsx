"use client";
/** Offline recount in the browser: drop an exported bundle; every signature is re-verified here, nothing is uploaded. */
import { useState } from "react";

import { Card } from "@/components/ui/card";
import { recountBundle, type RecountResult } from "@/lib/governance/recount";

export function RecountView() {
  const [result, setResult] = useState<RecountResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const json = JSON.parse(await file.text());
      // Let the "verifying" state paint before the CPU-bound verification starts.
      await new Promise((r) => setTimeout(r, 0));
      setResult(recountBundle(json));
    } catch (e) {
      const err = e as { code?: string; message: string };
      setError(err.code ? `${err.code}: ${err.message}` : err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Recount a bundle">
      <label className="block text-sm" htmlFor="bundle-file">
        Bundle file (&lt;proposal hash&gt;.bundle.json from `mathledger-cli governance export`)
      </label>
      <input
        id="bundle-file"
        type="file"
        accept=".json,application/json"
        className="mt-1 block text-sm"
        onChange={(e) => void load(e.target.files?.[0])}
        onDrop={(e) => {
          e.preventDefault();
          void load(e.dataTransfer.files[0]);
        }}
      />
      {busy ? <p role="status" className="mt-2 text-sm">Verifying every signature…</p> : null}
      {error ? <p role="alert" className="mt-2 text-sm text-rose-300">{error}</p> : null}
      {result ? (
        <div role="status" className="mt-2 space-y-1 text-sm">
          <p>{result.votes_verified} vote envelopes verified (Ed25519 and ML-DSA-65).</p>
          <p>
            YES {result.tally.yes} · NO {result.tally.no} · ABSTAIN {result.tally.abstain} of {result.tally.total_power} · quorum {result.tally.quorum_met ? "met" : "missed"} · approval {result.tally.approval_met ? "met" : "missed"} → {result.tally.outcome}
          </p>
          <p className={result.matches_server === false ? "text-rose-300" : "text-emerald-300"}>
            {result.matches_server === null ? "The bundle carries no tally to compare." : result.matches_server ? "Matches the node's tally." : "DIFFERS from the node's tally."}
          </p>
        </div>
      ) : null}
    </Card>
  );
}
