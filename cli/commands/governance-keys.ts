/**
 * Offline governance commands (no node needed): `governance keygen`, `governance pubkey`, `governance sign` (for
 * air-gapped keys) and `governance recount` (re-verifies an exported bundle and reproduces its tally).
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../lib/errors";
import { MESSAGE_TYPES, type MessageType } from "../../lib/governance/bodies";
import { defineCommand } from "../command";
// Key generation, signing and recount (ML-DSA-65, Ed25519, scrypt) load inside each command: see governance-support.ts.
import { DEFAULT_TTL_SECONDS, KEY_FLAG, openKey, PASSPHRASE_FLAG, readPassphrase, signDraft, signerOf } from "../governance-support";
import { readInputJson } from "../inputs/read-file";

async function writeNew(file: string, cwd: string, text: string, mode?: number): Promise<string> {
  const target = path.resolve(cwd, file);
  if (existsSync(target)) throw new AppError("USAGE", `${file} already exists: choose another --out (a key file is never overwritten)`);
  await writeFile(target, text, mode === undefined ? undefined : { mode });
  return target;
}

export const governanceKeygenCommand = defineCommand({
  name: "governance keygen",
  summary: "create a hybrid Ed25519 + ML-DSA-65 key, encrypted under a passphrase",
  description:
    "Generates a governance key (Ed25519 and ML-DSA-65, docs/spec/governance.md §5) and writes it to FILE encrypted " +
    "under a passphrase (scrypt N = 2^17 + AES-256-GCM, §9): the same file the portal's account page imports and " +
    "exports. Prints the public keys to register in the genesis. Never overwrites a file. Exit 0; 2 on bad input.",
  flags: {
    out: { kind: "string", value: "FILE", required: true, description: "where to write the key file (mode 0600)" },
    member: { kind: "string", value: "ID", description: "the member id this key signs as (stored in the file)" },
    ...PASSPHRASE_FLAG,
  },
  examples: ["mathledger-cli governance keygen --out alice.key --member alice --passphrase-env ALICE_PASS"],
  async run(flags, context) {
    const passphrase = await readPassphrase(context, flags["passphrase-env"], "new passphrase: ");
    const { randomBytes } = await import("node:crypto");
    const random = (n: number) => new Uint8Array(randomBytes(n));
    const [{ generateSigningKey }, { DEFAULT_SCRYPT, encryptKeyFile }] = await Promise.all([import("../../lib/governance/hybrid-keys"), import("../../lib/governance/key-file")]);
    const key = generateSigningKey(random);
    const { nodeScrypt } = await import("../../server/governance/node-scrypt");
    const file = await encryptKeyFile(key, passphrase, { memberId: flags.member ?? null, randomBytes: random, scrypt: DEFAULT_SCRYPT, scryptFunction: nodeScrypt });
    const written = await writeNew(flags.out, context.cwd, JSON.stringify(file, null, 2) + "\n", 0o600);
    const json = { key_file: written, member_id: file.member_id, public_keys: file.public_keys };
    return { outcome: "ok", json, text: `key written to ${written}\n  member_id  ${file.member_id ?? "(none)"}\n  ed25519    ${file.public_keys.ed25519}\n  ml_dsa_65  ${file.public_keys.ml_dsa_65.slice(0, 66)}… (${(file.public_keys.ml_dsa_65.length - 2) / 2} bytes; --json prints it whole)` };
  },
});

export const governancePubkeyCommand = defineCommand({
  name: "governance pubkey",
  summary: "print a key file's member id and public keys (no passphrase needed)",
  description: "Reads a key file's public header. The header is authenticated only when the file is opened with its passphrase (any command that signs checks it).",
  flags: { ...KEY_FLAG },
  examples: ["mathledger-cli governance pubkey --key alice.key --json"],
  async run(flags, context) {
    const { parseKeyFile } = await import("../../lib/governance/key-file");
    const file = parseKeyFile(await readInputJson({ path: flags.key, label: "key file" }, context.cwd));
    const json = { member_id: file.member_id, public_keys: file.public_keys };
    return { outcome: "ok", json, text: `member_id  ${file.member_id ?? "(none)"}\ned25519    ${file.public_keys.ed25519}\nml_dsa_65  ${file.public_keys.ml_dsa_65}` };
  },
});

export const governanceSignCommand = defineCommand({
  name: "governance sign",
  summary: "sign a message offline (air-gapped keys) into an envelope file",
  description:
    "MSG.json holds {\"type\": ..., \"body\": {...}}; sign fills in the domain, network_id, signer (the key file's " +
    "member), the nonce (default: the clock in milliseconds) and the validity window, shows nothing secret, and " +
    "writes the envelope with both signatures. Submit it from an online machine with `governance submit`. Exit 0; 2 " +
    "on bad input (the message is checked in full before signing).",
  flags: {
    ...KEY_FLAG,
    message: { kind: "string", value: "FILE", required: true, description: "the message to sign: {\"type\", \"body\"}" },
    out: { kind: "string", value: "FILE", required: true, description: "where to write the envelope" },
    "network-id": { kind: "string", value: "ID", description: "the network (default mathledger-devnet)" },
    nonce: { kind: "integer", value: "N", description: "the nonce (default: the clock in milliseconds); must exceed your last accepted one" },
    ttl: { kind: "integer", value: "SECONDS", description: `validity window (default ${DEFAULT_TTL_SECONDS})` },
    signer: { kind: "string", value: "ID", description: "the member id, when the key file names none" },
    ...PASSPHRASE_FLAG,
  },
  examples: ["mathledger-cli governance sign --key alice.key --message vote.json --out vote.envelope.json --ttl 86400"],
  async run(flags, context) {
    const draft = (await readInputJson({ path: flags.message, label: "message file" }, context.cwd)) as { type?: unknown; body?: unknown };
    if (typeof draft !== "object" || draft === null || !(MESSAGE_TYPES as readonly unknown[]).includes(draft.type)) {
      throw new AppError("INVALID_MESSAGE", `message file ${flags.message}: "type" must be one of ${MESSAGE_TYPES.join(", ")}`);
    }
    if (flags.ttl !== undefined && (flags.ttl < 1 || flags.ttl > 30 * 24 * 3600)) throw new AppError("USAGE", "--ttl must be 1..2592000 seconds");
    const opened = await openKey(context, flags.key, flags["passphrase-env"]);
    const envelope = await signDraft({ type: draft.type as MessageType, body: draft.body as never }, opened, {
      signer: signerOf(opened, flags.signer),
      networkId: flags["network-id"] ?? "mathledger-devnet",
      now: context.now(),
      nonce: flags.nonce,
      ttl: flags.ttl,
    });
    const written = await writeNew(flags.out, context.cwd, JSON.stringify(envelope, null, 2) + "\n");
    const { messageDigest, canonicalJson } = await import("../../lib/governance/message");
    const digest = messageDigest(envelope.message);
    return { outcome: "ok", json: { envelope_file: written, digest, message: envelope.message }, text: `signed ${envelope.message.type} ${digest}\ncanonical message: ${canonicalJson(envelope.message)}\nenvelope written to ${written}` };
  },
});

/** Bundles with at least this many votes are recounted on verification threads (verify-pool.ts). */
const PARALLEL_RECOUNT_MIN_VOTES = 100;

export const governanceRecountCommand = defineCommand({
  name: "governance recount",
  summary: "re-verify every signature of an exported bundle and reproduce its tally (offline)",
  description:
    "Reads <proposal hash>.bundle.json (governance export), verifies the proposal and every vote envelope (both " +
    "halves), and recounts the tally from each voter's latest vote and the frozen power table (docs/spec/governance.md " +
    "§10). Exit 0 when it matches the bundle's tally; 1 when a signature fails or the tallies differ; 2 on bad input.",
  flags: { bundle: { kind: "string", value: "FILE", required: true, description: "the bundle file" } },
  examples: ["mathledger-cli governance recount --bundle 0xab…cd.bundle.json"],
  async run(flags, context) {
    const { recountBundle, recountBundleWith } = await import("../../lib/governance/recount");
    const bundle = await readInputJson({ path: flags.bundle, label: "bundle" }, context.cwd);
    const votes = (bundle as { votes?: unknown } | null)?.votes;
    // Each vote costs ~2 ms of ML-DSA-65 on one core: a large bundle is verified on every core (the threads take
    // ~0.1 s to start, so a small one is verified here).
    const result =
      Array.isArray(votes) && votes.length >= PARALLEL_RECOUNT_MIN_VOTES
        ? await (await import("../../server/governance/verify-pool")).withVerifyThreads((check) => recountBundleWith(bundle, check))
        : recountBundle(bundle);
    const t = result.tally;
    const text = [
      `${result.votes_verified} vote envelopes verified (Ed25519 and ML-DSA-65)`,
      `yes ${t.yes}  no ${t.no}  abstain ${t.abstain}  of ${t.total_power} (quorum ${t.quorum_power}): quorum ${t.quorum_met ? "met" : "missed"}, approval ${t.approval_met ? "met" : "missed"} → ${t.outcome}`,
      result.matches_server === null ? "the bundle carries no tally to compare" : result.matches_server ? "matches the node's tally" : "DIFFERS from the node's tally",
    ].join("\n");
    return { outcome: result.matches_server === false ? "invalid" : "ok", json: result, text };
  },
});
