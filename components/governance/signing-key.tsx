"use client";
/**
 * The member's signing key in the browser. The key file (encrypted under the passphrase: scrypt + AES-GCM,
 * docs/spec/governance.md §9) is kept in this browser's localStorage; the decrypted key lives only in memory, for as
 * long as the tab is open and the user has not locked it. Nothing secret is ever sent to the server: the server only
 * ever sees signed envelopes.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { generateSigningKey, type HybridSigningKey } from "@/lib/governance/hybrid-keys";
import { decryptKeyFile, encryptKeyFile, parseKeyFile, type KeyFile } from "@/lib/governance/key-file";

const STORAGE_KEY = "mathledger-governance-key-file";
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

interface SigningKeyState {
  keyFile: KeyFile | null;
  unlocked: { key: HybridSigningKey; memberId: string | null } | null;
  generate(memberId: string, passphrase: string): Promise<void>;
  importFile(json: unknown): void;
  unlock(passphrase: string): Promise<void>;
  lock(): void;
  forget(): void;
}

const Ctx = createContext<SigningKeyState | null>(null);

export function SigningKeyProvider({ children }: { children: ReactNode }) {
  const [keyFile, setKeyFile] = useState<KeyFile | null>(null);
  const [unlocked, setUnlocked] = useState<SigningKeyState["unlocked"]>(null);
  useEffect(() => {
    try {
      const stored = localStorage.getItem(STORAGE_KEY);
      // localStorage exists only in the browser, after hydration: reading it during render would make the first client
      // render differ from the server's HTML.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      if (stored) setKeyFile(parseKeyFile(JSON.parse(stored)));
    } catch {
      localStorage.removeItem(STORAGE_KEY);
    }
  }, []);
  const store = useCallback((file: KeyFile) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(file));
    setKeyFile(file);
    setUnlocked(null);
  }, []);
  const value = useMemo<SigningKeyState>(
    () => ({
      keyFile,
      unlocked,
      async generate(memberId, passphrase) {
        const key = generateSigningKey(random);
        const file = await encryptKeyFile(key, passphrase, { memberId: memberId || null, randomBytes: random });
        store(file);
        setUnlocked({ key, memberId: file.member_id });
      },
      importFile(json) {
        store(parseKeyFile(json));
      },
      async unlock(passphrase) {
        if (!keyFile) throw new Error("no key file: create or import one first");
        setUnlocked(await decryptKeyFile(keyFile, passphrase));
      },
      lock: () => setUnlocked(null),
      forget() {
        localStorage.removeItem(STORAGE_KEY);
        setKeyFile(null);
        setUnlocked(null);
      },
    }),
    [keyFile, unlocked, store],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSigningKey(): SigningKeyState {
  const state = useContext(Ctx);
  if (!state) throw new Error("useSigningKey outside SigningKeyProvider");
  return state;
}
