/**
 * Drift injection on the running devnet (`mathledger-cli drift inject`): the CLI files a request, the devnet
 * producer carries it out on its next ticks (one faulty block or report per tick) and records the blocks affected.
 */
import type pg from "pg";
import { AppError } from "../../lib/errors";
import { isDriftCategory, type DriftCategory } from "../../lib/drift/drift-event";
import { DEVNET_LEASE } from "./devnet-producer";

export interface InjectionRequest {
  id: number;
  kind: DriftCategory;
}

/** True when a devnet producer holds an unexpired lease (i.e. a devnet is running on this database). */
export async function devnetRunning(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query("SELECT 1 FROM leases WHERE name = $1 AND expires_at > now()", [DEVNET_LEASE]);
  return rows.length > 0;
}

export async function requestInjection(pool: pg.Pool, kind: string, count: number): Promise<number> {
  if (!isDriftCategory(kind)) throw new AppError("INVALID_INPUT", `--kind must be a drift category (algorithm_mismatch, consistency, lineage, commitment, performance, storage, network), got ${JSON.stringify(kind)}`);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new AppError("INVALID_INPUT", `--count must be an integer from 1 to 100, got ${count}`);
  if (!(await devnetRunning(pool))) {
    throw new AppError("NO_DEVNET", "no devnet is running on this database (start the node with `npm start`, MATHLEDGER_DEVNET=on)");
  }
  const { rows } = await pool.query<{ id: number }>("INSERT INTO devnet_injections (kind, remaining) VALUES ($1, $2) RETURNING id", [kind, count]);
  return Number(rows[0].id);
}

/** The oldest injection still to do (the producer's next tick carries one out). */
export async function nextInjection(pool: pg.Pool): Promise<InjectionRequest | null> {
  const { rows } = await pool.query<{ id: number; kind: DriftCategory }>("SELECT id, kind FROM devnet_injections WHERE remaining > 0 ORDER BY id LIMIT 1");
  return rows[0] ? { id: Number(rows[0].id), kind: rows[0].kind } : null;
}

export async function recordInjection(pool: pg.Pool, id: number, blockNumber: number): Promise<void> {
  await pool.query(
    "UPDATE devnet_injections SET remaining = remaining - 1, affected_blocks = array_append(affected_blocks, $2) WHERE id = $1 AND remaining > 0",
    [id, blockNumber],
  );
}

/** Waits until the devnet has carried out every injection of the request; returns the blocks affected. */
export async function waitForInjection(pool: pg.Pool, id: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ remaining: number; affected_blocks: number[] }>("SELECT remaining, affected_blocks FROM devnet_injections WHERE id = $1", [id]);
    if (rows[0] && rows[0].remaining === 0) return rows[0].affected_blocks.map(Number);
    if (Date.now() > deadline) {
      throw new AppError("NO_DEVNET", `the devnet did not carry out the injection within ${Math.round(timeoutMs / 1000)} s (done so far: blocks ${rows[0]?.affected_blocks.join(", ") || "none"})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
