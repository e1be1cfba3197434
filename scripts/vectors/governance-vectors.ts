/**
 * Golden vectors for the governance message format (docs/spec/governance.md §11): keys, canonical messages, digests,
 * signatures, refused envelopes with their reason codes, tallies, reviewer consensus, an audit chain and a key file.
 *
 * Signatures use deterministic ML-DSA signing (FIPS 204 with rnd = 32 zero bytes) so they are reproducible. Before
 * anything is returned, the digests and canonical forms are recomputed with node:crypto (OpenSSL's SHA3-256) and the
 * Ed25519 halves are verified with node:crypto, independently of @noble; the ML-DSA halves are checked by lib/.
 */
import { createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import { toHex } from "../../lib/encoding/hex";
import { nextAuditEntry, type AuditEntry } from "../../lib/governance/audit-log";
import type { Recommendation } from "../../lib/governance/bodies";
import { signMessage, verifyEnvelope, type SignedEnvelope } from "../../lib/governance/envelope";
import { encryptKeyFile } from "../../lib/governance/key-file";
import { canonicalJson, messageDigest, signingInput } from "../../lib/governance/message";
import { reviewConsensus } from "../../lib/governance/review-consensus";
import { tallyVotes, type CastVote } from "../../lib/governance/tally";
import { SAMPLE_PROPOSAL_BODY, signAs, testGenesis, testKey, testSecret, TEST_NETWORK } from "../../lib/governance/test-members";
import { AppError } from "../../lib/errors";
import { newSignInChallenge, signInChallengeDigest, signInSigningInput, signSignInChallenge, verifySignIn, type SignInChallenge } from "../../lib/governance/sign-in";

const SOURCE = "computed by lib/governance with deterministic ML-DSA; digests and Ed25519 halves cross-checked with node:crypto by scripts/vectors/governance-vectors.ts";
const T0 = 1_800_000_000;
const genesis = testGenesis();
const findMember = (id: string) => genesis.members.find((m) => m.id === id);

function crossCheck(envelope: SignedEnvelope): void {
  const canonical = canonicalJson(envelope.message);
  const digest = createHash("sha3-256").update(canonical, "utf8").digest();
  if (`0x${digest.toString("hex")}` !== messageDigest(envelope.message)) throw new Error("digest disagrees with node:crypto");
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(findMember(envelope.message.signer)!.keys.ed25519.slice(2), "hex")]);
  const key = createPublicKey({ key: der, format: "der", type: "spki" });
  if (!nodeVerify(null, signingInput(digest), key, Buffer.from(envelope.signatures.ed25519.slice(2), "hex"))) throw new Error("node:crypto rejects the Ed25519 half");
}

function messageVector(name: string, envelope: SignedEnvelope) {
  crossCheck(envelope);
  verifyEnvelope(envelope, { networkId: TEST_NETWORK, now: T0, findMember, lastNonce: () => 0 });
  const digest = messageDigest(envelope.message);
  return {
    name,
    source: SOURCE,
    canonical_json: canonicalJson(envelope.message),
    digest,
    signing_input: toHex(signingInput(Buffer.from(digest.slice(2), "hex"))),
    envelope,
  };
}

function flip(hex: string, at: number): string {
  const i = 2 + at;
  return hex.slice(0, i) + ((parseInt(hex[i], 16) ^ 1) & 15).toString(16) + hex.slice(i + 1);
}

function refused(name: string, envelope: unknown, context: { now: number; last_nonce: number; network_id?: string }, reason: string) {
  try {
    verifyEnvelope(envelope, { networkId: context.network_id ?? TEST_NETWORK, now: context.now, findMember, lastNonce: () => context.last_nonce });
  } catch (error) {
    if (error instanceof AppError && error.code === reason) {
      return { name, source: SOURCE, envelope, context: { network_id: TEST_NETWORK, ...context }, reason };
    }
    throw new Error(`${name}: expected ${reason}, got ${(error as Error).message}`);
  }
  throw new Error(`${name}: expected ${reason}, but the envelope verified`);
}

/** A signed sign-in challenge (§12), cross-checked like the messages: digest with OpenSSL, Ed25519 half with node:crypto. */
function signInVector(name: string, challenge: SignInChallenge, signer: string) {
  const signatures = signSignInChallenge(challenge, testKey(signer), { deterministic: true });
  const digest = createHash("sha3-256").update(canonicalJson(challenge), "utf8").digest();
  if (`0x${digest.toString("hex")}` !== signInChallengeDigest(challenge)) throw new Error("sign-in digest disagrees with node:crypto");
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(findMember(challenge.member_id)!.keys.ed25519.slice(2), "hex")]);
  const ok = nodeVerify(null, signInSigningInput(challenge), createPublicKey({ key: der, format: "der", type: "spki" }), Buffer.from(signatures.ed25519.slice(2), "hex"));
  const context = { network_id: TEST_NETWORK, now: challenge.issued_at };
  let reason: string | null = null;
  try {
    verifySignIn({ challenge, signatures }, { networkId: TEST_NETWORK, now: context.now, findMember });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    reason = error.code;
  }
  if ((signer === challenge.member_id) !== ok) throw new Error(`${name}: node:crypto disagrees on the Ed25519 half`);
  return {
    name,
    source: SOURCE,
    challenge,
    canonical_json: canonicalJson(challenge),
    digest: signInChallengeDigest(challenge),
    signing_input: toHex(signInSigningInput(challenge)),
    signed_by: signer,
    signatures,
    context,
    reason,
  };
}

export async function governanceFile(): Promise<object> {
  const proposal = signAs("p1", { type: "proposal", body: SAMPLE_PROPOSAL_BODY }, { nonce: 1, issuedAt: T0 });
  const proposalHash = messageDigest(proposal.message);
  const vote = signAs("v3", { type: "vote", body: { proposal_hash: proposalHash, choice: "YES" } }, { nonce: 2, issuedAt: T0 });
  const declaration = signAs("c1", { type: "emergency_declaration", body: { trigger: "sha3-consistency-failure", evidence: "drift radar: 3 nodes disagree on pq_merkle_root at block 812" } }, { nonce: 3, issuedAt: T0 });
  const ok = { now: T0, last_nonce: 0 };

  const votes: CastVote[] = [
    { voter: "a", choice: "YES", nonce: 1 },
    { voter: "b", choice: "NO", nonce: 1 },
    { voter: "a", choice: "NO", nonce: 2 },
    { voter: "a", choice: "YES", nonce: 3 },
  ];
  const tallyCase = (name: string, powers: Record<string, number>, list: CastVote[]) => ({ name, source: SOURCE, power_table: powers, votes: list, tally: tallyVotes(list, powers) });
  const reviewCase = (list: Recommendation[]) => ({ source: "docs/spec/governance.md §6.2 (the plan's check_consensus)", recommendations: list, decision: reviewConsensus(list) });

  const audit: AuditEntry[] = [];
  for (const [event, payload] of [
    ["ProposalSubmitted", { proposal_hash: proposalHash, proposer: "p1" }],
    ["VoteCast", { proposal_hash: proposalHash, voter: "v3", choice: "YES" }],
    ["EmergencyDeclarationPending", { emergency_hash: messageDigest(declaration.message) }],
  ] as const) audit.push(nextAuditEntry(audit.at(-1) ?? null, event, payload, T0 + audit.length));

  let counter = 0;
  const fixedRandom = (n: number) => Uint8Array.from({ length: n }, () => counter++ & 0xff);
  const keyFile = await encryptKeyFile(testKey("c1"), "vector passphrase", { memberId: "c1", randomBytes: fixedRandom, scrypt: { n: 1024, r: 8, p: 1 } });

  const challenge = newSignInChallenge({ networkId: TEST_NETWORK, memberId: "v3", now: T0, random: Uint8Array.from({ length: 32 }, (_, i) => i) });
  const signIn = [
    signInVector("sign-in challenge signed by its member", challenge, "v3"),
    signInVector("sign-in challenge signed by another member's key", challenge, "c1"),
  ];

  return {
    description:
      "Governance messages (docs/spec/governance.md). `keys`: 64-byte hybrid secrets (Ed25519 secret || ML-DSA-65 seed) and their public keys. `messages`: envelopes with their RFC 8785 canonical JSON, SHA3-256 digest and signing input; both signatures verify (ML-DSA signed deterministically). `refused`: envelopes a verifier must refuse, with the verifier's clock, the signer's last nonce and the one reason code. `tallies`, `review_consensus`: engine results. `audit_log`: a valid hash chain. `key_files`: an encrypted key file, its passphrase and the secret it opens to. `sign_in`: sign-in challenges (§12) with their canonical JSON, digest, signing input and signatures, and the reason a verifier gives (null: accepted).",
    source: "scripts/vectors/governance-vectors.ts (run `npx tsx scripts/vectors/generate.ts`)",
    network_id: TEST_NETWORK,
    keys: ["p1", "v3", "c1"].map((id) => ({ member_id: id, source: SOURCE, secret: toHex(testSecret(id)), public_keys: testKey(id).publicKeys })),
    messages: [messageVector("proposal", proposal), messageVector("vote", vote), messageVector("emergency_declaration", declaration)],
    refused: [
      refused("ml-dsa half tampered, ed25519 half valid", { ...vote, signatures: { ...vote.signatures, ml_dsa_65: flip(vote.signatures.ml_dsa_65, 10) } }, ok, "BAD_SIGNATURE_ML_DSA"),
      refused("ed25519 half tampered, ml-dsa half valid", { ...vote, signatures: { ...vote.signatures, ed25519: flip(vote.signatures.ed25519, 10) } }, ok, "BAD_SIGNATURE_ED25519"),
      refused("vote moved to another proposal", { ...vote, message: { ...vote.message, body: { proposal_hash: `0x${"00".repeat(32)}`, choice: "YES" } } }, ok, "BAD_SIGNATURE_ED25519"),
      refused("wrong domain (validly signed)", signMessage({ ...vote.message, domain: "mathledger-governance-v0" }, testKey("v3"), { deterministic: true }), ok, "WRONG_DOMAIN"),
      refused("wrong network (validly signed)", signAs("v3", { type: "vote", body: vote.message.body }, { nonce: 2, issuedAt: T0, networkId: "mathledger-mainnet" }), ok, "WRONG_NETWORK"),
      refused("expired one second ago", vote, { now: vote.message.expires_at + 1, last_nonce: 0 }, "EXPIRED"),
      refused("issued 301 s in the future", vote, { now: T0 - 301, last_nonce: 0 }, "FUTURE_DATED"),
      refused("replay: nonce equal to the last accepted", vote, { now: T0, last_nonce: 2 }, "NONCE_NOT_INCREASING"),
      refused("unknown signer", signMessage({ ...vote.message, signer: "nobody" }, testKey("v3"), { deterministic: true }), ok, "UNKNOWN_SIGNER"),
    ],
    tallies: [
      tallyCase("exactly two thirds does not pass", { a: 2, b: 1 }, [
        { voter: "a", choice: "YES", nonce: 1 },
        { voter: "b", choice: "NO", nonce: 1 },
      ]),
      tallyCase("667/1000 passes", { a: 667, b: 333 }, [
        { voter: "a", choice: "YES", nonce: 1 },
        { voter: "b", choice: "NO", nonce: 1 },
      ]),
      tallyCase("exactly 40% participation meets quorum", { a: 4, b: 6 }, [{ voter: "a", choice: "YES", nonce: 1 }]),
      tallyCase("39% participation misses quorum", { a: 39, b: 61 }, [{ voter: "a", choice: "YES", nonce: 1 }]),
      tallyCase("latest vote (highest nonce) counts", { a: 5, b: 5 }, votes),
    ],
    review_consensus: [
      reviewCase(["APPROVE", "APPROVE"]),
      reviewCase(["APPROVE", "APPROVE", "REJECT"]),
      reviewCase(["APPROVE", "REJECT", "CONDITIONAL"]),
      reviewCase(["APPROVE", "APPROVE", "APPROVE", "REJECT", "REJECT"]),
      reviewCase(["CONDITIONAL", "CONDITIONAL", "CONDITIONAL"]),
    ],
    audit_log: [{ source: SOURCE, entries: audit }],
    key_files: [{ source: SOURCE, passphrase: "vector passphrase", file: keyFile, secret: toHex(testSecret("c1")) }],
    sign_in: signIn,
  };
}
