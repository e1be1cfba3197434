/**
 * The passphrase-encrypted key file shared by the browser and the CLI (docs/spec/governance.md §9).
 *
 *   { "format": "mathledger-governance-key", "version": 1, "member_id": "alice" | null,
 *     "public_keys": { "ed25519": "0x…", "ml_dsa_65": "0x…" },
 *     "kdf": { "name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "0x<16 bytes>" },
 *     "cipher": { "name": "AES-256-GCM", "iv": "0x<12 bytes>" },
 *     "ciphertext": "0x<64-byte hybrid secret + 16-byte tag>" }
 *
 * key = scrypt(NFKC(passphrase), salt, n, r, p, dkLen 32) (RFC 7914, @noble/hashes); AES-256-GCM (WebCrypto
 * crypto.subtle, present in browsers and Node ≥ 20) with the RFC 8785 canonical JSON of every field except
 * `ciphertext` as additional data, so editing the public keys, the member id or the KDF parameters makes decryption
 * fail. After decryption the public keys are re-derived and must equal the file's.
 */
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { AppError } from "../errors";
import { fromHex, toHex } from "../encoding/hex";
import { checkPublicKeys, signingKeyFromSecret, type HybridPublicKeys, type HybridSigningKey } from "./hybrid-keys";
import { canonicalJson, MEMBER_ID_PATTERN } from "./message";
import { FieldReader } from "./read-json";

export const KEY_FILE_FORMAT = "mathledger-governance-key";
/** scrypt cost for new key files: N = 2^17, r = 8, p = 1 (about 128 MiB of memory, under a second or two). */
export const DEFAULT_SCRYPT = { n: 2 ** 17, r: 8, p: 1 } as const;
/** Bounds accepted when reading a key file (a hostile file must not make the reader allocate gigabytes). */
const SCRYPT_LOG_N = { min: 10, max: 20 };
export const MIN_PASSPHRASE_LENGTH = 8;

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  version: 1;
  member_id: string | null;
  public_keys: HybridPublicKeys;
  kdf: { name: "scrypt"; n: number; r: number; p: number; salt: string };
  cipher: { name: "AES-256-GCM"; iv: string };
  ciphertext: string;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new AppError("INVALID_KEY_FILE", "WebCrypto (crypto.subtle) is not available in this runtime; a secure context (https or localhost) is needed in a browser");
  return s;
}

/**
 * An scrypt implementation (RFC 7914). The default is @noble/hashes' (browser and Node alike); the server and CLI may
 * pass node:crypto's, which computes the same function several times faster.
 */
export type ScryptFunction = (password: Uint8Array, salt: Uint8Array, params: { N: number; r: number; p: number; dkLen: number }) => Promise<Uint8Array>;

const nobleScrypt: ScryptFunction = (password, salt, params) => scryptAsync(password, salt, { ...params, maxmem: 2 ** 31 });

async function deriveKey(passphrase: string, kdf: KeyFile["kdf"], scrypt: ScryptFunction = nobleScrypt): Promise<CryptoKey> {
  const raw = await scrypt(new TextEncoder().encode(passphrase.normalize("NFKC")), fromHex(kdf.salt), { N: kdf.n, r: kdf.r, p: kdf.p, dkLen: 32 });
  return subtle().importKey("raw", raw as Uint8Array<ArrayBuffer>, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

function additionalData(file: Omit<KeyFile, "ciphertext">): Uint8Array<ArrayBuffer> {
  const { format, version, member_id, public_keys, kdf, cipher } = file;
  return new TextEncoder().encode(canonicalJson({ format, version, member_id, public_keys, kdf, cipher })) as Uint8Array<ArrayBuffer>;
}

export interface EncryptOptions {
  memberId?: string | null;
  randomBytes: (n: number) => Uint8Array;
  scrypt?: { n: number; r: number; p: number };
  scryptFunction?: ScryptFunction;
}

/** Encrypts a signing key under a passphrase. */
export async function encryptKeyFile(key: HybridSigningKey, passphrase: string, options: EncryptOptions): Promise<KeyFile> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new AppError("INVALID_KEY_FILE", `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const memberId = options.memberId ?? null;
  if (memberId !== null && !MEMBER_ID_PATTERN.test(memberId)) throw new AppError("INVALID_KEY_FILE", `member id ${JSON.stringify(memberId)} must match ${MEMBER_ID_PATTERN}`);
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const header: Omit<KeyFile, "ciphertext"> = {
    format: KEY_FILE_FORMAT,
    version: 1,
    member_id: memberId,
    public_keys: key.publicKeys,
    kdf: { name: "scrypt", n: params.n, r: params.r, p: params.p, salt: toHex(options.randomBytes(16)) },
    cipher: { name: "AES-256-GCM", iv: toHex(options.randomBytes(12)) },
  };
  const aesKey = await deriveKey(passphrase, header.kdf, options.scryptFunction);
  const sealed = await subtle().encrypt({ name: "AES-GCM", iv: fromHex(header.cipher.iv) as Uint8Array<ArrayBuffer>, additionalData: additionalData(header) }, aesKey, key.secret as Uint8Array<ArrayBuffer>);
  return { ...header, ciphertext: toHex(new Uint8Array(sealed)) };
}

/** Reads a key file's JSON (form only); throws AppError("INVALID_KEY_FILE") naming the field. */
export function parseKeyFile(input: unknown): KeyFile {
  const r = FieldReader.object(input, "INVALID_KEY_FILE", "key file").onlyFields(["format", "version", "member_id", "public_keys", "kdf", "cipher", "ciphertext"]);
  r.oneOf("format", [KEY_FILE_FORMAT]);
  r.integer("version", 1, 1);
  const memberId = r.value.member_id === null || r.value.member_id === undefined ? null : r.string("member_id", { max: 64, pattern: MEMBER_ID_PATTERN });
  const k = r.object("kdf").onlyFields(["name", "n", "r", "p", "salt"]);
  k.oneOf("name", ["scrypt"]);
  const n = k.integer("n", 2 ** SCRYPT_LOG_N.min, 2 ** SCRYPT_LOG_N.max);
  if ((n & (n - 1)) !== 0) k.fail("n", "a power of two", n);
  const c = r.object("cipher").onlyFields(["name", "iv"]);
  c.oneOf("name", ["AES-256-GCM"]);
  return {
    format: KEY_FILE_FORMAT,
    version: 1,
    member_id: memberId,
    public_keys: checkPublicKeys(r.value.public_keys, "INVALID_KEY_FILE", "key file.public_keys"),
    kdf: { name: "scrypt", n, r: k.integer("r", 1, 16), p: k.integer("p", 1, 4), salt: k.hex("salt", 16) },
    cipher: { name: "AES-256-GCM", iv: c.hex("iv", 12) },
    ciphertext: r.hex("ciphertext", 64 + 16),
  };
}

/** Decrypts a key file; throws AppError("WRONG_PASSPHRASE") when the passphrase (or any field) does not match. */
export async function decryptKeyFile(input: unknown, passphrase: string, scryptFunction?: ScryptFunction): Promise<{ key: HybridSigningKey; memberId: string | null }> {
  const file = parseKeyFile(input);
  const aesKey = await deriveKey(passphrase, file.kdf, scryptFunction);
  let secret: Uint8Array;
  try {
    const plain = await subtle().decrypt({ name: "AES-GCM", iv: fromHex(file.cipher.iv) as Uint8Array<ArrayBuffer>, additionalData: additionalData(file) }, aesKey, fromHex(file.ciphertext) as Uint8Array<ArrayBuffer>);
    secret = new Uint8Array(plain);
  } catch {
    throw new AppError("WRONG_PASSPHRASE", "the key file does not open with this passphrase (or the file was altered)");
  }
  const key = signingKeyFromSecret(secret);
  if (key.publicKeys.ed25519 !== file.public_keys.ed25519 || key.publicKeys.ml_dsa_65 !== file.public_keys.ml_dsa_65) {
    throw new AppError("INVALID_KEY_FILE", "the key file's public keys do not match its secret");
  }
  return { key, memberId: file.member_id };
}
