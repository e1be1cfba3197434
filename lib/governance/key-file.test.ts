import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptKeyFile, encryptKeyFile, parseKeyFile } from "./key-file";
import { asyncCodeOf, codeOf } from "./test-codes";
import { testKey } from "./test-members";

// Low scrypt cost keeps the suite fast; DEFAULT_SCRYPT (N = 2^17) is what keygen uses.
const FAST = { n: 2 ** 10, r: 8, p: 1 };
const rand = (n: number) => new Uint8Array(randomBytes(n));
const PASS = "correct horse battery";

describe("encryptKeyFile / decryptKeyFile", () => {
  it("round-trips the secret and the member id", async () => {
    const file = await encryptKeyFile(testKey("c1"), PASS, { memberId: "c1", randomBytes: rand, scrypt: FAST });
    const json = JSON.parse(JSON.stringify(file));
    const { key, memberId } = await decryptKeyFile(json, PASS);
    expect(memberId).toBe("c1");
    expect(key.publicKeys).toEqual(testKey("c1").publicKeys);
    expect(key.secret).toEqual(testKey("c1").secret);
  });
  it("normalizes the passphrase (NFKC), so composed and decomposed forms open the same file", async () => {
    const file = await encryptKeyFile(testKey("c2"), "caf\u00e9-passphrase", { randomBytes: rand, scrypt: FAST });
    expect(await asyncCodeOf(() => decryptKeyFile(file, "cafe\u0301-passphrase"))).toBeUndefined();
  });
  it("refuses a wrong passphrase with WRONG_PASSPHRASE", async () => {
    const file = await encryptKeyFile(testKey("c1"), PASS, { randomBytes: rand, scrypt: FAST });
    expect(await asyncCodeOf(() => decryptKeyFile(file, "incorrect horse"))).toBe("WRONG_PASSPHRASE");
  });
  it("detects edits to the authenticated header (member id, public keys, salt)", async () => {
    const file = await encryptKeyFile(testKey("c1"), PASS, { memberId: "c1", randomBytes: rand, scrypt: FAST });
    expect(await asyncCodeOf(() => decryptKeyFile({ ...file, member_id: "c2" }, PASS))).toBe("WRONG_PASSPHRASE");
    expect(await asyncCodeOf(() => decryptKeyFile({ ...file, public_keys: testKey("c2").publicKeys }, PASS))).toBe("WRONG_PASSPHRASE");
    expect(await asyncCodeOf(() => decryptKeyFile({ ...file, kdf: { ...file.kdf, salt: `0x${"00".repeat(16)}` } }, PASS))).toBe("WRONG_PASSPHRASE");
  });
  it("refuses a short passphrase when creating a file", async () => {
    expect(await asyncCodeOf(() => encryptKeyFile(testKey("c1"), "short", { randomBytes: rand, scrypt: FAST }))).toBe("INVALID_KEY_FILE");
  });
});

describe("parseKeyFile", () => {
  it("refuses scrypt costs outside the accepted bounds (a hostile file must not exhaust memory)", async () => {
    const file = await encryptKeyFile(testKey("c1"), PASS, { randomBytes: rand, scrypt: FAST });
    expect(codeOf(() => parseKeyFile({ ...file, kdf: { ...file.kdf, n: 2 ** 21 } }))).toBe("INVALID_KEY_FILE");
    expect(codeOf(() => parseKeyFile({ ...file, kdf: { ...file.kdf, n: 3000 } }))).toBe("INVALID_KEY_FILE");
    expect(codeOf(() => parseKeyFile({ ...file, kdf: { ...file.kdf, p: 100 } }))).toBe("INVALID_KEY_FILE");
  });
  it("refuses another format, a truncated ciphertext and a wrong-length public key", async () => {
    const file = await encryptKeyFile(testKey("c1"), PASS, { randomBytes: rand, scrypt: FAST });
    expect(codeOf(() => parseKeyFile({ ...file, format: "pem" }))).toBe("INVALID_KEY_FILE");
    expect(codeOf(() => parseKeyFile({ ...file, ciphertext: file.ciphertext.slice(0, -2) }))).toBe("INVALID_KEY_FILE");
    expect(codeOf(() => parseKeyFile({ ...file, public_keys: { ...file.public_keys, ed25519: "0x00" } }))).toBe("INVALID_KEY_FILE");
  });
});

describe("scryptFunction", () => {
  it("gives the same file-opening key with node:crypto's scrypt as with noble's (RFC 7914 both)", async () => {
    const { nodeScrypt } = await import("../../server/governance/node-scrypt");
    const file = await encryptKeyFile(testKey("c3"), PASS, { randomBytes: rand, scrypt: FAST, scryptFunction: nodeScrypt });
    expect((await decryptKeyFile(file, PASS)).key.publicKeys).toEqual(testKey("c3").publicKeys);
  });
});
