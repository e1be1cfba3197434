/**
 * Silences (operator actions, UI or CLI): matchers over drift_category, severity, block_number and message, and an
 * expiry. Input is validated here with messages naming the matcher that is wrong.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { SILENCE_FIELDS, type Silence, type SilenceMatcher } from "../../lib/drift/alert-policy";

export interface SilenceInput {
  matchers: unknown;
  duration_seconds: unknown;
  comment: unknown;
}

export interface StoredSilence extends Silence {
  created_by: string;
  comment: string;
}

const MAX_DURATION = 30 * 86400;

export function parseSilenceInput(input: SilenceInput): { matchers: SilenceMatcher[]; durationSeconds: number; comment: string } {
  if (!Array.isArray(input.matchers) || input.matchers.length === 0 || input.matchers.length > 10) {
    throw new AppError("INVALID_INPUT", "matchers must be a list of 1 to 10 {name, value, regex?} entries");
  }
  const matchers = input.matchers.map((m, i): SilenceMatcher => {
    const x = m as Record<string, unknown>;
    if (!x || typeof x !== "object") throw new AppError("INVALID_INPUT", `matchers[${i}] must be an object`);
    if (!(SILENCE_FIELDS as readonly unknown[]).includes(x.name)) throw new AppError("INVALID_INPUT", `matchers[${i}].name must be one of ${SILENCE_FIELDS.join(", ")}`);
    if (typeof x.value !== "string" || x.value.length === 0 || x.value.length > 200) throw new AppError("INVALID_INPUT", `matchers[${i}].value must be 1 to 200 characters`);
    const regex = x.regex === undefined ? false : x.regex;
    if (typeof regex !== "boolean") throw new AppError("INVALID_INPUT", `matchers[${i}].regex must be true or false`);
    if (regex) {
      try {
        new RegExp(x.value);
      } catch (error) {
        throw new AppError("INVALID_INPUT", `matchers[${i}].value is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    return { name: x.name as SilenceMatcher["name"], value: x.value, ...(regex ? { regex: true } : {}) };
  });
  const d = input.duration_seconds;
  if (typeof d !== "number" || !Number.isInteger(d) || d < 60 || d > MAX_DURATION) {
    throw new AppError("INVALID_INPUT", `duration_seconds must be an integer from 60 to ${MAX_DURATION} (30 days)`);
  }
  const comment = typeof input.comment === "string" ? input.comment.trim() : "";
  if (comment.length === 0 || comment.length > 500) throw new AppError("INVALID_INPUT", "a silence needs a comment (1 to 500 characters) saying why");
  return { matchers, durationSeconds: d, comment };
}

export async function createSilence(db: pg.Pool | pg.PoolClient, input: SilenceInput, by: string, now: number): Promise<StoredSilence> {
  const { matchers, durationSeconds, comment } = parseSilenceInput(input);
  const silence: StoredSilence = { id: randomUUID(), matchers, starts_at: now, ends_at: now + durationSeconds, created_by: by, comment };
  await db.query("INSERT INTO alert_silences (id, matchers, starts_at, ends_at, created_by, comment) VALUES ($1, $2, $3, $4, $5, $6)", [
    silence.id,
    JSON.stringify(matchers),
    silence.starts_at,
    silence.ends_at,
    by,
    comment,
  ]);
  return silence;
}

export async function listSilences(db: pg.Pool | pg.PoolClient, now: number, includeExpired = false): Promise<StoredSilence[]> {
  const { rows } = await db.query<StoredSilence>(
    `SELECT id, matchers, starts_at, ends_at, created_by, comment FROM alert_silences ${includeExpired ? "" : "WHERE ends_at > $1"} ORDER BY ends_at DESC LIMIT 200`,
    includeExpired ? [] : [now],
  );
  return rows;
}

/** Ends a silence now. */
export async function expireSilence(db: pg.Pool | pg.PoolClient, id: string, now: number): Promise<void> {
  const { rowCount } = await db.query("UPDATE alert_silences SET ends_at = $2 WHERE id = $1 AND ends_at > $2", [id, now]);
  if (!rowCount) throw new AppError("NOT_FOUND", `no active silence ${JSON.stringify(id)}`);
}
