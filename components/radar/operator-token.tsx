"use client";
/**
 * Operator actions without a signed-in operator: the node token (server/drift/operator-auth.ts), kept in this tab's
 * sessionStorage only and sent as `Authorization: Bearer` with each action. A member signed in with the operator
 * role needs none: the session cookie goes with the request by itself.
 */
import { useId, useState, useSyncExternalStore } from "react";

const KEY = "mathledger.operatorToken";
const CHANGED = "mathledger:operator-token";

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The token this tab holds ("" on the server and until one is given). */
export function useOperatorToken() {
  const token = useSyncExternalStore(subscribe, () => sessionStorage.getItem(KEY) ?? "", () => "");
  const save = (t: string) => {
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
    window.dispatchEvent(new Event(CHANGED));
  };
  return { token, save };
}

export function OperatorTokenForm({ token, onSave }: { token: string; onSave: (t: string) => void }) {
  const id = useId();
  const [draft, setDraft] = useState("");
  if (token) {
    return (
      <p className="flex flex-wrap items-center gap-2 text-xs text-slate-300">
        Operator actions enabled (node token held in this tab).
        <button type="button" className="rounded border border-slate-600 px-2 py-0.5 hover:bg-slate-800" onClick={() => onSave("")}>
          Forget token
        </button>
      </p>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(draft.trim());
        setDraft("");
      }}
    >
      <label htmlFor={id} className="text-slate-300">
        Node token (to acknowledge, resolve and silence; or sign in as an operator)
      </label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        className="min-w-48 rounded border border-slate-600 bg-slate-950 px-2 py-1 text-slate-100"
      />
      <button type="submit" className="rounded border border-sky-600 px-2 py-1 text-sky-200 hover:bg-sky-950" disabled={!draft.trim()}>
        Use token
      </button>
    </form>
  );
}

/**
 * Posts an operator action with the node token, or with "" as a signed-in operator (the same-origin fetch sends the
 * session cookie); resolves with the error message, or null on success.
 */
export async function postOperatorAction(token: string, body: Record<string, unknown>): Promise<string | null> {
  const r = await fetch("/api/v1/radar/actions", {
    method: "POST",
    headers: token ? { "content-type": "application/json", authorization: `Bearer ${token}` } : { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (r.ok) return null;
  const payload = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
  return payload?.error?.message ?? `HTTP ${r.status}`;
}
