/**
 * Checks lib/governance against test-vectors/governance.json (docs/spec/governance.md §11); regenerate with
 * `npx tsx scripts/vectors/generate.ts`. A third-party signer should pass the same checks.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../encoding/hex";
import { auditEntryHash, verifyAuditChain } from "./audit-log";
import { verifyEnvelope } from "./envelope";
import { signingKeyFromSecret } from "./hybrid-keys";
import { decryptKeyFile } from "./key-file";
import { canonicalJson, messageDigest, parseMessage, signingInput } from "./message";
import { reviewConsensus } from "./review-consensus";
import { signInChallengeDigest, signInSigningInput, verifySignIn } from "./sign-in";
import { tallyVotes } from "./tally";
import { codeOf } from "./test-codes";
import type { Member } from "./members";

/* eslint-disable @typescript-eslint/no-explicit-any -- the vectors are untyped JSON by design */
const file: any = JSON.parse(readFileSync(fileURLToPath(new URL("../../test-vectors/governance.json", import.meta.url)), "utf8"));
const members: Member[] = file.keys.map((k: any) => ({ id: k.member_id, name: k.member_id, roles: [], voting_power: 0, keys: k.public_keys }));
const findMember = (id: string) => members.find((m) => m.id === id);

describe("governance.json keys", () => {
  it("derives each public key pair from its 64-byte secret", () => {
    for (const k of file.keys) expect(signingKeyFromSecret(fromHex(k.secret, 64)).publicKeys).toEqual(k.public_keys);
  });
});

describe("governance.json messages", () => {
  it("reproduces the canonical JSON, digest and signing input, and verifies both signatures", () => {
    for (const v of file.messages) {
      const message = parseMessage(v.envelope.message);
      expect(canonicalJson(message), v.name).toBe(v.canonical_json);
      expect(messageDigest(message), v.name).toBe(v.digest);
      expect(toHex(signingInput(fromHex(v.digest, 32))), v.name).toBe(v.signing_input);
      const verified = verifyEnvelope(v.envelope, { networkId: file.network_id, now: message.issued_at, findMember, lastNonce: () => 0 });
      expect(verified.digest).toBe(v.digest);
    }
  });
});

describe("governance.json refused", () => {
  it("refuses each envelope with its reason code", () => {
    for (const v of file.refused) {
      const code = codeOf(() => verifyEnvelope(v.envelope, { networkId: v.context.network_id, now: v.context.now, findMember, lastNonce: () => v.context.last_nonce }));
      expect(code, v.name).toBe(v.reason);
    }
  });
});

describe("governance.json engine results", () => {
  it("reproduces every tally", () => {
    for (const v of file.tallies) expect(tallyVotes(v.votes, v.power_table), v.name).toEqual(v.tally);
  });
  it("reproduces every reviewer consensus decision", () => {
    for (const v of file.review_consensus) expect(reviewConsensus(v.recommendations)).toBe(v.decision);
  });
  it("verifies the audit chain and recomputes each entry hash", () => {
    for (const v of file.audit_log) {
      expect(verifyAuditChain(v.entries).ok).toBe(true);
      for (const e of v.entries) expect(auditEntryHash(e)).toBe(e.entry_hash);
    }
  });
  it("opens the key file with its passphrase to the stated secret", async () => {
    for (const v of file.key_files) {
      const { key } = await decryptKeyFile(v.file, v.passphrase);
      expect(toHex(key.secret)).toBe(v.secret);
    }
  });
});

describe("governance.json sign_in", () => {
  it("reproduces each challenge's canonical JSON, digest and signing input, and the verifier's verdict", () => {
    expect(file.sign_in.length).toBeGreaterThanOrEqual(2);
    for (const v of file.sign_in) {
      expect(canonicalJson(v.challenge), v.name).toBe(v.canonical_json);
      expect(signInChallengeDigest(v.challenge), v.name).toBe(v.digest);
      expect(toHex(signInSigningInput(v.challenge)), v.name).toBe(v.signing_input);
      const reason = codeOf(() => verifySignIn({ challenge: v.challenge, signatures: v.signatures }, { networkId: v.context.network_id, now: v.context.now, findMember }));
      expect(reason ?? null, v.name).toBe(v.reason);
    }
  });
});
