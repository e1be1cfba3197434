"use client";
/**
 * Signs one governance action in the browser and submits it. Before anything is signed it shows the exact canonical
 * message (RFC 8785) and its SHA3-256 digest, as Safe and Snapshot users expect; the server verifies both signatures
 * and answers with a reason code when it refuses.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";

import { useTRPC, useTRPCClient } from "@/app/_trpc/react";
import type { ActionResult } from "@/server/governance/action-context";
import type { MessageType } from "@/lib/governance/bodies";
import { signMessage } from "@/lib/governance/envelope";
import { buildMessage, canonicalJson, messageDigest, type GovernanceMessage, type MessageDraft } from "@/lib/governance/message";

import { useSigningKey } from "./signing-key";

const TTL_SECONDS = 3600;

/**
 * `draft` null: nothing to sign yet (the form around it still has problems); the button is then disabled and says why
 * through `blockedReason`. `onDone` receives the server's answer (e.g. the new proposal's hash).
 */
export function SignPanel<T extends MessageType>({ draft, label, onDone, blockedReason }: { draft: MessageDraft<T> | null; label: string; onDone?: (result: ActionResult) => void; blockedReason?: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { unlocked } = useSigningKey();
  const members = useQuery(trpc.governance.members.queryOptions());
  const [prepared, setPrepared] = useState<GovernanceMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const blockedId = useId();
  const me = members.data?.members.find((m) => m.id === unlocked?.memberId);

  const prepare = () => {
    setError(null);
    if (!unlocked || !members.data || !draft) return;
    if (!unlocked.memberId) return setError("This key names no member id: create or import the key of a registered member.");
    try {
      const now = Math.floor(Date.now() / 1000);
      setPrepared(buildMessage(draft, { network_id: members.data.network_id, signer: unlocked.memberId, nonce: Math.max(Date.now(), (me?.last_nonce ?? 0) + 1), issued_at: now, ttl_seconds: TTL_SECONDS }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const submit = useMutation({
    mutationFn: async (message: GovernanceMessage) => client.governance.submit.mutate({ envelope: signMessage(message, unlocked!.key) as unknown as Record<string, unknown> }),
    onSuccess: async (result) => {
      setPrepared(null);
      await queryClient.invalidateQueries();
      onDone?.(result);
    },
    onError: (e) => setError(describeError(e)),
  });
  const digest = useMemo(() => (prepared ? messageDigest(prepared) : null), [prepared]);
  // The message needs the network id and the signer's last nonce from the registry: until it has loaded the button is
  // disabled (a click before then would do nothing, silently).
  const ready = Boolean(draft && members.data);
  const notReadyReason = !draft ? blockedReason : members.error ? `Cannot read the member registry: ${members.error.message}` : !members.data ? "Reading the member registry…" : undefined;

  if (!unlocked) return <InlineUnlock label={label} />;
  return (
    <div className="space-y-2">
      {!prepared ? (
        <>
          <button
            type="button"
            onClick={prepare}
            disabled={!ready}
            aria-describedby={notReadyReason ? blockedId : undefined}
            className="rounded border border-sky-700 bg-sky-900 px-3 py-1.5 text-sm text-sky-50 hover:bg-sky-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-60"
          >
            {label}…
          </button>
          {notReadyReason ? (
            <p id={blockedId} className="text-xs text-slate-300">
              {notReadyReason}
            </p>
          ) : null}
        </>
      ) : (
        <div className="space-y-2 rounded border border-slate-700 p-2">
          <p className="text-sm text-slate-200">
            You are about to sign as <strong>{prepared.signer}</strong>:
          </p>
          <pre aria-label="canonical message" className="max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950 p-2 text-xs text-slate-200">{canonicalJson(prepared)}</pre>
          <p className="break-all text-xs text-slate-300">
            digest (SHA3-256): <code data-testid="message-digest">{digest}</code>
          </p>
          <div className="flex gap-2">
            <button type="button" disabled={submit.isPending} onClick={() => submit.mutate(prepared)} className="rounded border border-emerald-700 bg-emerald-900 px-3 py-1.5 text-sm text-emerald-50 hover:bg-emerald-800 disabled:opacity-60">
              {submit.isPending ? "Signing…" : `Sign and submit`}
            </button>
            <button type="button" onClick={() => setPrepared(null)} className="rounded border border-slate-600 px-3 py-1.5 text-sm text-slate-200 hover:bg-slate-800">
              Cancel
            </button>
          </div>
        </div>
      )}
      {error ? (
        <p role="alert" className="text-sm text-rose-300">
          {error}
        </p>
      ) : null}
      {submit.isSuccess ? (
        <p role="status" className="text-sm text-emerald-300">
          Accepted.
        </p>
      ) : null}
    </div>
  );
}

export function describeError(e: unknown): string {
  const err = e as { message?: string; data?: { domainCode?: string | null } };
  const code = err.data?.domainCode;
  return code ? `${code}: ${err.message}` : (err.message ?? String(e));
}

/** Asks for the passphrase in place (the decrypted key lives only in memory, so a reload locks it again). */
function InlineUnlock({ label }: { label: string }) {
  const { keyFile, unlock } = useSigningKey();
  const [pass, setPass] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!keyFile) {
    return (
      <p className="text-sm text-slate-300">
        Create or import your key on the <Link className="text-sky-300 underline" href="/governance/account">account page</Link> to {label.toLowerCase()}.
      </p>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await unlock(pass);
        } catch (err) {
          setError((err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label className="text-sm text-slate-200">
        Passphrase of {keyFile.member_id ?? "your key"}
        <input type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} className="ml-2 rounded border border-slate-600 bg-slate-950 px-2 py-1 text-sm" />
      </label>
      <button type="submit" disabled={busy} className="rounded border border-sky-700 bg-sky-900 px-3 py-1.5 text-sm text-sky-50 hover:bg-sky-800 disabled:opacity-60">
        {busy ? "Unlocking…" : "Unlock to sign"}
      </button>
      {error ? <p role="alert" className="w-full text-sm text-rose-300">{error}</p> : null}
    </form>
  );
}
