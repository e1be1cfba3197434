/**
 * Sign-in challenges (docs/spec/governance.md §12): both halves must verify against the named member's keys, the
 * domain tag keeps sign-in signatures and governance signatures apart, and network, expiry and form are checked.
 */
import { describe, expect, it } from "vitest";
import { signMessage } from "./envelope";
import { hybridSign, hybridVerdict } from "./hybrid-keys";
import { buildMessage, GOVERNANCE_DOMAIN, messageDigestBytes, signingInput } from "./message";
import { newSignInChallenge, parseSignInChallenge, SIGN_IN_CHALLENGE_TTL_SECONDS, SIGN_IN_DOMAIN, signInChallengeDigest, signInSigningInput, signSignInChallenge, verifySignIn, verifySignInWith } from "./sign-in";
import { codeOf } from "./test-codes";
import { testGenesis, testKey, TEST_NETWORK } from "./test-members";

const T0 = 1_800_000_000;
const genesis = testGenesis();
const findMember = (id: string) => genesis.members.find((m) => m.id === id);
const ctx = { networkId: TEST_NETWORK, now: T0 + 10, findMember };
const challenge = newSignInChallenge({ networkId: TEST_NETWORK, memberId: "v3", now: T0, random: new Uint8Array(32).fill(7) });

describe("newSignInChallenge", () => {
  it("binds the domain tag, the network and the member, valid for SIGN_IN_CHALLENGE_TTL_SECONDS", () => {
    expect(challenge).toMatchObject({ domain: SIGN_IN_DOMAIN, network_id: TEST_NETWORK, member_id: "v3", issued_at: T0, expires_at: T0 + SIGN_IN_CHALLENGE_TTL_SECONDS });
    expect(challenge.challenge).toBe(`0x${"07".repeat(32)}`);
  });
  it("uses a domain tag distinct from every governance message's", () => {
    expect(SIGN_IN_DOMAIN).not.toBe(GOVERNANCE_DOMAIN);
    expect(SIGN_IN_DOMAIN.startsWith(GOVERNANCE_DOMAIN)).toBe(false);
  });
});

describe("verifySignIn", () => {
  it("accepts the member's own hybrid signature", () => {
    const signatures = signSignInChallenge(challenge, testKey("v3"));
    expect(verifySignIn({ challenge, signatures }, ctx)).toMatchObject({ member: { id: "v3" }, digest: signInChallengeDigest(challenge) });
  });
  it("refuses a challenge signed by another member's key", () => {
    expect(codeOf(() => verifySignIn({ challenge, signatures: signSignInChallenge(challenge, testKey("c1")) }, ctx))).toBe("BAD_SIGNATURE_ED25519");
  });
  it("refuses either half alone: a valid Ed25519 half with another key's ML-DSA half, and the reverse", () => {
    const own = signSignInChallenge(challenge, testKey("v3"));
    const other = signSignInChallenge(challenge, testKey("c1"));
    expect(codeOf(() => verifySignIn({ challenge, signatures: { ed25519: own.ed25519, ml_dsa_65: other.ml_dsa_65 } }, ctx))).toBe("BAD_SIGNATURE_ML_DSA");
    expect(codeOf(() => verifySignIn({ challenge, signatures: { ed25519: other.ed25519, ml_dsa_65: own.ml_dsa_65 } }, ctx))).toBe("BAD_SIGNATURE_ED25519");
  });
  it("refuses a signature made for a changed challenge (another member named, other random bytes)", () => {
    const signatures = signSignInChallenge(challenge, testKey("v3"));
    expect(codeOf(() => verifySignIn({ challenge: { ...challenge, challenge: `0x${"08".repeat(32)}` }, signatures }, ctx))).toBe("BAD_SIGNATURE_ED25519");
    expect(codeOf(() => verifySignIn({ challenge: { ...challenge, member_id: "v4" }, signatures }, ctx))).toBe("BAD_SIGNATURE_ED25519");
  });
  it("never accepts a governance signature as a sign-in, nor a sign-in signature as a governance action", () => {
    // The same 32-byte digest signed under the governance domain does not verify under the sign-in domain.
    const governanceStyle = hybridSign(testKey("v3"), signingInput(new Uint8Array(Buffer.from(signInChallengeDigest(challenge).slice(2), "hex"))));
    expect(codeOf(() => verifySignIn({ challenge, signatures: governanceStyle }, ctx))).toBe("BAD_SIGNATURE_ED25519");
    const vote = buildMessage({ type: "vote", body: { proposal_hash: `0x${"11".repeat(32)}`, choice: "YES" } }, { network_id: TEST_NETWORK, signer: "v3", nonce: 1, issued_at: T0, ttl_seconds: 60 });
    const signed = signMessage(vote, testKey("v3"));
    expect(signInSigningInput(challenge)).not.toEqual(signingInput(messageDigestBytes(vote)));
    expect(Buffer.from(signInSigningInput(challenge)).subarray(0, SIGN_IN_DOMAIN.length).toString()).toBe(SIGN_IN_DOMAIN);
    expect(signed.signatures.ed25519).not.toBe(signSignInChallenge(challenge, testKey("v3")).ed25519);
  });
  it("refuses a wrong domain, a wrong network, an unknown member and an expired challenge, with their codes", () => {
    const sign = (c: typeof challenge) => ({ challenge: c, signatures: signSignInChallenge(c, testKey("v3")) });
    expect(codeOf(() => verifySignIn(sign({ ...challenge, domain: GOVERNANCE_DOMAIN }), ctx))).toBe("WRONG_DOMAIN");
    expect(codeOf(() => verifySignIn(sign({ ...challenge, network_id: "mathledger-mainnet" }), ctx))).toBe("WRONG_NETWORK");
    expect(codeOf(() => verifySignIn(sign({ ...challenge, member_id: "nobody" }), ctx))).toBe("UNKNOWN_SIGNER");
    expect(codeOf(() => verifySignIn(sign(challenge), { ...ctx, now: challenge.expires_at }))).toBeUndefined();
    expect(codeOf(() => verifySignIn(sign(challenge), { ...ctx, now: challenge.expires_at + 1 }))).toBe("EXPIRED");
  });
});

describe("parseSignInChallenge", () => {
  it("refuses unknown fields, missing fields and malformed values, naming the field", () => {
    expect(codeOf(() => parseSignInChallenge({ ...challenge, extra: 1 }))).toBe("INVALID_MESSAGE");
    const { challenge: _omit, ...missing } = challenge;
    expect(() => parseSignInChallenge(missing)).toThrow(/challenge\.challenge is missing/);
    expect(() => parseSignInChallenge({ ...challenge, challenge: "0x01" })).toThrow(/challenge\.challenge must be 0x-prefixed lowercase hex of 32 bytes/);
    expect(() => parseSignInChallenge({ ...challenge, expires_at: T0 })).toThrow(/expires_at must be after issued_at/);
    expect(codeOf(() => verifySignIn({ challenge, signatures: { ed25519: "0x00" } }, ctx))).toBe("INVALID_ENVELOPE");
  });
});

describe("verifySignInWith", () => {
  it("gives verifySignIn's verdicts with the signature check done elsewhere (asynchronously)", async () => {
    const own = signSignInChallenge(challenge, testKey("v3"));
    const other = signSignInChallenge(challenge, testKey("c1"));
    const check = async (...args: Parameters<typeof hybridVerdict>) => hybridVerdict(...args);
    const cases = [
      { challenge, signatures: own },
      { challenge, signatures: { ...own, ml_dsa_65: other.ml_dsa_65 } },
      { challenge, signatures: { ...own, ed25519: other.ed25519 } },
      { challenge: { ...challenge, network_id: "other-net" }, signatures: own },
    ];
    for (const [i, input] of cases.entries()) {
      for (const now of [ctx.now, T0 + SIGN_IN_CHALLENGE_TTL_SECONDS + 1]) {
        const sync = codeOf(() => verifySignIn(input, { ...ctx, now })) ?? "ok";
        const viaCheck = await verifySignInWith(input, { ...ctx, now }, check).then(() => "ok", (e: { code: string }) => e.code);
        expect(viaCheck, `case ${i} at ${now}`).toBe(sync);
      }
    }
  });
});
