import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { CLOCK_SKEW_SECONDS, checkNonce, checkTimeWindow, parseEnvelope, verifyEnvelope, type VerifyContext } from "./envelope";
import { GOVERNANCE_DOMAIN } from "./message";
import { signAs, testGenesis, testKey, TEST_NETWORK } from "./test-members";
import { signMessage } from "./envelope";
import { hybridSign } from "./hybrid-keys";

const genesis = testGenesis();
const HASH = `0x${"ab".repeat(32)}`;
const OTHER = `0x${"cd".repeat(32)}`;
const T0 = 1_800_000_000;
const ctx = (over: Partial<VerifyContext> = {}): VerifyContext => ({
  networkId: TEST_NETWORK,
  now: T0,
  findMember: (id) => genesis.members.find((m) => m.id === id),
  lastNonce: () => 0,
  ...over,
});
const voteEnvelope = () => signAs("v1", { type: "vote", body: { proposal_hash: HASH, choice: "YES" } }, { nonce: 7, issuedAt: T0 });

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : `NOT_APP_ERROR: ${(error as Error).message}`;
  }
  return undefined;
}

/** Flips one hex digit of a "0x" string at `index` (0-based among the digits). */
function flipHex(hex: string, index: number): string {
  const i = 2 + (index % (hex.length - 2));
  const flipped = ((parseInt(hex[i], 16) ^ 1) & 15).toString(16);
  return hex.slice(0, i) + flipped + hex.slice(i + 1);
}

describe("verifyEnvelope", () => {
  it("accepts a correctly signed vote and returns its digest and signer", () => {
    const v = verifyEnvelope(JSON.parse(JSON.stringify(voteEnvelope())), ctx());
    expect(v.member.id).toBe("v1");
    expect(v.digest).toMatch(/^0x[0-9a-f]{64}$/);
  });
  it("refuses a tampered ML-DSA half with a valid Ed25519 half: BAD_SIGNATURE_ML_DSA", () => {
    const e = voteEnvelope();
    expect(reason(() => verifyEnvelope({ ...e, signatures: { ...e.signatures, ml_dsa_65: flipHex(e.signatures.ml_dsa_65, 100) } }, ctx()))).toBe("BAD_SIGNATURE_ML_DSA");
  });
  it("refuses a tampered Ed25519 half with a valid ML-DSA half: BAD_SIGNATURE_ED25519", () => {
    const e = voteEnvelope();
    expect(reason(() => verifyEnvelope({ ...e, signatures: { ...e.signatures, ed25519: flipHex(e.signatures.ed25519, 3) } }, ctx()))).toBe("BAD_SIGNATURE_ED25519");
  });
  it("refuses halves signed by two different keys (each half must be the signer's)", () => {
    const e = voteEnvelope();
    const foreign = signAs("v2", { type: "vote", body: { proposal_hash: HASH, choice: "YES" } }, { nonce: 7, issuedAt: T0 });
    expect(reason(() => verifyEnvelope({ ...e, signatures: { ...e.signatures, ml_dsa_65: foreign.signatures.ml_dsa_65 } }, ctx()))).toBe("BAD_SIGNATURE_ML_DSA");
  });
  it("refuses the same signatures moved to another proposal", () => {
    const e = voteEnvelope();
    const moved = { ...e, message: { ...e.message, body: { proposal_hash: OTHER, choice: "YES" } } };
    expect(reason(() => verifyEnvelope(moved, ctx()))).toBe("BAD_SIGNATURE_ED25519");
  });
  it("refuses a wrong domain and a wrong network before looking at signatures", () => {
    const e = voteEnvelope();
    expect(reason(() => verifyEnvelope({ ...e, message: { ...e.message, domain: "other-domain" } }, ctx()))).toBe("WRONG_DOMAIN");
    expect(reason(() => verifyEnvelope(e, ctx({ networkId: "mathledger-mainnet" })))).toBe("WRONG_NETWORK");
  });
  it("refuses a message signed for another network even though its signatures are valid", () => {
    const e = signAs("v1", { type: "vote", body: { proposal_hash: HASH, choice: "YES" } }, { nonce: 7, issuedAt: T0, networkId: "mathledger-testnet" });
    expect(reason(() => verifyEnvelope(e, ctx()))).toBe("WRONG_NETWORK");
  });
  it("refuses a message signed with a domain other than the governance domain even with valid signatures", () => {
    const e = voteEnvelope();
    const foreign = { ...e.message, domain: "mathledger-other-v1" };
    expect(reason(() => verifyEnvelope(signMessage(foreign, testKey("v1")), ctx()))).toBe("WRONG_DOMAIN");
  });
  it("refuses an unknown signer", () => {
    expect(reason(() => verifyEnvelope(voteEnvelope(), ctx({ findMember: () => undefined })))).toBe("UNKNOWN_SIGNER");
  });
  it("refuses a replay (nonce not above the signer's last)", () => {
    expect(reason(() => verifyEnvelope(voteEnvelope(), ctx({ lastNonce: () => 7 })))).toBe("NONCE_NOT_INCREASING");
    expect(reason(() => verifyEnvelope(voteEnvelope(), ctx({ lastNonce: () => 6 })))).toBeUndefined();
  });
  it("refuses expired and future-dated messages", () => {
    expect(reason(() => verifyEnvelope(voteEnvelope(), ctx({ now: T0 + 3601 })))).toBe("EXPIRED");
    expect(reason(() => verifyEnvelope(voteEnvelope(), ctx({ now: T0 - CLOCK_SKEW_SECONDS - 1 })))).toBe("FUTURE_DATED");
  });
  it("refuses a malformed envelope with INVALID_ENVELOPE", () => {
    expect(reason(() => verifyEnvelope({ message: voteEnvelope().message }, ctx()))).toBe("INVALID_ENVELOPE");
    expect(reason(() => parseEnvelope({ ...voteEnvelope(), extra: true }))).toBe("INVALID_ENVELOPE");
  });
  it("refuses any single-digit change to either signature (property)", () => {
    const e = voteEnvelope();
    fc.assert(
      fc.property(fc.constantFrom("ed25519", "ml_dsa_65" as const), fc.nat(), (half, index) => {
        const tampered = { ...e, signatures: { ...e.signatures, [half]: flipHex(e.signatures[half], index) } };
        expect(reason(() => verifyEnvelope(tampered, ctx()))).toBe(half === "ed25519" ? "BAD_SIGNATURE_ED25519" : "BAD_SIGNATURE_ML_DSA");
      }),
      { numRuns: 60 },
    );
  });
  it("refuses any change to the signed message's nonce, times or choice (property)", () => {
    const e = voteEnvelope();
    fc.assert(
      fc.property(fc.constantFrom("nonce", "issued_at", "expires_at"), fc.integer({ min: 1, max: 100 }), (field, delta) => {
        const m = { ...e.message, [field]: (e.message[field] as number) + delta };
        expect(reason(() => verifyEnvelope({ ...e, message: m }, { ...ctx(), ignoreTime: true }))).toBe("BAD_SIGNATURE_ED25519");
      }),
      { numRuns: 30 },
    );
  });
  it("keeps the ML-DSA check even when a faster Ed25519 verifier is injected", () => {
    const e = voteEnvelope();
    const bad = { ...e, signatures: { ...e.signatures, ml_dsa_65: flipHex(e.signatures.ml_dsa_65, 0) } };
    expect(reason(() => verifyEnvelope(bad, ctx({ edVerify: () => true })))).toBe("BAD_SIGNATURE_ML_DSA");
  });
});

describe("checkTimeWindow", () => {
  const m = { issued_at: T0, expires_at: T0 + 600 };
  it("accepts issued_at exactly 300 s ahead, refuses 301 s", () => {
    expect(reason(() => checkTimeWindow(m, T0 - CLOCK_SKEW_SECONDS))).toBeUndefined();
    expect(reason(() => checkTimeWindow(m, T0 - CLOCK_SKEW_SECONDS - 1))).toBe("FUTURE_DATED");
  });
  it("accepts now equal to expires_at, refuses one second later", () => {
    expect(reason(() => checkTimeWindow(m, T0 + 600))).toBeUndefined();
    expect(reason(() => checkTimeWindow(m, T0 + 601))).toBe("EXPIRED");
  });
});

describe("checkNonce", () => {
  it("requires strictly increasing nonces", () => {
    expect(reason(() => checkNonce("v1", 5, 4))).toBeUndefined();
    expect(reason(() => checkNonce("v1", 5, 5))).toBe("NONCE_NOT_INCREASING");
    expect(reason(() => checkNonce("v1", 4, 5))).toBe("NONCE_NOT_INCREASING");
  });
});

describe("hybridSign", () => {
  it("signs with hedged ML-DSA by default (two signatures of one input differ) and both verify", () => {
    const input = new TextEncoder().encode(GOVERNANCE_DOMAIN);
    const a = hybridSign(testKey("c1"), input);
    const b = hybridSign(testKey("c1"), input);
    expect(a.ed25519).toBe(b.ed25519);
    expect(a.ml_dsa_65).not.toBe(b.ml_dsa_65);
  });
});
