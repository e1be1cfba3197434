/** Small helpers over the running stack's public API, for tests that need the chain to reach a height. */
import { expect, type APIRequestContext } from "@playwright/test";
import type { Block } from "../../lib/consensus/block";

/** A block as the API returns it: the consensus core's JSON shape. */
export type StoredBlockJson = Block;

/** The canonical tip's height from GET /api/v1/status (null on an empty chain). */
export async function tipHeight(request: APIRequestContext): Promise<number | null> {
  const res = await request.get("/api/v1/status");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { current_block: number | null }).current_block;
}

/** Waits until the canonical tip is at least `height` (the devnet seals a block every 0.5 s in the tests). */
export async function waitForHeight(request: APIRequestContext, height: number, timeoutMs = 60_000): Promise<number> {
  let tip: number | null = null;
  await expect
    .poll(async () => (tip = await tipHeight(request)) ?? -1, { timeout: timeoutMs, message: `waiting for block ${height}` })
    .toBeGreaterThanOrEqual(height);
  return tip!;
}

/** The canonical block at `height` as block JSON (the fields a node exchanges), read through the portal's tRPC API. */
export async function canonicalBlockJson(request: APIRequestContext, height: number): Promise<StoredBlockJson> {
  const res = await request.get(`/api/trpc/blocks.byNumber?input=${encodeURIComponent(JSON.stringify({ blockNumber: height }))}`);
  expect(res.status()).toBe(200);
  const d = ((await res.json()) as { result: { data: StoredBlockJson | null } }).result.data;
  if (!d) throw new Error(`no canonical block ${height}`);
  return {
    block_number: d.block_number,
    timestamp: d.timestamp,
    prev_hash: d.prev_hash,
    merkle_root: d.merkle_root,
    pq_algorithm: d.pq_algorithm,
    pq_prev_hash: d.pq_prev_hash,
    pq_merkle_root: d.pq_merkle_root,
    dual_commitment: d.dual_commitment,
    statements: d.statements,
  };
}
