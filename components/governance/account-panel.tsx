"use client";
/** The account page: create a key in the browser, import or export a key file, unlock it with the passphrase. */
import { useState, type FormEvent } from "react";

import { Card } from "@/components/ui/card";
import { MIN_PASSPHRASE_LENGTH } from "@/lib/governance/key-file";

import { useSession } from "./session";
import { useSigningKey } from "./signing-key";

const input = "w-full rounded border border-slate-600 bg-slate-950 px-2 py-1.5 text-sm text-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300";
const button = "rounded border border-sky-700 bg-sky-900 px-3 py-1.5 text-sm text-sky-50 hover:bg-sky-800 disabled:opacity-60 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-300";

export function AccountPanel() {
  const k = useSigningKey();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const run = (fn: () => Promise<void> | void, ok: string) => async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await fn();
      setMessage({ tone: "ok", text: ok });
    } catch (error) {
      setMessage({ tone: "error", text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const [memberId, setMemberId] = useState("");
  const [newPass, setNewPass] = useState("");
  const [pass, setPass] = useState("");

  const exportHref = k.keyFile ? `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(k.keyFile, null, 2))}` : undefined;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card title="Your key">
        {k.keyFile ? (
          <dl className="space-y-1 text-sm">
            <dt className="text-slate-400">Member</dt>
            <dd data-testid="key-member">{k.keyFile.member_id ?? "(none)"}</dd>
            <dt className="text-slate-400">Ed25519 public key</dt>
            <dd className="break-all font-mono text-xs">{k.keyFile.public_keys.ed25519}</dd>
            <dt className="text-slate-400">ML-DSA-65 public key</dt>
            <dd className="break-all font-mono text-xs">{k.keyFile.public_keys.ml_dsa_65.slice(0, 98)}… (1,952 bytes)</dd>
            <dt className="text-slate-400">Status</dt>
            <dd data-testid="key-status">{k.unlocked ? "unlocked in this tab" : "locked"}</dd>
          </dl>
        ) : (
          <p className="text-sm text-slate-300">No key in this browser yet. Create one, or import the key file you were given (on a devnet: &lt;data dir&gt;/devnet-keys/&lt;member&gt;.key, passphrase in the start banner).</p>
        )}
        {k.keyFile ? (
          <div className="mt-3 flex flex-wrap gap-2">
            {k.unlocked ? (
              <button type="button" className={button} onClick={() => k.lock()}>
                Lock
              </button>
            ) : null}
            <a className={button} href={exportHref} download={`${k.keyFile.member_id ?? "governance"}.key`}>
              Export key file
            </a>
            <button type="button" className="rounded border border-rose-800 px-3 py-1.5 text-sm text-rose-200 hover:bg-rose-950" onClick={() => k.forget()}>
              Remove from this browser
            </button>
          </div>
        ) : null}
      </Card>
      <Card title="Sign in">
        {session.member ? (
          <div className="space-y-2 text-sm">
            <p data-testid="signed-in-as">
              Signed in as <strong>{session.member.name}</strong> ({session.member.id}), roles: {session.member.roles.join(", ") || "none"}.
            </p>
            <p className="text-slate-400">The session names you to the portal (operator actions); every vote or signature still needs your unlocked key.</p>
            <button type="button" className={button} disabled={busy} onClick={() => void run(() => session.signOut(), "Signed out.")()}>
              Sign out
            </button>
          </div>
        ) : k.unlocked ? (
          <div className="space-y-2 text-sm">
            <p>Sign in by signing a one-time challenge from the server with your unlocked key (nothing secret is sent).</p>
            <button
              type="button"
              className={button}
              disabled={busy || !k.unlocked.memberId}
              onClick={() => void run(async () => void (await session.signIn(k.unlocked!.key, k.unlocked!.memberId!)), "Signed in.")()}
            >
              {k.unlocked.memberId ? `Sign in as ${k.unlocked.memberId}` : "Sign in (the key names no member)"}
            </button>
          </div>
        ) : (
          <p className="text-sm text-slate-300">Not signed in. Unlock your key with its passphrase to sign in.</p>
        )}
      </Card>
      {k.keyFile && !k.unlocked ? (
        <Card title="Unlock">
          <form onSubmit={run(() => k.unlock(pass), "Key unlocked for this tab.")} className="space-y-2">
            <label className="block text-sm" htmlFor="unlock-pass">
              Passphrase
            </label>
            <input id="unlock-pass" type="password" autoComplete="current-password" className={input} value={pass} onChange={(e) => setPass(e.target.value)} />
            <button type="submit" className={button} disabled={busy}>
              {busy ? "Unlocking…" : "Unlock"}
            </button>
          </form>
        </Card>
      ) : null}
      <Card title="Create a key">
        <form onSubmit={run(() => k.generate(memberId.trim(), newPass), "Key created and unlocked. Export it and keep the file safe: the registry needs its public keys.")} className="space-y-2">
          <label className="block text-sm" htmlFor="new-member">
            Member id
          </label>
          <input id="new-member" className={input} value={memberId} onChange={(e) => setMemberId(e.target.value)} pattern="[a-z0-9][a-z0-9_\-]{0,63}" required />
          <label className="block text-sm" htmlFor="new-pass">
            Passphrase (at least {MIN_PASSPHRASE_LENGTH} characters)
          </label>
          <input id="new-pass" type="password" autoComplete="new-password" className={input} minLength={MIN_PASSPHRASE_LENGTH} value={newPass} onChange={(e) => setNewPass(e.target.value)} required />
          <button type="submit" className={button} disabled={busy}>
            {busy ? "Creating (scrypt takes a moment)…" : "Create key"}
          </button>
        </form>
      </Card>
      <Card title="Import a key file">
        <label className="block text-sm" htmlFor="import-file">
          Key file (.key)
        </label>
        <input
          id="import-file"
          type="file"
          accept=".key,.json,application/json"
          className="mt-1 block text-sm text-slate-200"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) await run(async () => k.importFile(JSON.parse(await file.text())), "Key file imported: unlock it with its passphrase.")();
          }}
        />
      </Card>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={`md:col-span-2 text-sm ${message.tone === "error" ? "text-rose-300" : "text-emerald-300"}`}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
