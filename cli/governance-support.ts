/**
 * What the `governance ...` commands share: opening a key file (passphrase from --passphrase-env VAR or a prompt on
 * the terminal), choosing a nonce, signing a draft, submitting an envelope to the node's services, and the text
 * shown for an accepted action.
 */
import type pg from "pg";
import { AppError } from "../lib/errors";
import type { MessageType } from "../lib/governance/bodies";
import type { SignedEnvelope } from "../lib/governance/envelope";
import type { HybridSigningKey } from "../lib/governance/hybrid-keys";
import type { MessageDraft } from "../lib/governance/message";
import type { AnyCommand, CommandContext } from "./command";
import { readInputJson } from "./inputs/read-file";

// The signing code (ML-DSA-65, Ed25519, scrypt) and the terminal prompt (node:readline) are imported where they are
// used: parsing them costs more than the rest of the CLI together, and `--help`, usage errors and the database
// commands should not pay for it (issue 6, CLI start-up).
const governanceCrypto = () =>
  Promise.all([import("../lib/governance/envelope"), import("../lib/governance/key-file"), import("../lib/governance/message")]).then(
    ([envelope, keyFile, message]) => ({ ...envelope, ...keyFile, ...message }),
  );

export const DEFAULT_TTL_SECONDS = 3600;

export const KEY_FLAG = { key: { kind: "string", value: "FILE", required: true, description: "your key file (governance keygen, or exported from the portal's account page)" } } as const;
export const PASSPHRASE_FLAG = {
  "passphrase-env": { kind: "string", value: "VAR", description: "read the key file's passphrase from environment variable VAR (default: prompt on the terminal)" },
} as const;

/** The passphrase from the named variable, or typed at a prompt (not echoed); USAGE when neither is possible. */
export async function readPassphrase(context: CommandContext, envVar: string | undefined, prompt = "passphrase: "): Promise<string> {
  if (envVar !== undefined) {
    const value = context.env[envVar];
    if (value === undefined || value === "") throw new AppError("USAGE", `--passphrase-env ${envVar}: the environment variable ${envVar} is not set`);
    return value;
  }
  if (!process.stdin.isTTY) throw new AppError("USAGE", "no terminal to ask for the passphrase: give --passphrase-env VAR");
  const [{ createInterface }, { Writable }] = await Promise.all([import("node:readline"), import("node:stream")]);
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, done) => (muted || process.stderr.write(chunk), done()) });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

export interface OpenedKey {
  key: HybridSigningKey;
  memberId: string | null;
}

export async function openKey(context: CommandContext, file: string, passphraseEnv: string | undefined): Promise<OpenedKey> {
  const json = await readInputJson({ path: file, label: "key file" }, context.cwd);
  const passphrase = await readPassphrase(context, passphraseEnv);
  const { nodeScrypt } = await import("../server/governance/node-scrypt");
  const { decryptKeyFile } = await governanceCrypto();
  return decryptKeyFile(json, passphrase, nodeScrypt);
}

/** The signer id: the key file's member id, which must be set for signing. */
export function signerOf(opened: OpenedKey, override?: string): string {
  const id = override ?? opened.memberId;
  if (!id) throw new AppError("USAGE", "this key file names no member: give --signer ID (the member id the genesis registers for this key)");
  return id;
}

/** Signs a draft; the nonce is the clock in milliseconds unless given, and never at or below `lastNonce`. */
export async function signDraft<T extends MessageType>(
  draft: MessageDraft<T>,
  opened: OpenedKey,
  options: { signer: string; networkId: string; now: number; nonce?: number; ttl?: number; lastNonce?: number },
): Promise<SignedEnvelope<T>> {
  const nonce = options.nonce ?? Math.max(Date.now(), (options.lastNonce ?? 0) + 1);
  const { buildMessage, signMessage } = await governanceCrypto();
  const message = buildMessage(draft, { network_id: options.networkId, signer: options.signer, nonce, issued_at: options.now, ttl_seconds: options.ttl ?? DEFAULT_TTL_SECONDS });
  return signMessage(message, opened.key);
}

/** Signs `draft` with the key file and submits it to the node's services (the same entry point as the web). */
export async function signAndSubmit<T extends MessageType>(context: CommandContext, pool: pg.Pool, flags: { key: string; "passphrase-env"?: string }, draft: MessageDraft<T>) {
  const [{ loadGovernance }, { submitEnvelope }] = await Promise.all([import("../server/governance/governance-store"), import("../server/governance/submit-envelope")]);
  const registry = await loadGovernance(pool);
  const opened = await openKey(context, flags.key, flags["passphrase-env"]);
  const signer = signerOf(opened);
  const { rows } = await pool.query<{ last_nonce: number }>("SELECT last_nonce FROM governance_members WHERE id = $1", [signer]);
  const envelope = await signDraft(draft, opened, { signer, networkId: registry.networkId, now: context.now(), lastNonce: Number(rows[0]?.last_nonce ?? 0) });
  const result = await submitEnvelope(pool, envelope, { now: context.now() });
  const { messageDigest } = await governanceCrypto();
  return { result, envelope, digest: messageDigest(envelope.message) };
}

/** A result line per accepted action: the ids under the names --json uses. */
export function acceptedText(what: string, result: Record<string, unknown>): string {
  const rows = Object.entries(result).filter(([k, v]) => v !== undefined && k !== "type");
  return [`${what} accepted`, ...rows.map(([k, v]) => `  ${k.padEnd(15)} ${String(v)}`)].join("\n");
}

/**
 * Wraps a governance command so a refusal's text names its reason code ("MISSING_ROLE: v1 cannot ..."), as issue 8
 * asks; --json already carries the code.
 */
export function withReasonCodes(command: AnyCommand): AnyCommand {
  return {
    ...command,
    async run(flags, context) {
      try {
        return await command.run(flags, context);
      } catch (error) {
        if (error instanceof AppError && !error.message.startsWith(`${error.code}:`)) {
          const coded = new AppError(error.code, `${error.code}: ${error.message}`, error.details);
          throw coded;
        }
        throw error;
      }
    },
  };
}
