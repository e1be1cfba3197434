// The signature verification pool: real worker threads (the source shim, and the esbuild bundle the web server
// ships), checked against the main thread's own verdicts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageDigestBytes, signingInput } from "../../lib/governance/message";
import { hybridVerdict, type HybridSignatures } from "../../lib/governance/hybrid-keys";
import { signAs, testKey } from "../../lib/governance/test-members";
import type { SignedEnvelope } from "../../lib/governance/envelope";
import { verifyEnvelope, verifyEnvelopeWith } from "../../lib/governance/envelope";
import { testMember } from "../../lib/governance/test-members";
import { nodeEd25519Verify } from "./node-ed25519";
import { startingVerifier, verifyOnThisThread, VerifyPool } from "./verify-pool";
import { projectPath } from "../db/project-root";

const T0 = 1_800_000_000;
const vote = (signer: string, nonce: number, choice: "YES" | "NO" | "ABSTAIN" = "YES") =>
  signAs(signer, { type: "vote", body: { proposal_hash: "0x" + "ab".repeat(32), choice } }, { nonce, issuedAt: T0 });
const inputOf = (e: SignedEnvelope) => signingInput(messageDigestBytes(e.message));
/** Flips one hex digit at `at` (counted after "0x"). */
const flip = (hex: string, at: number) => hex.slice(0, 2 + at) + (hex[2 + at] === "0" ? "1" : "0") + hex.slice(3 + at);

describe("VerifyPool (source shim)", () => {
  let pool: VerifyPool;
  const logged: string[] = [];
  beforeAll(async () => {
    pool = await VerifyPool.start(2, { log: (m) => logged.push(m) });
  }, 60_000);
  afterAll(() => pool?.close());

  it("accepts a good hybrid signature", async () => {
    const e = vote("v1", 1);
    expect(await pool.check(e.signatures, inputOf(e), testKey("v1").publicKeys)).toBeNull();
  });

  it("refuses a tampered ML-DSA half with a valid Ed25519 half, and the reverse, naming the half", async () => {
    const e = vote("v1", 2);
    const keys = testKey("v1").publicKeys;
    expect(await pool.check({ ...e.signatures, ml_dsa_65: flip(e.signatures.ml_dsa_65, 100) }, inputOf(e), keys)).toBe("BAD_SIGNATURE_ML_DSA");
    expect(await pool.check({ ...e.signatures, ed25519: flip(e.signatures.ed25519, 10) }, inputOf(e), keys)).toBe("BAD_SIGNATURE_ED25519");
    // Signed by another member's key: both halves are valid signatures, of the wrong signer.
    expect(await pool.check(e.signatures, inputOf(e), testKey("v2").publicKeys)).toBe("BAD_SIGNATURE_ED25519");
    // Malformed hex never reaches a verifier.
    expect(await pool.check({ ...e.signatures, ml_dsa_65: "0xzz" }, inputOf(e), keys)).toBe("BAD_SIGNATURE_ML_DSA");
  });

  it("agrees with the main thread on random envelopes, good and tampered (cross-check)", async () => {
    // Deterministic pseudo-random choices (a failure reproduces): signer, choice, and which byte of what is altered.
    let seed = 0x9e3779b9;
    const next = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const cases: { signatures: HybridSignatures; input: Uint8Array; signer: string; keysOf: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const signer = `v${next(10) + 1}`;
      const e = vote(signer, 100 + i, (["YES", "NO", "ABSTAIN"] as const)[next(3)]);
      let signatures = e.signatures;
      let input = inputOf(e);
      let keysOf = signer;
      switch (next(5)) {
        case 1:
          signatures = { ...signatures, ed25519: flip(signatures.ed25519, next(128)) };
          break;
        case 2:
          signatures = { ...signatures, ml_dsa_65: flip(signatures.ml_dsa_65, next(6618)) };
          break;
        case 3:
          input = input.slice();
          input[next(input.length)] ^= 1 << next(8);
          break;
        case 4:
          keysOf = `v${next(10) + 1}`;
          break;
      }
      cases.push({ signatures, input, signer, keysOf });
    }
    const fromPool = await Promise.all(cases.map((c) => pool.check(c.signatures, c.input, testKey(c.keysOf).publicKeys)));
    const here = cases.map((c) => hybridVerdict(c.signatures, c.input, testKey(c.keysOf).publicKeys, nodeEd25519Verify));
    expect(fromPool).toEqual(here);
    // Both outcomes occur, so the comparison is not between two constant answers.
    expect(here.filter((v) => v === null).length).toBeGreaterThan(3);
    expect(here.filter((v) => v !== null).length).toBeGreaterThan(3);
  });

  it("replaces a crashed thread, finishing its checks on the main thread, and keeps verifying", async () => {
    const e = vote("v3", 1);
    const keys = testKey("v3").publicKeys;
    const replacedBefore = pool.replaced;
    // Checks in flight on every thread while one of them dies.
    const inFlight = Array.from({ length: 8 }, () => pool.check(e.signatures, inputOf(e), keys));
    await pool.crashThreadForTest(0);
    expect(await Promise.all(inFlight)).toEqual(Array(8).fill(null));
    expect(pool.replaced).toBe(replacedBefore + 1);
    await expect.poll(() => pool.threads, { timeout: 30_000, interval: 100 }).toBe(2);
    const bad = { ...e.signatures, ml_dsa_65: flip(e.signatures.ml_dsa_65, 7) };
    expect(await Promise.all([pool.check(e.signatures, inputOf(e), keys), pool.check(bad, inputOf(e), keys)])).toEqual([null, "BAD_SIGNATURE_ML_DSA"]);
    expect(logged.some((m) => m.includes("exited"))).toBe(true);
  }, 60_000);

  it("gives verifyEnvelopeWith the same verdicts as verifyEnvelope", async () => {
    const members = new Map(["v1", "v2"].map((id) => [id, testMember(id, ["voter"], 1)]));
    const ctx = { networkId: "mathledger-devnet", now: T0, findMember: (id: string) => members.get(id) };
    const good = vote("v1", 9);
    const tampered = { ...good, signatures: { ...good.signatures, ml_dsa_65: flip(good.signatures.ml_dsa_65, 50) } };
    const wrongNetwork = signAs("v1", { type: "vote", body: { proposal_hash: "0x" + "ab".repeat(32), choice: "NO" } }, { nonce: 10, issuedAt: T0, networkId: "other-net" });
    for (const input of [good, tampered, wrongNetwork, vote("v2", 1)]) {
      const json = JSON.parse(JSON.stringify(input)) as unknown;
      const sync = (() => {
        try {
          return verifyEnvelope(json, { ...ctx, edVerify: nodeEd25519Verify }).digest;
        } catch (error) {
          return (error as { code: string }).code;
        }
      })();
      const viaPool = await verifyEnvelopeWith(json, ctx, pool.check).then(
        (v) => v.digest,
        (error: { code: string }) => error.code,
      );
      expect(viaPool).toBe(sync);
    }
  });
});

describe("VerifyPool (the esbuild bundle the web server ships)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-verify-worker-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("verifies from dist/web/verify-worker.mjs as built by scripts/web/build-verify-worker.mjs", async () => {
    execFileSync(process.execPath, [projectPath("scripts", "web", "build-verify-worker.mjs"), "--quiet"]);
    const entry = projectPath("dist", "web", "verify-worker.mjs");
    expect(existsSync(entry)).toBe(true);
    const pool = await VerifyPool.start(1, { entry });
    try {
      const e = vote("v4", 1);
      const keys = testKey("v4").publicKeys;
      expect(await pool.check(e.signatures, inputOf(e), keys)).toBeNull();
      expect(await pool.check({ ...e.signatures, ed25519: flip(e.signatures.ed25519, 0) }, inputOf(e), keys)).toBe("BAD_SIGNATURE_ED25519");
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe("startingVerifier", () => {
  it("verifies on the main thread, logging once, when the threads cannot start", async () => {
    const logged: string[] = [];
    const verifier = startingVerifier(2, { entry: path.join(os.tmpdir(), "no-such-verify-worker.mjs"), log: (m) => logged.push(m) });
    const e = vote("v5", 1);
    const keys = testKey("v5").publicKeys;
    expect(await verifier.check(e.signatures, inputOf(e), keys)).toBeNull();
    await verifier.close();
    expect(await verifier.check({ ...e.signatures, ml_dsa_65: flip(e.signatures.ml_dsa_65, 3) }, inputOf(e), keys)).toBe("BAD_SIGNATURE_ML_DSA");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/did not start, verifying on the main thread/);
  });

  it("verifies on the main thread with zero threads (MATHLEDGER_VERIFY_THREADS=0), as verifyOnThisThread does", async () => {
    const verifier = startingVerifier(0);
    const e = vote("v6", 1);
    expect(await verifier.check(e.signatures, inputOf(e), testKey("v6").publicKeys)).toBe(await verifyOnThisThread(e.signatures, inputOf(e), testKey("v6").publicKeys));
    await verifier.close();
  });
});
