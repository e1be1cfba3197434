/**
 * Strict readers for untrusted JSON values (messages, bodies, genesis files, key files, bundles).
 *
 * Each reader names the offending field in its error and throws AppError with the caller's code, so a refused input
 * says what is wrong ("message.nonce must be a positive safe integer, got -1") rather than failing later.
 */
import type { ErrorCode } from "../error-codes";
import { AppError } from "../errors";
import { describeValue, isCanonicalHex } from "../encoding/hex";

export type JsonObject = Record<string, unknown>;

export class FieldReader {
  constructor(
    private readonly code: ErrorCode,
    private readonly where: string,
    readonly value: JsonObject,
  ) {}

  /** Reads `input` as a plain JSON object, refusing anything else. */
  static object(input: unknown, code: ErrorCode, where: string): FieldReader {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new AppError(code, `${where} must be a JSON object, got ${describeValue(input)}`);
    }
    return new FieldReader(code, where, input as JsonObject);
  }

  fail(field: string, want: string, got: unknown): never {
    throw new AppError(this.code, `${this.where}.${field} must be ${want}, got ${describeValue(got)}`, { field: `${this.where}.${field}` });
  }

  /** Refuses fields outside `allowed`: a signed message has exactly one meaning, so unknown fields are errors. */
  onlyFields(allowed: readonly string[]): this {
    for (const key of Object.keys(this.value)) {
      if (!allowed.includes(key)) throw new AppError(this.code, `${this.where} has an unknown field ${JSON.stringify(key)} (allowed: ${allowed.join(", ")})`, { field: `${this.where}.${key}` });
    }
    return this;
  }

  string(field: string, { min = 1, max = 200, pattern }: { min?: number; max?: number; pattern?: RegExp } = {}): string {
    const v = this.value[field];
    const want = `a string of ${min}..${max} characters${pattern ? ` matching ${pattern}` : ""}`;
    if (typeof v !== "string" || v.length < min || v.length > max || (pattern && !pattern.test(v))) this.fail(field, want, v);
    return v;
  }

  optionalString(field: string, options: { min?: number; max?: number } = {}): string | undefined {
    return this.value[field] === undefined ? undefined : this.string(field, options);
  }

  /** A safe integer within [min, max]. Governance numbers are integers only: no floats reach a signature or a tally. */
  integer(field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.value[field];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) this.fail(field, `an integer in ${min}..${max}`, v);
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const v = this.value[field];
    if (typeof v !== "string" || !(values as readonly string[]).includes(v)) this.fail(field, `one of ${values.join(", ")}`, v);
    return v as T;
  }

  hex(field: string, byteLength?: number): string {
    const v = this.value[field];
    if (!isCanonicalHex(v, byteLength)) this.fail(field, `0x-prefixed lowercase hex${byteLength === undefined ? "" : ` of ${byteLength} bytes`}`, v);
    return v;
  }

  object(field: string): FieldReader {
    return FieldReader.object(this.value[field], this.code, `${this.where}.${field}`);
  }

  /** A JSON object of free-form content (e.g. benchmark results), bounded in size so a message stays small. */
  freeObject(field: string, maxJsonLength = 20_000): JsonObject {
    const v = this.value[field];
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(field, "a JSON object", v);
    if (JSON.stringify(v).length > maxJsonLength) this.fail(field, `a JSON object of at most ${maxJsonLength} characters`, "(too large)");
    return v as JsonObject;
  }

  array(field: string, maxLength = 100): unknown[] {
    const v = this.value[field];
    if (!Array.isArray(v) || v.length > maxLength) this.fail(field, `an array of at most ${maxLength} items`, v);
    return v;
  }
}
