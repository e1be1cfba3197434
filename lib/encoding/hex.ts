/**
 * Hex encoding used everywhere hashes cross a boundary (JSON, database, CLI): "0x" followed by lowercase hex.
 *
 * Parsing is strict on purpose: a consensus value has exactly one textual form, so "0xAB", "ab" or an odd number of
 * digits are rejected rather than normalised (a node that silently accepted two spellings could be made to store a
 * value that a stricter peer rejects).
 */
import { AppError } from "../errors";

const HEX_DIGITS = "0123456789abcdef";
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15]);

/** Encodes bytes as "0x" + lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]];
  return out;
}

/** Encodes bytes as lowercase hex without a prefix (for the CLI's --hex inputs and outputs of raw data). */
export function toBareHex(bytes: Uint8Array): string {
  return toHex(bytes).slice(2);
}

const CANONICAL_HEX = /^0x(?:[0-9a-f]{2})*$/;
const LOOSE_HEX = /^(?:0x|0X)?(?:[0-9a-fA-F]{2})*$/;

/** True when `value` is canonical hex ("0x", lowercase, even length), optionally of exactly `byteLength` bytes. */
export function isCanonicalHex(value: unknown, byteLength?: number): value is string {
  if (typeof value !== "string" || !CANONICAL_HEX.test(value)) return false;
  return byteLength === undefined || value.length === 2 + byteLength * 2;
}

// Char code -> nibble value (digits validated before decoding, so only 0-9a-f reach here).
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE["0123456789abcdef".charCodeAt(i)] = i;

function decode(digits: string): Uint8Array {
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (NIBBLE[digits.charCodeAt(2 * i)] << 4) | NIBBLE[digits.charCodeAt(2 * i + 1)];
  return out;
}

/** Decodes canonical hex ("0x" + lowercase); throws AppError("MALFORMED_HEX") otherwise. */
export function fromHex(value: string, byteLength?: number): Uint8Array {
  if (!isCanonicalHex(value, byteLength)) {
    const want = byteLength === undefined ? "" : ` of ${byteLength} bytes`;
    throw new AppError("MALFORMED_HEX", `expected 0x-prefixed lowercase hex${want}, got ${describeValue(value)}`);
  }
  return decode(value.slice(2));
}

/**
 * Decodes hex typed by a person (CLI arguments, leaf files): the "0x" prefix is optional and either case is accepted,
 * but the digits must still be complete bytes. Throws AppError("MALFORMED_HEX") with the reason.
 */
export function fromUserHex(value: string): Uint8Array {
  const trimmed = value.trim();
  if (!LOOSE_HEX.test(trimmed)) {
    const body = trimmed.replace(/^0x/i, "");
    const reason = /[^0-9a-fA-F]/.test(body)
      ? `contains a non-hex character ${JSON.stringify(body.match(/[^0-9a-fA-F]/)![0])}`
      : `has an odd number of digits (${body.length})`;
    throw new AppError("MALFORMED_HEX", `invalid hex ${describeValue(value)}: ${reason}`);
  }
  return decode(trimmed.replace(/^0x/i, "").toLowerCase());
}

/** A short, printable rendering of an arbitrary value for error messages (never the whole of a huge input). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic or absurdly deep values (a hostile JSON document nested thousands of levels) overflow JSON.stringify,
    // and String() of a deep array overflows too; neither may turn bad input into a crash.
    try {
      text = Array.isArray(value) ? "[a deeply nested array]" : String(value);
    } catch {
      text = "[an unprintable value]";
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Constant-shape byte comparison (not constant-time: nothing here compares secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
