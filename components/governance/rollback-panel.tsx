"use client";
/**
 * Ordering the rollback of a DECLARED emergency (5 of 7 council signatures): a council member chooses the first block
 * of the legacy epoch, checked as they type with the rules the server applies (lib/governance/rollback-draft.ts:
 * above the canonical tip, polled; accepted by the consensus core after the registry), then signs the `rollback`
 * message shown with its digest. The same service as `mathledger-cli governance rollback` registers the epoch.
 */
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";

import { useTRPC } from "@/app/_trpc/react";
import { useNowSeconds } from "@/components/ui/use-now";
import type { EmergencyStatus } from "@/lib/governance/emergency";
import type { Member } from "@/lib/governance/members";
import { checkRollbackDraft } from "@/lib/governance/rollback-draft";

import { SignPanel } from "./sign-panel";
import { useSigningKey } from "./signing-key";

export function RollbackPanel({ emergency }: { emergency: { emergency_hash: string; status: EmergencyStatus; trigger: string } }) {
  const trpc = useTRPC();
  const id = useId();
  const { unlocked } = useSigningKey();
  const context = useQuery(trpc.governance.checkContext.queryOptions(undefined, { refetchInterval: 2_000 }));
  const members = useQuery(trpc.governance.members.queryOptions());
  const now = useNowSeconds();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const me = members.data?.members.find((m) => m.id === unlocked?.memberId) as Member | undefined;

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-2 rounded border border-rose-700 bg-rose-950 px-3 py-1.5 text-sm text-rose-100 hover:bg-rose-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-rose-300"
      >
        Order the rollback…
      </button>
    );
  }
  const ctx = context.data ? { registry: context.data.registry, tip: context.data.tip, finalizedHeight: context.data.finalized_height } : null;
  const check = ctx && me && text.trim() ? checkRollbackDraft(text, emergency, me, ctx, now ?? 0) : null;
  const problem = check?.problem ?? null;
  return (
    <div className="mt-2 space-y-2 rounded border border-rose-900 p-2">
      <label htmlFor={`${id}-block`} className="block text-sm text-slate-200">
        Rollback block (first block of the v1-legacy SHA-256 epoch)
      </label>
      <input
        id={`${id}-block`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        inputMode="numeric"
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ""}`}
        className={`w-40 rounded border bg-slate-950 px-2 py-1.5 text-sm text-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300 ${problem ? "border-rose-500" : "border-slate-600"}`}
      />
      <p id={`${id}-hint`} className="text-xs text-slate-400" data-testid="rollback-hint">
        {ctx ? `Above the canonical tip, now ${ctx.tip}: history is never rewritten.` : "Reading the node's tip…"}
      </p>
      {problem ? (
        <p id={`${id}-error`} className="break-words text-xs text-rose-300" data-testid="rollback-error">
          {problem.code}: {problem.message}
        </p>
      ) : null}
      <SignPanel
        key={check?.body ? String(check.body.rollback_block) : "none"}
        draft={check?.body ? { type: "rollback", body: check.body } : null}
        label="Sign the rollback"
        blockedReason={me ? "Enter a block above the tip." : "The key unlocked here names no registered member."}
      />
    </div>
  );
}
