import { describe, expect, it } from "vitest";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { isAppError } from "../errors";
import { toHex } from "../encoding/hex";
import { bodyTarget, parseBody } from "./bodies";
import { buildMessage, canonicalBytes, canonicalJson, GOVERNANCE_DOMAIN, MAX_MESSAGE_TTL_SECONDS, messageDigest, parseMessage, signingInput } from "./message";
import { SAMPLE_PROPOSAL_BODY, TEST_NETWORK } from "./test-members";

const HASH = `0x${"ab".repeat(32)}`;
const vote = (over: Record<string, unknown> = {}) => ({
  domain: GOVERNANCE_DOMAIN,
  network_id: TEST_NETWORK,
  type: "vote",
  signer: "v1",
  nonce: 1,
  issued_at: 1000,
  expires_at: 2000,
  body: { proposal_hash: HASH, choice: "YES" },
  ...over,
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : "NOT_APP_ERROR";
  }
  return undefined;
}

describe("canonicalJson", () => {
  it("sorts keys and drops whitespace as RFC 8785 requires", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x"], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
  });
  it("sorts keys by UTF-16 code units and formats numbers like ECMAScript (RFC 8785 §3.2.2.3, §3.2.3)", () => {
    expect(canonicalJson({ "\u20ac": 1, "\r": 2, "1": 3, é: 4 })).toBe('{"\\r":2,"1":3,"é":4,"€":1}');
    expect(canonicalJson([1e21, 0.1, -0, 1.5e-7])).toBe("[1e+21,0.1,0,1.5e-7]");
  });
});

describe("parseMessage", () => {
  it("accepts a well-formed vote and keeps exactly its fields", () => {
    expect(parseMessage(vote())).toEqual(vote());
  });
  it.each([
    ["a missing field", { nonce: undefined }, "nonce"],
    ["an unknown field", { extra: 1 }, "extra"],
    ["a zero nonce", { nonce: 0 }, "nonce"],
    ["a fractional nonce", { nonce: 1.5 }, "nonce"],
    ["an unsafe integer nonce", { nonce: 2 ** 53 }, "nonce"],
    ["an unknown type", { type: "bribe" }, "type"],
    ["an upper-case signer", { signer: "Alice" }, "signer"],
    ["expires_at equal to issued_at", { expires_at: 1000 }, "expires_at"],
    ["a validity window over 30 days", { expires_at: 1000 + MAX_MESSAGE_TTL_SECONDS + 1 }, "expires_at"],
    ["an upper-case hash in the body", { body: { proposal_hash: HASH.toUpperCase().replace("0X", "0x"), choice: "YES" } }, "proposal_hash"],
    ["a body of another type", { body: { emergency_hash: HASH } }, "body"],
    ["a lower-case choice", { body: { proposal_hash: HASH, choice: "yes" } }, "choice"],
  ])("refuses %s with INVALID_MESSAGE naming the field", (_name, over, field) => {
    const input = vote(over);
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete (input as Record<string, unknown>)[k];
    try {
      parseMessage(input);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error, "INVALID_MESSAGE")).toBe(true);
      expect((error as Error).message).toContain(field);
    }
  });
  it("accepts a validity window of exactly 30 days", () => {
    expect(() => parseMessage(vote({ expires_at: 1000 + MAX_MESSAGE_TTL_SECONDS }))).not.toThrow();
  });
  it("refuses a non-object", () => {
    expect(codeOf(() => parseMessage("vote"))).toBe("INVALID_MESSAGE");
    expect(codeOf(() => parseMessage([vote()]))).toBe("INVALID_MESSAGE");
  });
});

describe("parseBody", () => {
  it("reads every message type's body", () => {
    expect(parseBody("proposal", SAMPLE_PROPOSAL_BODY)).toEqual(SAMPLE_PROPOSAL_BODY);
    expect(parseBody("rollback", { emergency_hash: HASH, rollback_block: 9 })).toEqual({ emergency_hash: HASH, rollback_block: 9 });
    expect(parseBody("attestation", { attestation_id: "ATTEST-m-1", milestone: "m", block_number: 1, block_hash: HASH, pq_merkle_root: null }).pq_merkle_root).toBeNull();
  });
  it("refuses a proposal with an unknown proposal_type or extra field", () => {
    expect(codeOf(() => parseBody("proposal", { ...SAMPLE_PROPOSAL_BODY, proposal_type: "coup" }))).toBe("INVALID_MESSAGE");
    expect(codeOf(() => parseBody("proposal", { ...SAMPLE_PROPOSAL_BODY, proposer: "p1" }))).toBe("INVALID_MESSAGE");
  });
  it("names each body's target", () => {
    expect(bodyTarget("vote", { proposal_hash: HASH, choice: "NO" })).toBe(HASH);
    expect(bodyTarget("rollback", { emergency_hash: HASH, rollback_block: 3 })).toBe(HASH);
    expect(bodyTarget("proposal", SAMPLE_PROPOSAL_BODY)).toBeNull();
  });
});

describe("messageDigest", () => {
  it("is SHA3-256 of the canonical JSON's UTF-8, independent of key order", () => {
    const m = parseMessage(vote());
    const reordered = parseMessage(Object.fromEntries(Object.entries(vote()).reverse()));
    expect(messageDigest(m)).toBe(toHex(sha3_256(canonicalBytes(m))));
    expect(messageDigest(reordered)).toBe(messageDigest(m));
  });
  it("changes when the target changes (a vote cannot be moved to another proposal)", () => {
    const other = parseMessage(vote({ body: { proposal_hash: `0x${"cd".repeat(32)}`, choice: "YES" } }));
    expect(messageDigest(other)).not.toBe(messageDigest(parseMessage(vote())));
  });
});

describe("signingInput", () => {
  it("is the domain tag, a zero byte and the digest", () => {
    const input = signingInput(new Uint8Array(32).fill(7));
    expect(new TextDecoder().decode(input.slice(0, GOVERNANCE_DOMAIN.length))).toBe(GOVERNANCE_DOMAIN);
    expect(input[GOVERNANCE_DOMAIN.length]).toBe(0);
    expect(input.length).toBe(GOVERNANCE_DOMAIN.length + 1 + 32);
  });
});

describe("buildMessage", () => {
  it("fills in the domain and the window, and refuses a malformed draft before anything is signed", () => {
    const m = buildMessage({ type: "vote", body: { proposal_hash: HASH, choice: "ABSTAIN" } }, { network_id: TEST_NETWORK, signer: "v1", nonce: 5, issued_at: 100, ttl_seconds: 60 });
    expect(m).toMatchObject({ domain: GOVERNANCE_DOMAIN, expires_at: 160, nonce: 5 });
    expect(codeOf(() => buildMessage({ type: "vote", body: { proposal_hash: "0x12", choice: "YES" } }, { network_id: TEST_NETWORK, signer: "v1", nonce: 5, issued_at: 100, ttl_seconds: 60 }))).toBe("INVALID_MESSAGE");
  });
});
